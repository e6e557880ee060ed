import { TimerId } from '../../../hal/clock';
import { LOG_INFO, LOG_WARN } from '../../../hal/log';
import { IfBase } from '../../net/if-base';
import { NetInterface, TcpOptions, TcpSocket, UdpOptions, UdpSocket, IfInfo } from '../../net/interface';
import {
  IF_OFF, IF_POWERING_ON, IF_ON, IF_CONNECTING, IF_READY, IF_DISCONNECTING, IF_POWERING_OFF, IF_FAILED,
  R_NO_HARDWARE, R_NO_SIM, R_NO_REGISTRATION, R_REGISTRATION_DENIED, R_NO_IP,
  E_OK, E_TIMEOUT, E_NETDOWN, E_DEVICE, E_RESET,
} from '../../net/types';
import { isIpv4 } from '../../net/ip';
import { withDefaults } from './at-util';
import { AtCounters } from './at-engine';
import { SIM_READY, SIM_PIN, SIM_PUK, SIM_ABSENT, REG_HOME, REG_ROAMING, REG_DENIED } from './modem';
import { Sim7600, Sim7600Options, SIM7600_LINKS, SIM7600_CHUNK, SIM7600_SSL_SESSIONS } from './sim7600';
import {
  CellSocket, CellSocketHost, SK_OPENING, SK_CLOSING, SK_CLOSED,
  OP_NONE, OP_OPEN, OP_READ, OP_SEND, OP_CLOSE, OP_DNS, PC_NONE,
} from './cell-socket';
import { nameAt } from '../../util/names';

/** Interface-level timings, ms. */
export interface CellTimings {
  /** Longest wait for a ready SIM (NOT READY, busy, PIN just entered). */
  simMs: number;
  /** SIM re-check interval. */
  simPollMs: number;
  /** Longest wait for registration (home or roaming). */
  regMs: number;
  /** Registration poll interval (URCs also count). */
  regPollMs: number;
  /** Default TCP connect wait (+CIPOPEN). */
  connectMs: number;
  /** Health poll while ready (AT+NETOPEN?, AT+CSQ); 0 = none. */
  healthMs: number;
  /** A fault this soon after a rung restored service starts one rung higher. */
  stableMs: number;
}

export var DEFAULT_CELL_TIMINGS: CellTimings = {
  simMs: 10000,
  simPollMs: 1000,
  regMs: 120000,
  regPollMs: 2000,
  connectMs: 15000,
  healthMs: 30000,
  stableMs: 60000,
};

/** Recovery rungs. */
export const RUNG_SOCKET = 0;
export const RUNG_PDP = 1;
export const RUNG_RADIO = 2;
export const RUNG_POWER = 3;
/** The rungs' names, in RUNG_* order (nameAt(RUNGS, rung)). */
export var RUNGS = 'socket,pdp,radio,power';
/** Default time budget per rung (socket, PDP re-open, CFUN 0/1, power cycle), ms. */
export var DEFAULT_RUNG_BUDGETS = [15000, 90000, 90000, 150000];

export interface Sim7600InterfaceOptions extends Sim7600Options {
  /** Interface id (default "cell0"). */
  id?: string;
  /** Access point name (default empty). */
  apn?: string;
  /** PDP user and password (AT+CGAUTH). The password is never logged. */
  user?: string;
  password?: string;
  /** SIM PIN, entered when the SIM asks (never logged). */
  pin?: string;
  /** Interface timings. */
  cellTimings?: Partial<CellTimings>;
  /** Time budget per recovery rung, ms (4 entries). */
  rungBudgetsMs?: number[];
  /** TCP send buffer per socket (default 4096). */
  txBufMax?: number;
  /** CIPSEND retries of a chunk after +CIPERROR (default 1). */
  sendRetries?: number;
}

const ST_POWER_ON = 1;
const ST_SIM = 2;
const ST_CFUN0 = 3;
const ST_CFUN1 = 4;
const ST_REG = 5;
const ST_NETCLOSE = 6;
const ST_PDP_CFG = 7;
const ST_NETOPEN = 8;
const ST_RXMODE = 9;
const ST_IPADDR = 10;
const ST_VERIFY = 11;
const ST_POWER_OFF = 12;
const ST_INFO = 13;

