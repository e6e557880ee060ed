import { Clock, TimerId } from '../../hal/clock';
import { Uart } from '../../hal/uart';
import { CellNetwork, SimNic, SimTcpConn, SimUdpPort } from '../nic';
import { SimPin } from './sim-pin';
import { tlsConnect, TlsSimOptions } from '../soak/tls-sim';

/** Options of the SIM7600 model. Every delay is virtual time, ms. */
export interface Sim7600ModelOptions {
  clock: Clock;
  /** The world's cellular network (registration, PDP, SIM). */
  net: CellNetwork;
  /** Transcript sink: called with every transcript line as it is written. */
  log?: (line: string) => void;
  /** UART speed (8N1) used to time bytes on the wire; 0 = instant (default 115200). */
  baud?: number;
  /** Most bytes per onData delivery (default 256). */
  chunk?: number;
  /** PWRKEY press to RDY (default 3000). */
  bootMs?: number;
  /** RDY to +CPIN (default 300). */
  simReadyMs?: number;
  /** Searching time after the radio comes on (power-on or CFUN=1) before the network's stat shows (default 1000). */
  attachMs?: number;
  /** Command processing time (default 2). */
  respMs?: number;
  /** Shortest PWRKEY press that turns the modem on (default 100). */
  pwrOnMinMs?: number;
  /** Shortest PWRKEY press that turns it off (default 2500). */
  pwrOffMinMs?: number;
  /** NORMAL POWER DOWN to STATUS low (default 1000). */
  offMs?: number;
  /** The PWRKEY level that presses the key (default false: active low). */
  pwrkeyActive?: boolean;
  /** Starts powered and booted (default false). */
  startOn?: boolean;
  /** Transcript lines kept (default 5000). */
  transcriptMax?: number;
  /** Seed of the fault PRNG. */
  seed?: number;
  /**
   * SSL (AT+CCH…): costs of the simulated TLS (sim/soak/tls-sim.ts; the modem's handshake computation
   * defaults to 400 ms), and whether the server's certificate name is checked (AT+CSSLCFG authmode 1).
   */
  tls?: Partial<TlsSimOptions> & { verify?: boolean };
}

/** Scripted faults; set fields directly or use the model's helpers. */
export interface Sim7600Faults {
  /** Stops answering (input ignored, no output) until power-cycled via PWRKEY. */
  silent: boolean;
  /** Extra latency added to every response, ms. */
  slowMs: number;
  /** Bursts of unprintable noise bytes injected before the next N outputs. */
  noise: number;
  /** The next N response lines get one byte garbled. */
  garble: number;
  /** Inject a valid URC between the lines of every multi-line response. */
  urcMid: boolean;
  /** The next N CIPSENDs (after the data) are answered with +CIPERROR: <cipErrorCode>. */
  cipError: number;
  cipErrorCode: number;
  /** Overrides the network's SIM state (e.g. 'NOT INSERTED'). */
  sim: '' | 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED';
  /** Overrides the network's registration stat (e.g. 3 denied); -1 = none. */
  reg: number;
}

interface Link {
  udp: boolean;
  open: boolean;
  tcp: SimTcpConn | null;
  port: SimUdpPort | null;
  /** TCP: byte chunks; UDP: datagrams. */
  rx: Array<{ d: Buffer; ip: string; port: number }>;
  rxLen: number;
  notified: boolean;
  ipclosed: boolean;
}

const P_OFF = 0;
const P_BOOT = 1;
const P_ON = 2;
const P_DOWN = 3;

const MAX_CHUNK = 1500;
/** SSL sessions of the CCH command set. */
const SSL_SESSIONS = 2;

/** One SSL session (AT+CCHOPEN). */
interface SslSess {
  open: boolean;
  conn: SimTcpConn | null;
  rx: Buffer[];
  rxLen: number;
  notified: boolean;
  closed: boolean;
}

function newSess(): SslSess {
  return { open: false, conn: null, rx: [], rxLen: 0, notified: false, closed: false };
}
const MID_URCS = ['+CTZV: 32', 'DST: 0', '*PSUTTZ: 24/01/01,12:00:00","+32",0', '+CGEV: ME PDN ACT 1'];

/**
 * A SIMCom SIM7600 behind a UART, answering the CIP TCP/IP command set with the formats of CHIPS.md §2:
 * power through PWRKEY (STATUS follows), boot URCs, echo on after boot until ATE0, SIM and registration
 * from the world's CellNetwork, PDP through activate(), ten links backed by the PDP's SimNic, manual
 * receive (+CIPRXGET: 1 then AT+CIPRXGET=2). Scripted faults in `faults`. Counts UART bytes both ways and
 * keeps an AT transcript with virtual timestamps.
 *
 * `uart` is the device side of the serial line (hand it to the driver); `pwrkey` and `status` are the pins.
 */
export class Sim7600Model {
  /** The device's end of the UART. */
  readonly uart: Uart;
  /** PWRKEY (driven by the device). */
  readonly pwrkey: SimPin;
  /** STATUS (driven by the model, high while on). */
  readonly status = new SimPin(false);
  readonly faults: Sim7600Faults = {
    silent: false, slowMs: 0, noise: 0, garble: 0, urcMid: false, cipError: 0, cipErrorCode: 1, sim: '', reg: -1,
  };
  /** UART bytes from the device to the model. */
  bytesIn = 0;
  /** UART bytes from the model to the device. */
  bytesOut = 0;
  /** Commands received, by name (e.g. counts['AT+CIPSEND']). */
  readonly counts: { [cmd: string]: number } = {};
  /** The AT transcript: "[12.345] > AT+CSQ", "[12.350] < +CSQ: 20,99". */
  readonly transcript: string[] = [];
  /** PWRKEY power cycles seen (on presses). */
  boots = 0;

