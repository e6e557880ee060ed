import { Clock } from '../../hal/clock';
import { CellNetwork, SimNic, SimTcpConn, SimTcpHandlers, SimUdpPort } from '../nic';

/** A TCP service of the loop network: gets the server side of each connection. */
export type LoopTcpService = (conn: LoopServerConn) => void;

/** The server's side of a loop TCP connection. */
export interface LoopServerConn {
  write(data: Buffer): void;
  end(): void;
  onData: (data: Buffer) => void;
  onEnd: () => void;
}

export interface LoopCellOptions {
  clock: Clock;
  /** SIM state reported (default READY). */
  sim?: 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED';
  pin?: string;
  /** Delay from radio on to the outcome (default 2000). */
  regDelayMs?: number;
  /** Outcome stat (default 1 home). */
  regStat?: number;
  csq?: number;
  /** PDP activation delay (default 500). */
  pdpDelayMs?: number;
  /** PDP address (default 10.64.0.2). */
  ip?: string;
  /** APN required; undefined = any. */
  apn?: string;
  /** One-way latency of the network (default 20). */
  latencyMs?: number;
}

/** The server address of the loop network's services. */
export const LOOP_SERVER_IP = '203.0.113.10';

/**
 * A small stand-in for the world's cellular network, enough to drive the SIM7600 model alone (tests,
 * the bus-efficiency benchmark): registration after a delay, a PDP with an address, TCP services by port
 * on one server (7 echo, 9 discard, 19 a 16 KB source; more via `tcpService`), UDP echo on port 7, a
 * resolver ("cloud.test" and "echo.test" → the server), and knobs for faults.
 */
export class LoopCellNetwork implements CellNetwork {
  simState: 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED';
  pinCode: string;
  regStat: number;
  csqValue: number;
  /** Names the resolver knows. */
  names: { [name: string]: string } = { 'cloud.test': LOOP_SERVER_IP, 'echo.test': LOOP_SERVER_IP };
  /** TCP services by port. */
  services: { [port: number]: LoopTcpService } = {};
  /** Bytes the discard service swallowed. */
  discarded = 0;
  /** Size of the port-19 source's burst. */
  sourceBytes = 16384;
  /** PDP activations. */
  activations = 0;
  private _clk: Clock;
  private _o: LoopCellOptions;
  private _radio = false;
  private _regAt = 0;
  private _regL: Array<(s: number) => void> = [];
  private _lostL: Array<() => void> = [];
  private _nic: LoopNic | null = null;
  private _last = -1;

  constructor(o: LoopCellOptions) {
    this._clk = o.clock;
    this._o = o;
    this.simState = o.sim || 'READY';
    this.pinCode = o.pin || '1234';
    this.regStat = o.regStat === undefined ? 1 : o.regStat;
    this.csqValue = o.csq === undefined ? 20 : o.csq;
    var self = this;
    this.services[7] = function (c) {
      c.onData = function (d) {
        c.write(d);
      };
      c.onEnd = function () {
        c.end();
      };
    };
    this.services[9] = function (c) {
      c.onData = function (d) {
        self.discarded += d.length;
      };
      c.onEnd = function () {
        c.end();
      };
    };
    this.services[19] = function (c) {
      var b = Buffer.alloc(self.sourceBytes);
      for (var i = 0; i < b.length; i++) b[i] = (i * 7 + 3) & 255;
      c.write(b);
      c.end();
    };
  }

  latency(): number {
    return this._o.latencyMs === undefined ? 20 : this._o.latencyMs;
  }

  sim() {
    return this.simState;
  }

  pin(): string {
    return this.pinCode;
  }

  radio(on: boolean): void {
    this._radio = on;
    if (on) {
      this._regAt = this._clk.now() + (this._o.regDelayMs === undefined ? 2000 : this._o.regDelayMs);
      var self = this;
      this._clk.setTimeout(function () {
        self._fire();
      }, this._regAt - this._clk.now());
    } else this.deactivate();
    this._fire();
  }

  registration(): number {
    if (!this._radio || this.simState !== 'READY' && this.simState !== 'SIM PIN') return 0;
    return this._clk.now() >= this._regAt ? this.regStat : 2;
  }

  /** Changes the registration outcome (e.g. 3 denied, 0 lost) and tells listeners. */
  setRegistration(stat: number): void {
    this.regStat = stat;
    if (stat !== 1 && stat !== 5 && this._nic) this.losePdp();
    this._fire();
  }

  onRegistration(cb: (stat: number) => void): () => void {
    this._regL.push(cb);
    var l = this._regL;
    return function () {
      var i = l.indexOf(cb);
      if (i >= 0) l.splice(i, 1);
    };
  }

  private _fire(): void {
    var s = this.registration();
    if (s === this._last) return;
    this._last = s;
    var l = this._regL.slice();
    for (var i = 0; i < l.length; i++) l[i](s);
  }

  csq(): number {
    return this.csqValue;
  }

  cnsmod(): number {
    return 8;
  }