var SEQ_ON = [ST_POWER_ON, ST_SIM];
var SEQ_CONNECT = [ST_REG, ST_PDP_CFG, ST_NETOPEN, ST_RXMODE, ST_IPADDR, ST_INFO];
var SEQ_DISC = [ST_NETCLOSE];
var SEQ_OFF = [ST_POWER_OFF];
var SEQ_RUNG = [
  [ST_VERIFY, ST_IPADDR],
  [ST_NETCLOSE, ST_REG, ST_NETOPEN, ST_RXMODE, ST_IPADDR],
  [ST_CFUN0, ST_CFUN1, ST_REG, ST_NETOPEN, ST_RXMODE, ST_IPADDR],
  [ST_POWER_OFF, ST_POWER_ON, ST_SIM, ST_REG, ST_PDP_CFG, ST_NETOPEN, ST_RXMODE, ST_IPADDR, ST_INFO],
];

/** Links and SSL sessions together: the slots of `_socks`. */
const N_LINKS = SIM7600_LINKS + SIM7600_SSL_SESSIONS;

const K_NONE = 0;
const K_ON = 1;
const K_CONNECT = 2;
const K_DISC = 3;
const K_OFF = 4;
const K_RECOVER = 5;

const W_OFF = 0;
const W_ON = 1;
const W_READY = 2;

/**
 * The SIM7600 as a net/ interface ("cell0", kind "cell"): off → powering_on → on (SIM ready) →
 * connecting (registration, PDP) → ready; failed with no_sim, no_registration, registration_denied,
 * no_ip or no_hardware (a silent modem). Ten links carry TCP and UDP sockets (AT+CIPSEND in chunks of
 * at most 1500 bytes; receive in manual mode, AT+CIPRXGET=2 in reads of 1500).
 *
 * A recovery ladder (socket → NETCLOSE/NETOPEN → CFUN 0/1 → power cycle), each rung with a time budget,
 * restores service after a modem fault (AT timeouts, +CIPERROR, +CIPEVENT, PDP found closed); a rung that
 * does not restore service in its budget hands over to the next; after the last, failed.
 *
 * Events (besides IfBase's "state"): "link" (registered), "info" (IfInfo), "error" (Error), "sim" (SIM_*),
 * "recovery" (rung, "start" | "ok" | "fail").
 */
export class Sim7600Interface extends IfBase implements NetInterface, CellSocketHost {
  /** The modem (AT engine inside: `modem.at`). */
  readonly modem: Sim7600;
  _apn: string;
  _user: string;
  _pw: string;
  _pin: string;
  _ct: CellTimings;
  _bud: number[];
  _txMax: number;
  _retries: number;
  /** By link (0–9 CIP, 10–11 SSL sessions); a free link's slot is empty or null. */
  _socks: Array<CellSocket | null> = [];
  _want = W_OFF;
  _kind = K_NONE;
  /** The running sequence's steps (set by _begin and the rungs before _run reads them). */
  _seq!: number[];
  _si = 0;
  _wait = 0;
  _stm: TimerId;
  _btm: TimerId;
  _htm: TimerId;
  /** _onBudget and _onHealth bound for the clock, made when the first budget or health timer starts. */
  _bB?: () => void;
  _hB?: () => void;
  _dl = 0;
  _pinTried = false;
  _rung = -1;
  _okAt = -1e12;
  _okRung = -1;
  _lport = 0;
  /** Resolved names (at most 8, then cleared), made on the first answer. */
  _dns?: { [name: string]: string };
  _dnsN = 0;
  _link = false;