  private _clk: Clock;
  private _net: CellNetwork;
  private _logFn?: (line: string) => void;
  private _baud: number;
  private _chunk: number;
  private _o: Required<Pick<Sim7600ModelOptions, 'bootMs' | 'simReadyMs' | 'attachMs' | 'respMs' | 'pwrOnMinMs' | 'pwrOffMinMs' | 'offMs' | 'transcriptMax'>>;
  private _ka: boolean;
  private _rx: ((d: string) => void) | null = null;
  private _rxT: any;
  private _inFree = 0;
  private _outFree = 0;
  private _p = P_OFF;
  private _gen = 0;
  private _pressAt = -1;
  private _echo = true;
  private _cmee = 0;
  private _cfun = 1;
  private _regN = [0, 0, 0];
  private _regSent = -1;
  private _attachUntil = 0;
  private _attachTm: TimerId = undefined;
  private _pinLeft = 3;
  private _simUnlocked = false;
  private _apn = '';
  private _user = '';
  private _pass = '';
  private _rxMode = 0;
  private _net0 = 0; // 0 closed, 1 opening, 2 open
  private _pdp: SimNic | null = null;
  private _links: Link[] = [];
  private _line = '';
  private _dm: { l: number; n: number; ip: string; port: number; buf: string; ssl?: boolean } | null = null;
  /** SSL service started (AT+CCHSTART) and its sessions. */
  private _cch = false;
  private _ssl: SslSess[] = [newSess(), newSess()];
  private _tls: Partial<TlsSimOptions> & { verify?: boolean };
  private _q: string[] = [];
  private _busy = false;
  private _seed: number;
  private _midI = 0;

  constructor(o: Sim7600ModelOptions) {
    this._clk = o.clock;
    this._net = o.net;
    this._logFn = o.log;
    this._baud = o.baud === undefined ? 115200 : o.baud;
    this._chunk = o.chunk || 256;
    this._o = {
      bootMs: o.bootMs === undefined ? 3000 : o.bootMs,
      simReadyMs: o.simReadyMs === undefined ? 300 : o.simReadyMs,
      attachMs: o.attachMs === undefined ? 1000 : o.attachMs,
      respMs: o.respMs === undefined ? 2 : o.respMs,
      pwrOnMinMs: o.pwrOnMinMs || 100,
      pwrOffMinMs: o.pwrOffMinMs || 2500,
      offMs: o.offMs === undefined ? 1000 : o.offMs,
      transcriptMax: o.transcriptMax || 5000,
    };
    this._ka = !!o.pwrkeyActive;
    this._seed = o.seed || 12345;
    this._tls = Object.assign({ clientCpuMs: 400 }, o.tls || {});
    this.pwrkey = new SimPin(!this._ka);
    for (var i = 0; i < 10; i++) this._links.push(this._newLink(false));
    var self = this;
    this.uart = {
      write: function (d: string) {
        self._fromHost(d);
      },
      onData: function (cb: ((d: string) => void) | null, thisArg?: any) {
        self._rx = cb;
        self._rxT = thisArg;
      },
      setBaud: function (b: number) {
        self._baud = b;
      },
    };
    this.pwrkey.watch(function (level) {
      self._onKey(level === self._ka);
    }, 'both', 0);
    this._net.onRegistration(function () {
      self._regCheck();
    });
    this._net.onPdpLost(function () {
      self._pdpLost();
    });
    if (o.startOn) {
      this._p = P_ON;
      this.status.write(true);
      this._echo = false;
      this._attachUntil = 0;
      // A modem left on by an earlier run of the firmware is registered (or registering) already.
      if (this._net.radio) this._net.radio(true);
    }
  }

  /** True while powered (booting, on or shutting down). */
  powered(): boolean {
    return this._p !== P_OFF;
  }

  /** The PDP address, or null. */
  pdpAddress(): string | null {
    return this._pdp ? this._pdp.address() : null;
  }

  /** Drops the PDP context as the network would (then +CIPEVENT). */
  dropPdp(): void {
    this._pdpLost();
  }

  /** Emits an unsolicited line now (for tests). */
  urc(line: string): void {
    if (this._p === P_ON) this._out('\r\n' + line + '\r\n');
  }

  // ---- power ----

  private _onKey(pressed: boolean): void {
    var now = this._clk.now();
    if (pressed) {
      this._pressAt = now;
      return;
    }
    if (this._pressAt < 0) return;
    var held = now - this._pressAt;
    this._pressAt = -1;
    if (this._p === P_OFF && held >= this._o.pwrOnMinMs) this._boot();
    else if ((this._p === P_ON || this._p === P_BOOT) && held >= this._o.pwrOffMinMs) this._shutdown();
  }

  private _boot(): void {
    this._p = P_BOOT;
    this.boots++;
    var gen = ++this._gen;
    this._note('(PWRKEY: power on)');
    this._reset();
    var self = this;
    this._clk.setTimeout(function () {
      if (self._gen !== gen) return;
      self._p = P_ON;
      self.status.write(true);
      if (self._net.radio) self._net.radio(true);
      self._attachUntil = self._clk.now() + self._o.attachMs;
      self._armAttach();
      self._out('\r\nRDY\r\n');
      self._clk.setTimeout(function () {
        if (self._gen !== gen) return;
        var sim = self._sim();
        self._out('\r\n+CPIN: ' + sim + '\r\n');
        if (sim === 'READY') self._out('\r\nSMS DONE\r\n\r\nPB DONE\r\n');
      }, self._o.simReadyMs);
    }, this._o.bootMs);
  }