  activate(apn: string, user: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void {
    var self = this;
    this._clk.setTimeout(function () {
      var st = self.registration();
      if (st !== 1 && st !== 5) return cb('not registered', null);
      if (self._o.apn !== undefined && apn !== self._o.apn) return cb('wrong apn', null);
      self.activations++;
      if (self._nic) self._nic.down();
      self._nic = new LoopNic(self, self._clk, self._o.ip || '10.64.0.2');
      cb(null, self._nic);
    }, this._o.pdpDelayMs === undefined ? 500 : this._o.pdpDelayMs);
  }

  deactivate(): void {
    if (this._nic) this._nic.down();
    this._nic = null;
  }

  /** The network drops the PDP context (the modem then reports +CIPEVENT). */
  losePdp(): void {
    if (!this._nic) return;
    this.deactivate();
    var l = this._lostL.slice();
    for (var i = 0; i < l.length; i++) l[i]();
  }

  onPdpLost(cb: () => void): () => void {
    this._lostL.push(cb);
    var l = this._lostL;
    return function () {
      var i = l.indexOf(cb);
      if (i >= 0) l.splice(i, 1);
    };
  }

  /** The PDP NIC now, if any. */
  nic(): LoopNic | null {
    return this._nic;
  }
}

/** The PDP NIC of the loop network. */
export class LoopNic implements SimNic {
  readonly name = 'pdp0';
  private _net: LoopCellNetwork;
  private _clk: Clock;
  private _ip: string | null;
  private _up = true;
  private _conns: Array<{ kill: () => void }> = [];

  constructor(net: LoopCellNetwork, clock: Clock, ip: string) {
    this._net = net;
    this._clk = clock;
    this._ip = ip;
  }

  linkUp(): boolean {
    return this._up;
  }

  onLink(): () => void {
    return function () {};
  }

  setAddress(ip: string | null): void {
    this._ip = ip;
  }

  address(): string | null {
    return this._ip;
  }

  onAddress(): () => void {
    return function () {};
  }

  /** PDP gone: every connection is reset. */
  down(): void {
    this._up = false;
    var c = this._conns;
    this._conns = [];
    for (var i = 0; i < c.length; i++) c[i].kill();
  }

  private _later(fn: () => void, ms?: number): void {
    var self = this;
    this._clk.setTimeout(function () {
      if (self._up) fn();
    }, ms === undefined ? this._net.latency() : ms);
  }

  udpOpen(localPort: number, onDatagram: (srcIp: string, srcPort: number, data: Buffer) => void): SimUdpPort {
    var self = this;
    var open = true;
    var port: SimUdpPort = {
      send: function (dstIp: string, dstPort: number, data: Buffer) {
        if (!open || !self._up) return;
        var copy = Buffer.from(data);
        if (dstIp === LOOP_SERVER_IP && dstPort === 7)
          self._later(function () {
            if (open) onDatagram(dstIp, dstPort, copy);
          }, 2 * self._net.latency());
      },
      close: function () {
        open = false;
      },
    };
    return port;
  }

  tcpConnect(dstIp: string, dstPort: number, localPort: number, h: SimTcpHandlers): SimTcpConn {
    var self = this;
    var lat = this._net.latency();
    var state = 0; // 0 connecting, 1 open, 2 closed
    var svc = dstIp === LOOP_SERVER_IP ? this._net.services[dstPort] : undefined;
    var server: LoopServerConn = {
      write: function (d: Buffer) {
        var copy = Buffer.from(d);
        self._later(function () {
          if (state === 1) h.onData(copy);
        });
      },
      end: function () {
        self._later(function () {
          if (state !== 1) return;
          state = 2;
          h.onEnd();
          h.onClose('closed');
        });
      },
      onData: function () {},
      onEnd: function () {},
    };
    var entry = {
      kill: function () {
        if (state === 2) return;
        var was = state;
        state = 2;
        self._clk.setTimeout(function () {
          h.onClose(was === 0 ? 'unreachable' : 'reset');
        }, 0);
      },
    };
    this._conns.push(entry);
    if (dstIp !== LOOP_SERVER_IP) {
      this._clk.setTimeout(function () {
        if (state !== 0) return;
        state = 2;
        h.onClose('timeout');
      }, 10000);
    } else
      this._later(function () {
        if (state !== 0) return;
        if (!svc) {
          state = 2;
          h.onClose('refused');
          return;
        }
        state = 1;
        h.onConnect();
        svc(server);
      }, 2 * lat);
    void localPort;
    return {
      write: function (d: Buffer) {
        if (state !== 1) return;
        var copy = Buffer.from(d);
        self._later(function () {
          if (state === 1) server.onData(copy);
        });
      },
      end: function () {
        if (state !== 1) return;
        self._later(function () {
          server.onEnd();
        });
      },
      destroy: function () {
        state = 2;
      },
    };
  }

  resolve(name: string, cb: (ip: string | null) => void): void {
    var ip = this._net.names[name] || null;
    this._later(function () {
      cb(ip);
    }, 2 * this._net.latency());
  }
}