  constructor(o: Sim7600InterfaceOptions) {
    super(o.id || 'cell0', 'cell', o.log);
    this.modem = new Sim7600(o);
    this._apn = o.apn || '';
    this._user = o.user || '';
    this._pw = o.password || '';
    this._pin = o.pin || '';
    this._ct = withDefaults(DEFAULT_CELL_TIMINGS, o.cellTimings);
    this._bud = o.rungBudgetsMs && o.rungBudgetsMs.length === 4 ? o.rungBudgetsMs : DEFAULT_RUNG_BUDGETS;
    this._txMax = o.txBufMax || 4096;
    this._retries = o.sendRetries === undefined ? 1 : o.sendRetries;
    this._lport = 40000 + Math.floor(o.clock.now()) % 1000;
    // The modem's callbacks and events get this interface as their receiver (`this`); only the timers'
    // callbacks are bound copies.
    this._onPoll = this._onPoll.bind(this);
    var ev = this.modem.events;
    ev.on('rx', this._onRx, this);
    ev.on('ipclose', this._onIpClose, this);
    ev.on('netlost', this._onNetLost, this);
    ev.on('sim', this._onSimEv, this);
    ev.on('reg', this._onRegEv, this);
    ev.on('lateopen', this._onLateOpen, this);
    ev.on('ciperror', this._onCipError, this);
    this.modem.at.events.on('timeout', this._onAtTimeout, this);
  }

  /** DESIGN.md §4: cellular is configured when its SIM is ready. */
  configured(): boolean {
    return this.modem.sim === SIM_READY;
  }

  /** Powers the modem on and checks the SIM (off → powering_on → on). */
  on(): void {
    if (this._want < W_ON) this._want = W_ON;
    if (this._st === IF_OFF || this._st === IF_FAILED) this._begin(K_ON, SEQ_ON, IF_POWERING_ON);
  }

  /** Powers the modem down (PWRKEY); open sockets close with E_NETDOWN. */
  off(): void {
    this._want = W_OFF;
    if (this._st === IF_OFF || this._st === IF_POWERING_OFF) return;
    this._dropAll(E_NETDOWN);
    this._abort();
    if (!this.modem.isOn() && (this._st === IF_FAILED || this._st === IF_POWERING_ON)) {
      this.modem.forget();
      this._set(IF_OFF);
      return;
    }
    this._begin(K_OFF, SEQ_OFF, IF_POWERING_OFF);
  }

  /** Brings the interface to ready (powering on first when needed). */
  connect(): void {
    this._want = W_READY;
    var s = this._st;
    if (s === IF_OFF || s === IF_FAILED) this._begin(K_ON, SEQ_ON, IF_POWERING_ON);
    else if (s === IF_ON) this._begin(K_CONNECT, SEQ_CONNECT, IF_CONNECTING);
  }

  /** Leaves ready: sockets close (E_NETDOWN), AT+NETCLOSE, then on. */
  disconnect(): void {
    if (this._want > W_ON) this._want = W_ON;
    if (this._st !== IF_READY && this._st !== IF_CONNECTING) return;
    this._dropAll(E_NETDOWN);
    this._begin(K_DISC, SEQ_DISC, IF_DISCONNECTING);
  }

  /**
   * Starts the recovery ladder at `rung` (default RUNG_SOCKET), e.g. when the cloud is unreachable over
   * a link that looks up. Ignored unless ready or already recovering from a lower rung.
   */
  recover(rung?: number): void {
    if (this._st !== IF_READY && this._kind !== K_RECOVER) return;
    this._recover(rung || RUNG_SOCKET, true);
  }

  info(): IfInfo {
    this._info.rssi = this.modem.dbm();
    return this._info;
  }

  /** UART byte counters of the AT engine: AT overhead and payload, both ways. */
  atCounters(): AtCounters {
    return this.modem.at.cnt;
  }

  /** TLS is done by the modem (its SSL command set, AT+CCH…): two sessions at once. */
  canTls(): boolean {
    return true;
  }

  /**
   * Opens a TCP client socket on a free link; null when not ready or no link is free. With `tls` the
   * socket is one of the modem's two SSL sessions (AT+CCHOPEN): the modem does the handshake and the
   * encryption, the bytes on this UART are plain, the bytes on the air are not.
   */
  tcp(opts: TcpOptions): TcpSocket | null {
    if (!opts || typeof opts.host !== 'string' || !opts.host || !(opts.port > 0 && opts.port < 65536)) throw new TypeError('tcp needs {host, port}');
    var t = !!opts.tls;
    var l = this._freeLink(t);
    if (this._st !== IF_READY || l < 0) return null;
    var s = new CellSocket(this, l, false, opts, this._txMax);
    s.t = t;
    this._socks[l] = s;
    s.op = OP_OPEN;
    var w = opts.timeoutMs || this._ct.connectMs;
    if (t) this.modem.sslOpen(l - SIM7600_LINKS, opts.host, opts.port, w, s, this._onSockOpen, this);
    else this.modem.open(l, false, opts.host, opts.port, 0, w, s, this._onSockOpen, this);
    return s;
  }