  private _shutdown(): void {
    var gen = ++this._gen;
    this._note('(PWRKEY: power off)');
    this.faults.silent = false;
    if (this._p === P_ON) this._out('\r\nNORMAL POWER DOWN\r\n');
    this._p = P_DOWN;
    this._closeAll(false);
    if (this._net.radio) this._net.radio(false);
    if (this._pdp) this._net.deactivate();
    this._pdp = null;
    this._net0 = 0;
    var self = this;
    this._clk.setTimeout(function () {
      if (self._gen !== gen) return;
      self._p = P_OFF;
      self.status.write(false);
    }, this._o.offMs);
  }

  private _reset(): void {
    this._echo = true;
    this._cmee = 0;
    this._cfun = 1;
    this._regN = [0, 0, 0];
    this._regSent = -1;
    this._rxMode = 0;
    this._net0 = 0;
    this._pdp = null;
    this._simUnlocked = false;
    this._pinLeft = 3;
    this._line = '';
    this._dm = null;
    this._q = [];
    this._busy = false;
    for (var i = 0; i < 10; i++) this._links[i] = this._newLink(false);
    this._cchStop();
  }

  // ---- wire ----

  private _wireMs(n: number): number {
    return this._baud > 0 ? (n * 10000) / this._baud : 0;
  }

  private _fromHost(d: string): void {
    this.bytesIn += d.length;
    var now = this._clk.now();
    var t = Math.max(now, this._inFree) + this._wireMs(d.length);
    this._inFree = t;
    var self = this;
    this._clk.setTimeout(function () {
      self._input(d);
    }, t - now);
  }

  /** Writes to the device: kind 0 text lines, 1 payload bytes, 2 echo / prompt (no faults, not transcribed). */
  private _out(s: string, kind?: number): void {
    if (this.faults.silent || this._p === P_OFF) return;
    var bin = !!kind;
    if (!bin && this.faults.noise > 0) {
      this.faults.noise--;
      var junk = '';
      var n = 3 + (this._rand() % 12);
      for (var k = 0; k < n; k++) junk += String.fromCharCode(128 + (this._rand() % 128));
      s = junk + '\r\n' + s;
      this._note('(noise ' + n + ' bytes)');
    }
    if (!bin && this.faults.garble > 0 && s.length > 4) {
      var lines = s.split('\r\n');
      for (var j = 0; j < lines.length && this.faults.garble > 0; j++) {
        if (lines[j].length) {
          var p = this._rand() % lines[j].length;
          lines[j] = lines[j].substr(0, p) + String.fromCharCode(128 + (this._rand() % 128)) + lines[j].substr(p + 1);
          this.faults.garble--;
          this._note('(garbled a line)');
        }
      }
      s = lines.join('\r\n');
    }
    if (!bin) {
      var ls = s.split('\r\n');
      for (var i = 0; i < ls.length; i++) if (ls[i].length) this._note('< ' + ls[i]);
    } else if (kind === 1) this._note('< <' + s.length + ' bytes>');
    this.bytesOut += s.length;
    var now = this._clk.now();
    var start = Math.max(now, this._outFree);
    var self = this;
    for (var off = 0; off < s.length; off += this._chunk) {
      var part = s.substr(off, this._chunk);
      start += this._wireMs(part.length);
      (function (p: string, at: number) {
        self._clk.setTimeout(function () {
          if (self._rx) self._rx.call(self._rxT, p);
        }, at - now);
      })(part, start);
    }
    this._outFree = start;
  }

  private _note(line: string): void {
    var t = this._clk.now() / 1000;
    var l = '[' + t.toFixed(3) + '] ' + line;
    this.transcript.push(l);
    if (this.transcript.length > this._o.transcriptMax) this.transcript.splice(0, this.transcript.length - this._o.transcriptMax);
    if (this._logFn) this._logFn(l);
  }

  private _rand(): number {
    this._seed = (this._seed * 1103515245 + 12345) & 0x7fffffff;
    return this._seed >> 8;
  }

  // ---- command input ----

  private _input(d: string): void {
    if (this._p !== P_ON || this.faults.silent) return;
    var i = 0;
    while (i < d.length) {
      if (this._dm) {
        var dm = this._dm;
        var k = Math.min(dm.n - dm.buf.length, d.length - i);
        dm.buf += d.substr(i, k);
        i += k;
        if (dm.buf.length === dm.n) {
          this._dm = null;
          this._note('> <' + dm.n + ' bytes>');
          if (dm.ssl) this._cchSendData(dm.l, dm.buf);
          else this._sendData(dm.l, dm.buf, dm.ip, dm.port);
        }
        continue;
      }
      var cr = d.indexOf('\r', i);
      var seg = cr < 0 ? d.substr(i) : d.substr(i, cr - i);
      if (this._echo) this._out(cr < 0 ? seg : seg + '\r', 2);
      this._line += seg.split('\n').join('');
      if (this._line.length > 600) this._line = '';
      if (cr < 0) break;
      i = cr + 1;
      var c = this._line.trim();
      this._line = '';
      if (c.length) {
        this._q.push(c);
        this._pump();
      }
    }
  }

  private _pump(): void {
    if (this._busy || !this._q.length) return;
    this._busy = true;
    var c = this._q.shift()!;
    var self = this;
    var gen = this._gen;
    this._clk.setTimeout(function () {
      if (self._gen !== gen) return;
      self._exec(c);
    }, this._o.respMs + this.faults.slowMs);
  }

  /** Ends the current command's response and runs the next queued command. */
  private _end(lines: string[], final: string): void {
    var s = '';
    for (var i = 0; i < lines.length; i++) {
      s += '\r\n' + lines[i] + '\r\n';
      if (this.faults.urcMid && final) s += this._midUrc();
    }
    if (final) s += '\r\n' + final + '\r\n';
    if (s) this._out(s);
    this._busy = false;
    this._pump();
  }

  private _midUrc(): string {
    var u = MID_URCS[this._midI++ % MID_URCS.length];
    return '\r\n' + u + '\r\n';
  }

  private _ok(lines?: string[]): void {
    this._end(lines || [], 'OK');
  }

  private _error(): void {
    this._end([], 'ERROR');
  }

  private _cme(code: number, text: string): void {
    if (this._cmee === 1) this._end([], '+CME ERROR: ' + code);
    else if (this._cmee === 2) this._end([], '+CME ERROR: ' + text);
    else this._end([], 'ERROR');
  }

  private _exec(c: string): void {
    var u = c.toUpperCase();
    var redacted = u.indexOf('AT+CPIN=') === 0 || u.indexOf('AT+CGAUTH=') === 0 ? c.split('=')[0] + '=<redacted>' : c;
    this._note('> ' + redacted);
    if (u.substr(0, 2) !== 'AT') return this._error();
    var eq = u.indexOf('=');
    var q = u.charAt(u.length - 1) === '?' && eq < 0;
    var name = eq >= 0 ? u.substr(0, eq) : q ? u.substr(0, u.length - 1) : u;
    var args = eq >= 0 ? splitArgs(c.substr(eq + 1)) : [];
    var test = eq >= 0 && c.substr(eq + 1) === '?';
    this.counts[name] = (this.counts[name] || 0) + 1;
    if (test) return this._ok();
    var L = this._links;
    var self = this;
    switch (name) {
      case 'AT':
        return this._ok();
      case 'ATE0':
        this._echo = false;
        return this._ok();
      case 'ATE1':
        this._echo = true;
        return this._ok();
      case 'ATI':
        return this._ok(['Manufacturer: SIMCOM INCORPORATED', 'Model: SIMCOM_SIM7600G-H', 'Revision: LE20B04SIM7600G22', 'IMEI: 861234050012345', '+GCAP: +CGSM']);
      case 'AT+CGMI':
        return this._ok(['SIMCOM INCORPORATED']);
      case 'AT+CGMM':
        return this._ok(['SIMCOM_SIM7600G-H']);
      case 'AT+CGSN':
        return this._ok(['861234050012345']);
      case 'AT+CICCID':
        return this._simReady() ? this._ok(['+ICCID: 8988211000000123456']) : this._cme(10, 'SIM not inserted');
      case 'AT+CMEE':
        if (q) return this._ok(['+CMEE: ' + this._cmee]);
        this._cmee = +args[0] || 0;
        return this._ok();
      case 'AT+CPIN':
        return this._cpin(q, args);
      case 'AT+CREG':
      case 'AT+CGREG':
      case 'AT+CEREG': {
        var k = name === 'AT+CREG' ? 0 : name === 'AT+CGREG' ? 1 : 2;
        var pre = name.substr(2);
        if (q) return this._ok([pre + ': ' + this._regN[k] + ',' + this._stat()]);
        var n = +args[0];
        if (!(n >= 0 && n <= 2)) return this._error();
        this._regN[k] = n;
        return this._ok();
      }
      case 'AT+CSQ':
        return this._ok(['+CSQ: ' + (this._radioOn() ? this._net.csq() : 99) + ',99']);
      case 'AT+CPSI':
        return this._ok([this._cpsi()]);
      case 'AT+CNSMOD':
        return this._ok(['+CNSMOD: 0,' + (this._registered() ? this._net.cnsmod() : 0)]);
      case 'AT+COPS':
        return this._ok([this._registered() ? '+COPS: 0,0,"SIM NET",7' : '+COPS: 0']);
      case 'AT+CFUN':
        if (q) return this._ok(['+CFUN: ' + this._cfun]);
        return this._cfunSet(+args[0]);
      case 'AT+CPOF':
        this._ok();
        this._shutdown();
        return;
      case 'AT+CRESET':
        this._ok();
        this._shutdown();
        this._clk.setTimeout(function () {
          self._boot();
        }, this._o.offMs + 10);
        return;
      case 'AT+CGDCONT':
        if (q) return this._ok(['+CGDCONT: 1,"IP","' + this._apn + '","0.0.0.0",0,0']);
        if (args[0] !== '1') return this._error();
        this._apn = args[2] || '';
        return this._ok();
      case 'AT+CGAUTH':
        this._pass = args[2] || '';
        this._user = args[3] || '';
        return this._ok();
      case 'AT+CIPMODE':
        return args[0] === '0' || q ? this._ok(q ? ['+CIPMODE: 0'] : []) : this._error();
      case 'AT+CIPCCFG':
      case 'AT+CIPTIMEOUT':
      case 'AT+CIPSENDMODE':
      case 'AT+CTZU':
      case 'AT+CTZR':
      case 'AT+CIPHEAD':
      case 'AT+CIPSRIP':
        return this._ok();
      case 'AT+NETOPEN':
        return this._netOpen(q);
      case 'AT+NETCLOSE':
        return this._netClose();
      case 'AT+IPADDR':
        if (this._net0 !== 2 || !this._pdp) return this._end(['+IP ERROR: Network not opened'], 'ERROR');
        return this._ok(['+IPADDR: ' + (this._pdp.address() || '0.0.0.0')]);
      case 'AT+CDNSGIP': {
        var host = args[0] || '';
        if (this._net0 !== 2 || !this._pdp || !host) return this._error();
        var gen = this._gen;
        this._pdp.resolve(host, function (ip) {
          if (self._gen !== gen) return;
          if (ip) self._ok(['+CDNSGIP: 1,"' + host + '","' + ip + '"']);
          else self._end(['+CDNSGIP: 0,10'], 'ERROR');
        });
        return;
      }
      case 'AT+CIPRXGET':
        return this._ciprxget(args);
      case 'AT+CIPOPEN':
        if (q) return this._ok(L.map(function (x, i) { return '+CIPOPEN: ' + i + (x.open ? ',"' + (x.udp ? 'UDP' : 'TCP') + '"' : ''); }));
        return this._cipopen(args);
      case 'AT+CIPSEND':
        return this._cipsend(args);
      case 'AT+CIPCLOSE':
        if (q) return this._ok(['+CIPCLOSE: ' + L.map(function (x) { return x.open ? 1 : 0; }).join(',')]);
        return this._cipclose(args);
      case 'AT+CCHSET':
      case 'AT+CCHSSLCFG':
      case 'AT+CSSLCFG':
        return this._ok();
      case 'AT+CCHSTART':
        return this._cchStart();
      case 'AT+CCHSTOP':
        this._cchStop();
        this._ok();
        this._out('\r\n+CCHSTOP: 0\r\n');
        return;
      case 'AT+CCHOPEN':
        if (q) return this._ok(this._ssl.map(function (x, i) { return '+CCHOPEN: ' + i + (x.open ? ',"open"' : ',"",,,'); }));
        return this._cchOpen(args);
      case 'AT+CCHSEND':
        return this._cchSend(args);
      case 'AT+CCHRECV':
        return this._cchRecv(args);
      case 'AT+CCHCLOSE':
        return this._cchClose(args);
    }
    return this._error();
  }