  /** Opens a UDP socket (bound to opts.port, or an ephemeral port) on a free link; null when none. */
  udp(opts: UdpOptions): UdpSocket | null {
    opts = opts || {};
    if (opts.port !== undefined && !(opts.port >= 0 && opts.port < 65536)) throw new TypeError('udp port out of range');
    var l = this._freeLink();
    if (this._st !== IF_READY || l < 0) return null;
    var s = new CellSocket(this, l, true, opts, this._txMax);
    if (opts.port) s.lp = opts.port;
    else {
      this._lport = this._lport >= 49999 ? 40000 : this._lport + 1;
      s.lp = this._lport;
    }
    this._socks[l] = s;
    s.op = OP_OPEN;
    this.modem.open(l, true, '', 0, s.lp, this._ct.connectMs, s, this._onSockOpen, this);
    return s;
  }

  /** Resolves a name with the modem's resolver (AT+CDNSGIP); a dotted quad resolves to itself at once. */
  resolve(host: string, cb: (err: number, ip: string) => void): void {
    if (typeof host !== 'string' || !host || typeof cb !== 'function') throw new TypeError('resolve needs (host, cb)');
    if (isIpv4(host)) return cb(E_OK, host);
    if (this._st !== IF_READY) return cb(E_NETDOWN, '');
    this.modem.dns(host, cb, resolved);
  }

  // ---- the sequencer: one step at a time, every step bounded ----

  _begin(kind: number, seq: number[], state: number): void {
    this._abort();
    this._kind = kind;
    this._seq = seq;
    this._si = 0;
    this._set(state);
    this._run();
  }

  /** Abandons the running sequence: later callbacks of its steps are ignored. */
  _abort(): void {
    this._wait = 0;
    this._kind = K_NONE;
    this.modem._clk.clearTimeout(this._stm);
    this.modem._clk.clearTimeout(this._btm);
    this._stm = this._btm = undefined;
    this.modem.cancel();
  }

  _run(): void {
    var m = this.modem;
    var st = this._seq[this._si];
    this._wait = st;
    switch (st) {
      case ST_POWER_ON:
        if (m.isOn()) m.resync(this._onPowerOn, this);
        else m.powerOn(this._onPowerOn, this);
        break;
      case ST_SIM:
        this._dl = m._clk.now() + this._ct.simMs;
        this._pinTried = false;
        m.readSim(this._onSim, this);
        break;
      case ST_CFUN0:
        // AT+CFUN=0: radio off (links and PDP drop with it).
        m.cfun(0, this._onOk, this);
        break;
      case ST_CFUN1:
        m.cfun(1, this._onOk, this);
        break;
      case ST_REG:
        this._dl = m._clk.now() + this._ct.regMs;
        m.readReg(this._onReg, this);
        break;
      case ST_NETCLOSE:
        m.netClose(this._onOk, this);
        break;
      case ST_PDP_CFG:
        m.pdpConfig(this._apn, this._user, this._pw, this._onOk, this);
        break;
      case ST_NETOPEN:
        m.netOpen(this._onNetOpen, this);
        break;
      case ST_RXMODE:
        // AT+CIPRXGET=1: manual receive (data waits in the modem; +CIPRXGET: 1,<link> announces it).
        m.seq(['AT+CIPRXGET=1'], m._t.cmdMs, this._onOk, this);
        break;
      case ST_IPADDR:
        m.ipAddr(this._onIp, this);
        break;
      case ST_VERIFY:
        m.netQuery(this._onVerify, this);
        break;
      case ST_POWER_OFF:
        m.powerOff(this._onOk, this);
        break;
      case ST_INFO:
        m.readCsq(this._onCsq, this);
        break;
    }
  }