  // ---- SIM, radio, registration ----

  private _sim(): string {
    var s = this.faults.sim || this._net.sim();
    if (s === 'SIM PIN' && this._simUnlocked) return 'READY';
    if (s === 'SIM PIN' && this._pinLeft <= 0) return 'SIM PUK';
    return s;
  }

  private _simReady(): boolean {
    return this._sim() === 'READY';
  }

  private _cpin(q: boolean, args: string[]): void {
    var s = this._sim();
    if (q) return this._ok(['+CPIN: ' + s]);
    if (s === 'NOT INSERTED') return this._cme(10, 'SIM not inserted');
    if (s !== 'SIM PIN') return this._cme(3, 'operation not allowed');
    if (args[0] === this._net.pin()) {
      this._simUnlocked = true;
      this._ok();
      var self = this;
      var gen = this._gen;
      this._clk.setTimeout(function () {
        if (self._gen !== gen) return;
        self._out('\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n');
        self._regCheck();
      }, 200);
      return;
    }
    this._pinLeft--;
    this._cme(16, 'incorrect password');
  }

  private _radioOn(): boolean {
    return this._p === P_ON && this._cfun === 1;
  }

  /** The stat this modem reports now. */
  private _stat(): number {
    if (!this._radioOn() || !this._simReady()) return 0;
    if (this._clk.now() < this._attachUntil) return 2;
    return this.faults.reg >= 0 ? this.faults.reg : this._net.registration();
  }

  private _registered(): boolean {
    var s = this._stat();
    return s === 1 || s === 5;
  }

  private _armAttach(): void {
    var self = this;
    this._clk.clearTimeout(this._attachTm);
    var d = this._attachUntil - this._clk.now();
    if (d > 0) {
      this._attachTm = this._clk.setTimeout(function () {
        self._attachTm = undefined;
        self._regCheck();
      }, d + 1);
    }
  }

  /** Emits registration URCs when the reported stat changed (per AT+CxREG=<n>). */
  private _regCheck(): void {
    if (this._p !== P_ON) return;
    var st = this._stat();
    if (st === this._regSent) return;
    var was = this._regSent;
    this._regSent = st;
    var pre = ['+CREG: ', '+CGREG: ', '+CEREG: '];
    var s = '';
    for (var k = 0; k < 3; k++) if (this._regN[k] > 0) s += '\r\n' + pre[k] + st + '\r\n';
    if (s) this._out(s);
    if ((was === 1 || was === 5) && !(st === 1 || st === 5) && this._net0 === 2) this._pdpLost();
  }

  /** Re-evaluates registration now (after `faults.reg` changed): URCs, and the PDP drops when deregistered. */
  applyFaults(): void {
    this._regCheck();
  }

  private _cfunSet(n: number): void {
    if (n !== 0 && n !== 1) return this._error();
    if (n === this._cfun) return this._ok();
    this._cfun = n;
    if (n === 0) {
      this._closeAll(false);
      if (this._pdp) this._net.deactivate();
      this._pdp = null;
      this._net0 = 0;
      if (this._net.radio) this._net.radio(false);
    } else {
      if (this._net.radio) this._net.radio(true);
      this._attachUntil = this._clk.now() + this._o.attachMs;
      this._armAttach();
    }
    this._ok();
    this._regCheck();
  }

  private _cpsi(): string {
    if (!this._registered()) return '+CPSI: NO SERVICE,Online';
    var csq = this._net.csq();
    var rssi = csq <= 31 ? 2 * csq - 113 : -113;
    return '+CPSI: LTE,Online,001-01,0x5303,52467969,125,EUTRAN-BAND3,1650,5,5,-84,' + (rssi - 20) * 10 + ',' + rssi * 10 + ',24';
  }

  // ---- packet network ----

  private _netOpen(q: boolean): void {
    if (q) return this._ok(['+NETOPEN: ' + (this._net0 === 2 ? 1 : 0)]);
    if (this._net0 === 2) return this._end(['+IP ERROR: Network is already opened'], 'ERROR');
    if (this._net0 === 1) return this._error();
    this._ok();
    var self = this;
    var gen = this._gen;
    if (!this._registered()) {
      this._clk.setTimeout(function () {
        if (self._gen === gen) self._out('\r\n+NETOPEN: 1\r\n');
      }, 100);
      return;
    }
    this._net0 = 1;
    this._net.activate(this._apn, this._user, this._pass, function (err, nic) {
      if (self._gen !== gen || self._net0 !== 1) {
        if (nic) self._net.deactivate();
        return;
      }
      if (err || !nic) {
        self._net0 = 0;
        self._out('\r\n+NETOPEN: 1\r\n');
        return;
      }
      self._pdp = nic;
      self._net0 = 2;
      self._out('\r\n+NETOPEN: 0\r\n');
    });
  }

  private _netClose(): void {
    if (this._net0 === 0) {
      this._ok();
      this._out('\r\n+NETCLOSE: 2\r\n');
      return;
    }
    this._ok();
    var s = '';
    for (var i = 0; i < 10; i++) if (this._links[i].open) s += '\r\n+CIPCLOSE: ' + i + ',0\r\n';
    this._closeAll(true);
    if (this._net0 === 2) this._net.deactivate();
    this._net0 = 0;
    this._pdp = null;
    this._out(s + '\r\n+NETCLOSE: 0\r\n');
  }

  private _pdpLost(): void {
    if (this._net0 === 0) return;
    this._closeAll(false);
    this._net0 = 0;
    this._pdp = null;
    if (this._p === P_ON) this._out('\r\n+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY\r\n');
  }

  // ---- links ----

  private _newLink(udp: boolean): Link {
    return { udp: udp, open: false, tcp: null, port: null, rx: [], rxLen: 0, notified: false, ipclosed: false };
  }

  private _closeAll(graceful: boolean): void {
    this._cchStop();
    for (var i = 0; i < 10; i++) {
      var l = this._links[i];
      this._links[i] = this._newLink(false);
      if (l.tcp) graceful ? l.tcp.end() : l.tcp.destroy();
      if (l.port) l.port.close();
    }
  }

  private _link(a: string): number {
    var n = +a;
    return a !== '' && n >= 0 && n <= 9 && Math.floor(n) === n ? n : -1;
  }

  private _cipopen(args: string[]): void {
    var l = this._link(args[0]);
    if (l < 0) return this._error();
    if (this._net0 !== 2 || !this._pdp) return this._end(['+CIPOPEN: ' + l + ',2'], 'ERROR');
    if (this._links[l].open || this._links[l].tcp || this._links[l].port) return this._end(['+CIPOPEN: ' + l + ',4'], 'ERROR');
    var type = (args[1] || '').toUpperCase();
    var self = this;
    var nic = this._pdp;
    var link = this._newLink(type === 'UDP');
    var gen = this._gen;
    var alive = function () {
      return self._links[l] === link && self._gen === gen && self._pdp === nic;
    };
    if (type === 'UDP') {
      var lp = +(args[4] || 0);
      if (!(lp > 0 && lp < 65536)) return this._end(['+CIPOPEN: ' + l + ',3'], 'ERROR');
      this._links[l] = link;
      this._ok();
      link.port = nic.udpOpen(lp, function (ip, port, data) {
        if (!alive() || !link.open) return;
        self._rxPush(l, link, data, ip, port);
      });
      link.open = true;
      this._out('\r\n+CIPOPEN: ' + l + ',0\r\n');
      return;
    }
    if (type !== 'TCP') return this._end(['+CIPOPEN: ' + l + ',3'], 'ERROR');
    var host = args[2] || '';
    var port = +(args[3] || 0);
    if (!host || !(port > 0 && port < 65536)) return this._end(['+CIPOPEN: ' + l + ',3'], 'ERROR');
    this._links[l] = link;
    this._ok();
    var fail = function (code: number) {
      if (!alive()) return;
      self._links[l] = self._newLink(false);
      self._out('\r\n+CIPOPEN: ' + l + ',' + code + '\r\n');
    };
    var connect = function (ip: string) {
      link.tcp = nic.tcpConnect(ip, port, 0, {
        onConnect: function () {
          if (!alive()) return;
          link.open = true;
          self._out('\r\n+CIPOPEN: ' + l + ',0\r\n');
        },
        onData: function (data: Buffer) {
          if (!alive() || !link.open) return;
          self._rxPush(l, link, data, ip, port);
        },
        onEnd: function () {
          if (!alive() || !link.open) return;
          self._ipclose(l, link, 1);
        },
        onClose: function (reason) {
          if (!alive() || link.ipclosed) return;
          if (!link.open) return fail(reason === 'timeout' ? 10 : 1);
          self._ipclose(l, link, reason === 'timeout' ? 2 : 1);
        },
      });
    };
    if (isIp(host)) connect(host);
    else
      nic.resolve(host, function (ip) {
        if (!alive()) return;
        if (ip) connect(ip);
        else fail(11);
      });
  }

  private _ipclose(l: number, link: Link, reason: number): void {
    if (link.ipclosed) return;
    link.ipclosed = true;
    link.open = false;
    var t = link.tcp;
    link.tcp = null;
    if (t) t.destroy();
    this._out('\r\n+IPCLOSE: ' + l + ',' + reason + '\r\n');
  }

  private _rxPush(l: number, link: Link, data: Buffer, ip: string, port: number): void {
    link.rx.push({ d: data, ip: ip, port: port });
    link.rxLen += data.length;
    if (!link.notified && this._rxMode === 1) {
      link.notified = true;
      this._out('\r\n+CIPRXGET: 1,' + l + '\r\n');
    }
  }