  _stepOk(): void {
    this._wait = 0;
    if (++this._si < this._seq.length) return this._run();
    var k = this._kind;
    this._kind = K_NONE;
    this.modem._clk.clearTimeout(this._btm);
    this._btm = undefined;
    if (k === K_ON) {
      this._set(IF_ON);
      if (this._want === W_READY) this._begin(K_CONNECT, SEQ_CONNECT, IF_CONNECTING);
    } else if (k === K_CONNECT) this._ready();
    else if (k === K_RECOVER) {
      this._okAt = this.modem._clk.now();
      this._okRung = this._rung;
      this._log.log(LOG_INFO, this.id, 'recovered at rung ' + nameAt(RUNGS, this._rung));
      this.events.emit('recovery', this._rung, 'ok');
      this._ready();
    } else if (k === K_DISC) {
      this._set(IF_ON);
      if (this._want === W_READY) this.connect();
    } else if (k === K_OFF) {
      this._set(IF_OFF);
      if (this._want === W_READY) this.connect();
      else if (this._want === W_ON) this.on();
    }
  }

  _stepFail(reason: number): void {
    this._wait = 0;
    var k = this._kind;
    if (k === K_RECOVER) return this._rungFail(reason);
    this._abort();
    if (k === K_DISC) this._set(IF_ON);
    else if (k === K_OFF) {
      this.modem.forget();
      this._set(IF_OFF);
    } else {
      this._dropAll(E_NETDOWN);
      this._set(IF_FAILED, reason);
    }
  }

  _ready(): void {
    this._info.ip = this._ipSeen;
    this._set(IF_READY);
    this.events.emit('info', this.info());
    this.modem._clk.clearInterval(this._htm);
    this._htm = this._ct.healthMs > 0 ? this.modem._clk.setInterval(this._hB || (this._hB = this._onHealth.bind(this)), this._ct.healthMs) : undefined;
    for (var i = 0; i < N_LINKS; i++) {
      var s = this._socks[i];
      if (s) this._kick(s);
    }
  }

  _ipSeen = '0.0.0.0';

  /** Overrides IfBase's transition to stop the health poll outside ready. */
  _set(state: number, reason?: number): void {
    if (state !== IF_READY && this._htm !== undefined) {
      this.modem._clk.clearInterval(this._htm);
      this._htm = undefined;
    }
    if (state === IF_OFF || state === IF_FAILED) {
      this._info.ip = '0.0.0.0';
      if (this._link) {
        this._link = false;
        this.events.emit('link', false);
      }
    }
    super._set(state, reason);
  }

  _onPowerOn(ok: boolean): void {
    if (this._wait !== ST_POWER_ON) return;
    if (ok) this._stepOk();
    else this._stepFail(R_NO_HARDWARE);
  }

  _onSim(st: number): void {
    if (this._wait !== ST_SIM) return;
    if (st === SIM_READY) return this._stepOk();
    if (st === SIM_PUK) return this._stepFail(R_NO_SIM);
    if (st === SIM_PIN) {
      if (!this._pin || this._pinTried) return this._stepFail(R_NO_SIM);
      this._pinTried = true;
      this.modem.enterPin(this._pin, this._onPin, this);
      return;
    }
    if (this.modem._clk.now() >= this._dl) return this._stepFail(R_NO_SIM);
    this._stm = this.modem._clk.setTimeout(this._onPoll, this._ct.simPollMs);
  }

  _onPin(ok: boolean): void {
    if (this._wait !== ST_SIM) return;
    if (!ok) return this._stepFail(R_NO_SIM);
    this._stm = this.modem._clk.setTimeout(this._onPoll, this._ct.simPollMs);
  }

  /** The step timer: the SIM and registration steps ask again. */
  _onPoll(): void {
    this._stm = undefined;
    if (this._wait === ST_SIM) this.modem.readSim(this._onSim, this);
    else if (this._wait === ST_REG) this.modem.readReg(this._onReg, this);
  }

  _onOk(ok: boolean): void {
    var w = this._wait;
    if (w !== ST_CFUN0 && w !== ST_CFUN1 && w !== ST_NETCLOSE && w !== ST_PDP_CFG && w !== ST_RXMODE && w !== ST_POWER_OFF) return;
    if (ok || w === ST_POWER_OFF) this._stepOk();
    else this._stepFail(w === ST_PDP_CFG || w === ST_RXMODE ? R_NO_IP : R_NO_HARDWARE);
  }