  private _ciprxget(args: string[]): void {
    var mode = +args[0];
    if (args.length === 1 && (mode === 0 || mode === 1)) {
      this._rxMode = mode;
      return this._ok();
    }
    var l = this._link(args[1] || '');
    if (l < 0) return this._error();
    var link = this._links[l];
    if (mode === 4) return this._ok(['+CIPRXGET: 4,' + l + ',' + link.rxLen]);
    if (mode !== 2) return this._error();
    var max = +(args[2] || MAX_CHUNK);
    if (!(max > 0) || max > MAX_CHUNK) return this._error();
    if (!link.rxLen) {
      link.notified = false;
      return this._end(['+IP ERROR: No data'], 'ERROR');
    }
    var out: Buffer[] = [];
    var got = 0;
    var from = link.rx[0];
    while (got < max && link.rx.length) {
      var h = link.rx[0];
      var take = Math.min(max - got, h.d.length);
      out.push(h.d.subarray(0, take));
      got += take;
      if (take === h.d.length) link.rx.shift();
      else h.d = h.d.subarray(take);
      if (link.udp) break;
    }
    link.rxLen -= got;
    if (!link.rxLen) link.notified = false;
    var data = Buffer.concat(out).toString('latin1');
    var head = '+CIPRXGET: 2,' + l + ',' + got + ',' + link.rxLen + (link.udp ? ',' + from.ip + ':' + from.port : '');
    // Header, payload read by length, then OK: "\r\n<head>\r\n<data>\r\nOK\r\n".
    this._out('\r\n' + head + '\r\n');
    this._out(data, 1);
    var mid = this.faults.urcMid ? this._midUrc() : '';
    this._out('\r\n' + mid + (mid ? '\r\n' : '') + 'OK\r\n');
    this._busy = false;
    this._pump();
  }

  private _cipsend(args: string[]): void {
    var l = this._link(args[0]);
    var n = +(args[1] || -1);
    if (l < 0 || !(n >= 1)) return this._error();
    if (n > MAX_CHUNK) return this._end(['+CIPERROR: 3'], '');
    var link = this._links[l];
    if (!link.open) return this._error();
    var ip = args[2] || '';
    var port = +(args[3] || 0);
    if (link.udp && (!isIp(ip) || !(port > 0))) return this._error();
    this._dm = { l: l, n: n, ip: ip, port: port, buf: '' };
    this._out('\r\n>', 2);
    this._note('< >');
  }

  private _sendData(l: number, data: string, ip: string, port: number): void {
    var link = this._links[l];
    var self = this;
    var gen = this._gen;
    this._clk.setTimeout(function () {
      if (self._gen !== gen) return;
      if (self.faults.cipError > 0) {
        self.faults.cipError--;
        return self._end(['+CIPERROR: ' + self.faults.cipErrorCode], '');
      }
      if (self._links[l] !== link || !link.open) {
        self._ok();
        self._out('\r\n+CIPSEND: ' + l + ',' + data.length + ',-1\r\n');
        return;
      }
      var b = Buffer.from(data, 'latin1');
      if (link.udp && link.port) link.port.send(ip, port, b);
      else if (link.tcp) link.tcp.write(b);
      var mid = self.faults.urcMid ? self._midUrc() : '';
      self._out('\r\nOK\r\n' + mid + '\r\n+CIPSEND: ' + l + ',' + data.length + ',' + data.length + '\r\n');
      self._busy = false;
      self._pump();
    }, this._o.respMs + this.faults.slowMs);
  }

  // ---- SSL (CCH command set); TLS simulated by sim/soak/tls-sim.ts ----

  private _sess(a: string): number {
    var n = +a;
    return a !== '' && n >= 0 && n < SSL_SESSIONS && Math.floor(n) === n ? n : -1;
  }

  /** AT+CCHSTART: the SSL service runs on the open PDP context. */
  private _cchStart(): void {
    if (this._cch) return this._error();
    this._ok();
    if (this._net0 !== 2 || !this._pdp) {
      this._out('\r\n+CCHSTART: 1\r\n');
      return;
    }
    this._cch = true;
    this._out('\r\n+CCHSTART: 0\r\n');
  }

  /** Stops the SSL service: every session drops. */
  private _cchStop(): void {
    this._cch = false;
    for (var i = 0; i < SSL_SESSIONS; i++) {
      var x = this._ssl[i];
      this._ssl[i] = newSess();
      x.closed = true;
      if (x.conn) x.conn.destroy();
    }
  }

  private _cchOpen(args: string[]): void {
    var n = this._sess(args[0] || '');
    if (n < 0) return this._error();
    var host = args[1] || '';
    var port = +(args[2] || 0);
    if (!this._cch || !this._pdp) return this._end(['+CCHOPEN: ' + n + ',11'], 'ERROR');
    if (this._ssl[n].open || this._ssl[n].conn) return this._end(['+CCHOPEN: ' + n + ',10'], 'ERROR');
    if (!host || !(port > 0 && port < 65536) || (args[3] || '2') !== '2') return this._end(['+CCHOPEN: ' + n + ',8'], 'ERROR');
    this._ok();
    var self = this;
    var nic = this._pdp;
    var x = newSess();
    this._ssl[n] = x;
    var gen = this._gen;
    var alive = function () {
      return self._ssl[n] === x && self._gen === gen && !x.closed;
    };
    var fail = function (code: number) {
      if (!alive()) return;
      self._ssl[n] = newSess();
      x.closed = true;
      self._out('\r\n+CCHOPEN: ' + n + ',' + code + '\r\n');
    };
    var clock = this._clk;
    var dial = function (ip: string) {
      var handshook = false;
      x.conn = tlsConnect(function (h) {
        return nic.tcpConnect(ip, port, 0, {
          onConnect: function () {
            handshook = true;
            h.onConnect();
          },
          onData: h.onData,
          onEnd: h.onEnd,
          onClose: h.onClose,
        });
      }, host, !!self._tls.verify, {
        onConnect: function () {
          if (!alive()) return;
          x.open = true;
          self._out('\r\n+CCHOPEN: ' + n + ',0\r\n');
        },
        onData: function (d: Buffer) {
          if (!alive() || !x.open) return;
          x.rx.push(d);
          x.rxLen += d.length;
          if (!x.notified) {
            x.notified = true;
            self._out('\r\n+CCHEVENT: ' + n + ',RECV EVENT\r\n');
          }
        },
        onEnd: function () {
          if (!alive() || !x.open) return;
          self._peerClosed(n, x);
        },
        onClose: function (r) {
          if (!alive()) return;
          // Not yet open: the TCP connect failed (14 / 5) or the handshake did (15).
          if (!x.open) return fail(r === 'timeout' ? 5 : handshook ? 15 : 14);
          self._peerClosed(n, x);
        },
      }, function (fn, ms) {
        clock.setTimeout(fn, ms);
      }, self._tls);
    };
    if (isIp(host)) dial(host);
    else
      nic.resolve(host, function (ip) {
        if (!alive()) return;
        if (ip) dial(ip);
        else fail(13);
      });
  }

  private _peerClosed(n: number, x: SslSess): void {
    if (x.closed) return;
    x.closed = true;
    x.open = false;
    if (x.conn) x.conn.destroy();
    x.conn = null;
    // Data already received stays readable until the session is closed.
    this._out('\r\n+CCH_PEER_CLOSED: ' + n + '\r\n');
  }

  private _cchSend(args: string[]): void {
    var n = this._sess(args[0] || '');
    var len = +(args[1] || -1);
    if (n < 0 || !(len >= 1) || len > 2048) return this._error();
    if (!this._ssl[n].open) return this._error();
    this._dm = { l: n, n: len, ip: '', port: 0, buf: '', ssl: true };
    this._out('\r\n>', 2);
    this._note('< >');
  }

  private _cchSendData(n: number, data: string): void {
    var x = this._ssl[n];
    var self = this;
    var gen = this._gen;
    this._clk.setTimeout(function () {
      if (self._gen !== gen) return;
      if (self._ssl[n] !== x || !x.open || !x.conn) {
        self._ok();
        self._out('\r\n+CCHSEND: ' + n + ',4\r\n');
        return;
      }
      x.conn.write(Buffer.from(data, 'latin1'));
      self._out('\r\nOK\r\n\r\n+CCHSEND: ' + n + ',0\r\n');
      self._busy = false;
      self._pump();
    }, this._o.respMs + this.faults.slowMs);
  }

  private _cchRecv(args: string[]): void {
    var n = this._sess(args[0] || '');
    var max = +(args[1] || MAX_CHUNK);
    if (n < 0 || !(max > 0)) return this._error();
    var x = this._ssl[n];
    if (!x.rxLen) {
      x.notified = false;
      return this._ok(['+CCHRECV: ' + n + ',0']);
    }
    var out: Buffer[] = [];
    var got = 0;
    while (got < max && x.rx.length) {
      var h = x.rx[0];
      var take = Math.min(max - got, h.length);
      out.push(h.subarray(0, take));
      got += take;
      if (take === h.length) x.rx.shift();
      else x.rx[0] = h.subarray(take);
    }
    x.rxLen -= got;
    // Header, payload read by length, the closing +CCHRECV: <n>,0 and OK; more data: a new RECV EVENT.
    this._out('\r\n+CCHRECV: DATA,' + n + ',' + got + '\r\n');
    this._out(Buffer.concat(out).toString('latin1'), 1);
    this._out('\r\n+CCHRECV: ' + n + ',0\r\n\r\nOK\r\n');
    x.notified = x.rxLen > 0;
    if (x.notified) this._out('\r\n+CCHEVENT: ' + n + ',RECV EVENT\r\n');
    this._busy = false;
    this._pump();
  }

  private _cchClose(args: string[]): void {
    var n = this._sess(args[0] || '');
    if (n < 0) return this._error();
    var x = this._ssl[n];
    if (!x.open && !x.conn && !x.rxLen && !x.closed) return this._end(['+CCHCLOSE: ' + n + ',4'], 'ERROR');
    this._ssl[n] = newSess();
    x.closed = true;
    if (x.conn) x.conn.end();
    this._ok();
    this._out('\r\n+CCHCLOSE: ' + n + ',0\r\n');
  }

  private _cipclose(args: string[]): void {
    var l = this._link(args[0]);
    if (l < 0) return this._error();
    var link = this._links[l];
    if (!link.open && !link.tcp && !link.port && !link.rxLen) return this._end(['+CIPCLOSE: ' + l + ',4'], 'ERROR');
    this._links[l] = this._newLink(false);
    if (link.tcp) link.tcp.end();
    if (link.port) link.port.close();
    this._ok();
    this._out('\r\n+CIPCLOSE: ' + l + ',0\r\n');
  }
}

/** Splits AT arguments on commas outside quotes, removing the quotes. */
function splitArgs(s: string): string[] {
  var out: string[] = [];
  var cur = '';
  var q = false;
  for (var i = 0; i < s.length; i++) {
    var ch = s.charAt(i);
    if (ch === '"') q = !q;
    else if (ch === ',' && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function isIp(s: string): boolean {
  var p = s.split('.');
  if (p.length !== 4) return false;
  for (var i = 0; i < 4; i++) if (!/^\d+$/.test(p[i]) || +p[i] > 255) return false;
  return true;
}