  _onReg(stat: number): void {
    if (this._wait !== ST_REG) return;
    if (stat === REG_HOME || stat === REG_ROAMING) return this._stepOk();
    if (stat === REG_DENIED) return this._stepFail(R_REGISTRATION_DENIED);
    if (this.modem._clk.now() >= this._dl) return this._stepFail(R_NO_REGISTRATION);
    this.modem._clk.clearTimeout(this._stm);
    this._stm = this.modem._clk.setTimeout(this._onPoll, this._ct.regPollMs);
  }

  _onNetOpen(err: number): void {
    if (this._wait !== ST_NETOPEN) return;
    if (err === 0) this._stepOk();
    else this._stepFail(err < 0 ? R_NO_HARDWARE : R_NO_IP);
  }

  _onIp(ip: string): void {
    if (this._wait !== ST_IPADDR) return;
    if (isIpv4(ip) && ip !== '0.0.0.0') {
      this._ipSeen = ip;
      this._stepOk();
    } else this._stepFail(R_NO_IP);
  }

  _onVerify(open: number): void {
    if (this._wait !== ST_VERIFY) return;
    if (open === 1) this._stepOk();
    else this._stepFail(open < 0 ? R_NO_HARDWARE : R_NO_IP);
  }

  _onCsq(): void {
    if (this._wait !== ST_INFO) return;
    this.modem.readInfo(this._onInfo, this);
  }

  _onInfo(): void {
    if (this._wait === ST_INFO) this._stepOk();
  }

  // ---- recovery ladder ----

  /** Starts (or restarts) the ladder at `rung`; `fresh` applies the escalation memory. */
  _recover(rung: number, fresh: boolean): void {
    if (fresh) {
      if (this._kind === K_RECOVER && this._rung >= rung) return;
      if (this.modem._clk.now() - this._okAt < this._ct.stableMs && rung <= this._okRung) rung = this._okRung + 1;
    }
    if (rung > RUNG_POWER) rung = RUNG_POWER;
    this._abort();
    if (rung > RUNG_SOCKET) {
      // Sockets first, so the flushed commands find no socket to report to.
      this._dropAll(E_NETDOWN);
      this.modem.at.flush();
      this._set(IF_CONNECTING);
    }
    this._kind = K_RECOVER;
    this._rung = rung;
    this._seq = SEQ_RUNG[rung];
    this._si = 0;
    this._log.log(LOG_WARN, this.id, 'recovery rung ' + nameAt(RUNGS, rung));
    this.events.emit('recovery', rung, 'start');
    this._btm = this.modem._clk.setTimeout(this._bB || (this._bB = this._onBudget.bind(this)), this._bud[rung]);
    this._run();
  }

  _onBudget(): void {
    this._btm = undefined;
    if (this._kind === K_RECOVER) this._rungFail(R_NO_HARDWARE);
  }

  _rungFail(reason: number): void {
    var r = this._rung;
    this.events.emit('recovery', r, 'fail');
    if (r < RUNG_POWER) return this._recover(r + 1, false);
    this._abort();
    this._dropAll(E_NETDOWN);
    this.modem.at.flush();
    this._set(IF_FAILED, reason);
  }

  /** A modem fault seen while ready (AT timeout, socket failure): climb the ladder from the socket rung. */
  _fault(why: string): void {
    this.events.emit('error', new Error(why));
    if (this._st === IF_READY && this._kind === K_NONE) this._recover(RUNG_SOCKET, true);
  }

  _onHealth(): void {
    if (this._st !== IF_READY || this._kind !== K_NONE) return;
    this.modem.netQuery(this._onHealthQ, this);
    this.modem.readCsq(noop);
  }

  _onHealthQ(open: number): void {
    if (open === 0 && this._st === IF_READY && this._kind === K_NONE) this._onNetLost();
  }

  _onAtTimeout(): void {
    if (this._st === IF_READY && this._kind === K_NONE) this._fault('AT timeout');
  }

  _onNetLost(): void {
    this._log.log(LOG_WARN, this.id, 'PDP lost');
    if (this._st === IF_READY || (this._kind === K_RECOVER && this._rung === RUNG_SOCKET)) {
      this._dropAll(E_NETDOWN);
      this.events.emit('error', new Error('PDP lost'));
      this._recover(RUNG_PDP, true);
    }
  }

  _onSimEv(st: number): void {
    this.events.emit('sim', st);
    if (st === SIM_ABSENT && this._wait !== ST_SIM && (this._st === IF_READY || this._st === IF_CONNECTING || this._st === IF_ON)) {
      this._abort();
      this._dropAll(E_NETDOWN);
      this.modem.at.flush();
      this._set(IF_FAILED, R_NO_SIM);
    }
  }

  _onRegEv(stat: number): void {
    var up = stat === REG_HOME || stat === REG_ROAMING;
    if (up !== this._link) {
      this._link = up;
      this.events.emit('link', up);
    }
    if (this._wait === ST_REG && (up || stat === REG_DENIED)) {
      this.modem._clk.clearTimeout(this._stm);
      this._stm = undefined;
      this._onReg(stat);
    }
  }

  _onCipError(code: number): void {
    this.events.emit('error', new Error('+CIPERROR: ' + code));
  }

  _onLateOpen(l: number, err: number): void {
    var s = this._socks[l];
    if (err === 0 && l >= 0 && l < N_LINKS && (!s || s.op !== OP_OPEN)) this._closeLink(l, null, noop);
  }

  // ---- sockets ----

  /** A free CIP link (0–9), or with `tls` a free SSL session (as links 10–11); -1 when none. */
  _freeLink(tls?: boolean): number {
    var a = tls ? SIM7600_LINKS : 0;
    var b = tls ? SIM7600_LINKS + SIM7600_SSL_SESSIONS : SIM7600_LINKS;
    for (var i = a; i < b; i++) if (!this._socks[i]) return i;
    return -1;
  }

  /** Closes link `l` on the modem: AT+CIPCLOSE, or AT+CCHCLOSE for an SSL session. */
  _closeLink(l: number, ctx: any, cb: (ctx: any, err: number, n: number) => void): void {
    if (l >= SIM7600_LINKS) this.modem.sslClose(l - SIM7600_LINKS, ctx, cb, this);
    else this.modem.close(l, ctx, cb, this);
  }

  /** Ends every socket with `err` and frees every link (the modem's links are gone or going). */
  _dropAll(err: number): void {
    for (var i = 0; i < N_LINKS; i++) {
      var s = this._socks[i];
      if (s) {
        this._socks[i] = null;
        s._end(err);
      }
    }
  }

  /** Frees the link of `s` (only if it still holds it). */
  _free(s: CellSocket): void {
    if (this._socks[s.l] === s) this._socks[s.l] = null;
  }

  /** Ends `s` with `err` and closes its link in the background (AT+CIPCLOSE). */
  _fail(s: CellSocket, err: number): void {
    s._end(err);
    if (this._socks[s.l] !== s) return;
    s.op = OP_CLOSE;
    this._closeLink(s.l, s, this._onSockClosed);
  }

  /** Runs the next operation of `s`: read, peer close, send, UDP name lookup, close. */
  _kick(s: CellSocket): void {
    if (s.op !== OP_NONE || this._socks[s.l] !== s || s.st === SK_OPENING) return;
    if (this._st !== IF_READY) return;
    var m = this.modem;
    if (s.st === SK_CLOSED) {
      this._free(s);
      return;
    }
    if (s.rxp) {
      s.rxp = false;
      s.op = OP_READ;
      if (s.t) m.sslRead(s.l - SIM7600_LINKS, SIM7600_CHUNK, s, this._onSockRead, this);
      else m.read(s.l, SIM7600_CHUNK, s, this._onSockRead, this);
      return;
    }
    if (s.pc !== PC_NONE) {
      this._free(s);
      s._end(s.pc === 2 ? E_TIMEOUT : s.pc === -1 ? E_NETDOWN : E_OK);
      return;
    }
    if (!s.u && s.tx.length) {
      s.op = OP_SEND;
      var chunk = s.tx.length > SIM7600_CHUNK ? s.tx.substr(0, SIM7600_CHUNK) : s.tx;
      if (s.t) m.sslSend(s.l - SIM7600_LINKS, chunk, s, this._onSockSent, this);
      else m.send(s.l, chunk, '', 0, s, this._onSockSent, this);
      return;
    }
    if (s.u && s.dq.length) {
      var host = s.dq[1];
      var ip = isIpv4(host) ? host : this._dns && this._dns[host];
      if (ip) {
        s.op = OP_SEND;
        m.send(s.l, s.dq[0], ip, s.dq[2], s, this._onSockSent, this);
      } else {
        s.op = OP_DNS;
        m.dns(host, s, this._onSockDns, this);
      }
      return;
    }
    if (s.st === SK_CLOSING) {
      s.op = OP_CLOSE;
      this._closeLink(s.l, s, this._onSockClosed);
    }
  }

  _onSockOpen(s: CellSocket, err: number): void {
    s.op = OP_NONE;
    if (this._socks[s.l] !== s) return;
    if (s.st === SK_CLOSED) return this._fail(s, E_OK);
    if (err !== E_OK) {
      if (err === E_DEVICE || err === E_NETDOWN) this._fault('CIPOPEN failed');
      if (err === E_TIMEOUT || err === E_DEVICE) this._fail(s, err);
      else {
        this._free(s);
        s._end(err);
      }
      return;
    }
    if (s.st === SK_CLOSING) {
      this._kick(s);
      return;
    }
    s._opened();
    this._kick(s);
  }

  _onSockRead(s: CellSocket, err: number, rest: number, data?: string, ip?: string, port?: number): void {
    s.op = OP_NONE;
    if (this._socks[s.l] !== s) return;
    if (err !== E_OK) {
      this._fail(s, err);
      if (err !== E_NETDOWN) this._fault('CIPRXGET failed');
      return;
    }
    if (rest > 0) s.rxp = true;
    if (data) {
      this._cnt.rx += data.length;
      s._data(data, ip, port);
    }
    this._kick(s);
  }

  _onSockSent(s: CellSocket, err: number, n: number): void {
    s.op = OP_NONE;
    if (this._socks[s.l] !== s) return;
    if (err === E_OK) {
      s.rt = 0;
      this._cnt.tx += n;
      if (s.u) s.dq.splice(0, 3);
      else {
        s.tx = s.tx.substr(n);
        s._room();
      }
      this._kick(s);
      return;
    }
    if (err === E_DEVICE && s.rt < this._retries) {
      s.rt++;
      this._kick(s);
      return;
    }
    if (err === E_RESET) {
      this._free(s);
      s._end(E_RESET);
      return;
    }
    this._fail(s, err === E_NETDOWN ? E_NETDOWN : E_DEVICE);
    if (err !== E_NETDOWN) this._fault('CIPSEND failed');
  }

  _onSockDns(s: CellSocket, err: number, n: number, ip?: string): void {
    s.op = OP_NONE;
    if (this._socks[s.l] !== s) return;
    if (err === E_OK && ip) {
      if (!this._dns || ++this._dnsN > 8) {
        this._dns = {};
        this._dnsN = 1;
      }
      this._dns[s.dq[1]] = ip;
    } else s.dq.splice(0, 3);
    this._kick(s);
  }

  _onSockClosed(s: CellSocket | null): void {
    if (!s) return;
    s.op = OP_NONE;
    this._free(s);
    s._end(s.er);
  }

  _onRx(l: number): void {
    var s = this._socks[l];
    if (!s || s.st === SK_CLOSED) return;
    s.rxp = true;
    this._kick(s);
  }

  _onIpClose(l: number, reason: number): void {
    var s = l >= 0 && l < N_LINKS ? this._socks[l] : null;
    if (!s) return;
    if (s.st === SK_CLOSED) {
      if (s.op !== OP_CLOSE) this._free(s);
      return;
    }
    s.pc = reason;
    if (s.op === OP_OPEN || s.op === OP_CLOSE) return;
    this._kick(s);
  }
}

function noop(): void {}

/** Completion of resolve(): the modem's answer to the caller's callback (its context). */
function resolved(cb: any, err: number, n: number, ip?: string): void {
  cb(err, err === E_OK ? ip : '');
}
