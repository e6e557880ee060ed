import { Clock, TimerId } from '../../hal/clock';
import { Log, NULL_LOG, LOG_DEBUG } from '../../hal/log';
import { NetInterface, UdpSocket, TcpSocket } from '../net/interface';
import { IF_READY, E_OK, E_DNS, E_NETDOWN, E_NO_SOCKET, E_TIMEOUT } from '../net/types';

/**
 * Interface probing: a few small UDP echo packets (RFC 862) to the cloud host through each ready
 * interface, all interfaces at once and never blocking; a timed TCP connect to the broker when no echo
 * answers. Bytes are counted as they would cross the air: payload + 28 bytes of IPv4/UDP headers.
 */

/** How a probe measures: the knobs of one evaluation (a policy supplies them). */
export interface ProbeSpec {
  /** Echo packets per interface. */
  count: number;
  /** Spacing between two packets. */
  intervalMs: number;
  /** Length of the UDP phase, counted from the first packet (ends earlier when all are answered). */
  waitMs: number;
  /** Hard limit of a whole evaluation, name resolution and TCP fallback included. */
  budgetMs: number;
  /** Payload bytes of each packet (at least PROBE_HEADER). */
  size: number;
  /** 0: fixed size. Otherwise each packet carries 1..randomMax random bytes after the header (Particle). */
  randomMax: number;
  /** Time a TCP connect to the broker when no echo answered. */
  tcpFallback: boolean;
}

/** Probe methods. */
export const PM_NONE = 0;
export const PM_UDP = 1;
export const PM_TCP = 2;
export var PROBE_METHOD_NAMES = ['none', 'udp', 'tcp'];

/** Header of every echo packet: "NS", sequence number, 4-byte nonce, 6 bytes of padding. */
export const PROBE_HEADER = 13;
/** IPv4 (20) + UDP (8) header bytes added to every datagram. */
export const UDP_OVERHEAD = 28;
/**
 * Estimated bytes of one timed TCP connect and close: SYN and SYN/ACK with an MSS option (44 each),
 * then ACK, FIN, ACK, FIN, ACK (40 each).
 */
export const TCP_PROBE_BYTES = 288;
/** Resolved cloud addresses are reused this long. */
export const PROBE_DNS_TTL_MS = 600000;

/** The outcome of probing one interface. */
export interface ProbeResult {
  id: string;
  /** Clock time the evaluation started. */
  t: number;
  /** An echo (or the TCP fallback) answered. */
  valid: boolean;
  /** PM_* */
  method: number;
  sent: number;
  recv: number;
  /** Mean round-trip time of the answers (TCP: connect time), -1 when none. */
  rtt: number;
  /** Lost fraction of the packets sent, 0..1 (1 when none was sent). */
  loss: number;
  /** Lower is better; Infinity when invalid. */
  score: number;
  /** Bytes sent and received by the probe (counted; the TCP fallback estimated). */
  bytes: number;
  durMs: number;
  /** E_* error that ended the probe early (E_OK otherwise). */
  err: number;
}

/** Where probes go. */
export interface ProbeTarget {
  host: string;
  echoPort: number;
  /** The broker's TCP port (fallback). */
  port: number;
}

/**
 * Particle's score (BASELINE.md): `rtts[i]` is the round-trip of packet i, or -1 when lost. Each loss adds
 * avg × 2^k, k counting consecutive losses (2× for the first, 4× for the second in a row…); the score is
 * (sum of RTTs + penalties) / answers. Infinity when nothing answered.
 */
export function lossScore(rtts: number[]): number {
  var sum = 0;
  var n = 0;
  var i;
  for (i = 0; i < rtts.length; i++) {
    if (rtts[i] >= 0) {
      sum += rtts[i];
      n++;
    }
  }
  if (!n) return Infinity;
  var avg = sum / n;
  var pen = 0;
  var run = 0;
  for (i = 0; i < rtts.length; i++) {
    if (rtts[i] < 0) {
      run++;
      pen += avg * Math.pow(2, run);
    } else run = 0;
  }
  return (sum + pen) / n;
}

/** A result that says "nothing measured". */
export function invalidResult(id: string, t: number, err: number): ProbeResult {
  return { id: id, t: t, valid: false, method: PM_NONE, sent: 0, recv: 0, rtt: -1, loss: 1, score: Infinity, bytes: 0, durMs: 0, err: err };
}

/** The probe of one interface: resolve → UDP echoes → (TCP connect) → done. */
class IfProbe {
  _p: Prober;
  _if: NetInterface;
  _t0: number;
  _res: ProbeResult;
  _rtts: number[] = [];
  _sentAt: number[] = [];
  _nonce = '';
  _ip = '';
  _udp: UdpSocket | null = null;
  _tcp: TcpSocket | null = null;
  _tcpT0 = 0;
  _sendT: TimerId;
  _phaseT: TimerId;
  _deadT: TimerId;
  _done = false;
  _onState: (st: number) => void;

  constructor(p: Prober, iface: NetInterface) {
    this._p = p;
    this._if = iface;
    this._t0 = p._clock.now();
    this._res = invalidResult(iface.id, this._t0, E_OK);
    var self = this;
    this._onState = function (st: number) {
      if (st !== IF_READY) self._finish(E_NETDOWN);
    };
  }

  start(): void {
    var self = this;
    var c = this._p._clock;
    var iface = this._if;
    iface.events.on('state', this._onState);
    this._deadT = c.setTimeout(function () {
      self._deadline();
    }, this._p.spec.budgetMs);
    var cached = this._p._dns[iface.id];
    var host = this._p._target.host;
    if (cached && cached.h === host && c.now() - cached.t < PROBE_DNS_TTL_MS) {
      this._ip = cached.ip;
      this._udpPhase();
      return;
    }
    iface.resolve(host, function (err: number, ip: string) {
      if (self._done) return;
      if (err !== E_OK || !ip) {
        self._finish(E_DNS);
        return;
      }
      self._p._dns[iface.id] = { h: host, ip: ip, t: c.now() };
      self._ip = ip;
      self._udpPhase();
    });
  }

  _udpPhase(): void {
    var self = this;
    var p = this._p;
    if (p._tcpOnly[this._if.id] > 0) {
      p._tcpOnly[this._if.id]--;
      this._tcpPhase();
      return;
    }
    var rnd = p._rnd;
    for (var i = 0; i < 4; i++) this._nonce += String.fromCharCode(Math.floor(rnd() * 256) & 255);
    this._udp = this._if.udp({
      port: 0,
      onMessage: function (data: string) {
        self._echo(data);
      },
      onClose: function (err: number) {
        if (err !== E_OK) self._finish(err);
      }
    });
    if (!this._udp) {
      this._tcpPhase();
      return;
    }
    var c = p._clock;
    var end = Math.min(p.spec.waitMs, this._t0 + p.spec.budgetMs - c.now());
    this._phaseT = c.setTimeout(function () {
      self._udpEnd();
    }, end);
    this._send();
  }

  _send(): void {
    var self = this;
    var p = this._p;
    var seq = this._sentAt.length;
    var data = 'NS' + String.fromCharCode(seq & 255) + this._nonce + '\0\0\0\0\0\0';
    var extra = p.spec.randomMax > 0 ? 1 + Math.floor(p._rnd() * p.spec.randomMax) : p.spec.size - PROBE_HEADER;
    if (extra > 0) data += new Array(extra + 1).join('\x55');
    this._sentAt.push(p._clock.now());
    this._rtts.push(-1);
    if (this._udp && this._udp.send(data, this._ip, p._target.echoPort)) {
      this._res.sent++;
      this._res.bytes += data.length + UDP_OVERHEAD;
    }
    if (this._sentAt.length < p.spec.count) {
      this._sendT = p._clock.setTimeout(function () {
        self._send();
      }, p.spec.intervalMs);
    }
  }

  _echo(data: string): void {
    if (this._done || data.length < PROBE_HEADER) return;
    if (data.charCodeAt(0) !== 78 || data.charCodeAt(1) !== 83 || data.substr(3, 4) !== this._nonce) return;
    var seq = data.charCodeAt(2);
    if (seq >= this._rtts.length || this._rtts[seq] >= 0) return;
    this._rtts[seq] = this._p._clock.now() - this._sentAt[seq];
    this._res.recv++;
    this._res.bytes += data.length + UDP_OVERHEAD;
    this._p._echoAt = this._p._clock.now();
    if (this._res.recv === this._p.spec.count) this._udpEnd();
  }

  _udpEnd(): void {
    if (this._done) return;
    var c = this._p._clock;
    c.clearTimeout(this._sendT);
    c.clearTimeout(this._phaseT);
    this._closeUdp();
    var r = this._res;
    if (r.recv > 0) {
      var sum = 0;
      for (var i = 0; i < this._rtts.length; i++) if (this._rtts[i] >= 0) sum += this._rtts[i];
      r.method = PM_UDP;
      r.valid = true;
      r.rtt = sum / r.recv;
      r.loss = (this._rtts.length - r.recv) / this._rtts.length;
      r.score = lossScore(this._rtts);
      this._finish(E_OK);
      return;
    }
    r.loss = 1;
    this._tcpPhase();
  }

  _tcpPhase(): void {
    var self = this;
    var p = this._p;
    var c = p._clock;
    var left = this._t0 + p.spec.budgetMs - c.now();
    if (!p.spec.tcpFallback || left < 50) {
      this._finish(E_TIMEOUT);
      return;
    }
    this._tcpT0 = c.now();
    this._tcp = this._if.tcp({
      host: this._ip,
      port: p._target.port,
      timeoutMs: left,
      onConnect: function () {
        self._tcpUp();
      },
      onClose: function (err: number) {
        if (!self._done) self._finish(err === E_OK ? E_TIMEOUT : err);
      }
    });
    if (!this._tcp) this._finish(E_NO_SOCKET);
    else this._res.bytes += TCP_PROBE_BYTES;
  }

  _tcpUp(): void {
    if (this._done) return;
    var r = this._res;
    var p = this._p;
    r.method = PM_TCP;
    r.valid = true;
    r.rtt = p._clock.now() - this._tcpT0;
    r.score = r.rtt;
    r.loss = 0;
    // No echo service seems to exist (none answered lately on any interface): skip UDP for the next
    // few evaluations of this interface to stay within the byte budget.
    if (this._res.sent > 0 && !(p._echoAt > 0 && p._clock.now() - p._echoAt < PROBE_DNS_TTL_MS)) p._tcpOnly[this._if.id] = 5;
    this._finish(E_OK);
  }

  _deadline(): void {
    if (this._done) return;
    if (this._res.recv > 0 || this._udp) this._udpEnd();
    if (!this._done) this._finish(E_TIMEOUT);
  }

  _closeUdp(): void {
    var u = this._udp;
    this._udp = null;
    if (u) u.close();
  }

  _finish(err: number): void {
    if (this._done) return;
    this._done = true;
    var c = this._p._clock;
    c.clearTimeout(this._sendT);
    c.clearTimeout(this._phaseT);
    c.clearTimeout(this._deadT);
    this._if.events.off('state', this._onState);
    this._closeUdp();
    var t = this._tcp;
    this._tcp = null;
    if (t) t.close();
    var r = this._res;
    if (!r.valid) {
      r.err = err === E_OK ? E_TIMEOUT : err;
      r.score = Infinity;
      r.rtt = -1;
      r.method = PM_NONE;
      if (err === E_NETDOWN) r.loss = 1;
    }
    r.durMs = c.now() - this._t0;
    this._p._one(this);
  }
}

export interface ProberOptions {
  clock: Clock;
  log?: Log;
  spec: ProbeSpec;
  /** Random numbers in [0, 1): nonces and (Particle-style) random sizes. */
  rnd: () => number;
}

/**
 * Probes a set of interfaces in parallel. One evaluation at a time: `run` while busy cancels the running
 * one. The callback always comes asynchronously (never from inside `run`).
 */
export class Prober {
  spec: ProbeSpec;
  _clock: Clock;
  _log: Log;
  _rnd: () => number;
  _target: ProbeTarget = { host: '', echoPort: 7, port: 1883 };
  _dns: { [id: string]: { h: string; ip: string; t: number } } = {};
  _tcpOnly: { [id: string]: number } = {};
  /** Clock time of the last echo on any interface (0 = never): the echo service exists. */
  _echoAt = 0;
  _runs: IfProbe[] = [];
  _left = 0;
  _cb: ((r: ProbeResult[]) => void) | null = null;
  _gen = 0;
  /** Evaluations run and bytes spent, for metrics. */
  evaluations = 0;
  bytes = 0;

  constructor(opts: ProberOptions) {
    this._clock = opts.clock;
    this._log = opts.log || NULL_LOG;
    this.spec = opts.spec;
    this._rnd = opts.rnd;
  }

  /** True while an evaluation runs. */
  busy(): boolean {
    return this._cb !== null;
  }

  /** Probes `ifaces` (all at once); `cb` gets one result per interface, in the order given. */
  run(ifaces: NetInterface[], target: ProbeTarget, cb: (r: ProbeResult[]) => void): void {
    this.cancel();
    this._target = target;
    this._cb = cb;
    this._runs = [];
    this._left = ifaces.length;
    this.evaluations++;
    var gen = ++this._gen;
    var i;
    for (i = 0; i < ifaces.length; i++) this._runs.push(new IfProbe(this, ifaces[i]));
    if (!ifaces.length) {
      var self = this;
      this._clock.setTimeout(function () {
        if (gen === self._gen) self._end();
      }, 0);
      return;
    }
    for (i = 0; i < this._runs.length; i++) if (this._gen === gen) this._runs[i].start();
  }

  /** Stops a running evaluation; its callback never comes. */
  cancel(): void {
    if (!this._cb) return;
    this._cb = null;
    this._gen++;
    var runs = this._runs;
    this._runs = [];
    for (var i = 0; i < runs.length; i++) runs[i]._finish(E_OK);
  }

  /** Forgets resolved addresses (e.g. after the cloud host changed). */
  forget(): void {
    this._dns = {};
  }

  _one(p: IfProbe): void {
    if (this._runs.indexOf(p) < 0) return;
    this.bytes += p._res.bytes;
    this._log.log(LOG_DEBUG, 'probe', p._if.id + ' ' + PROBE_METHOD_NAMES[p._res.method] + ' rtt ' + Math.round(p._res.rtt) + ' loss ' + Math.round(p._res.loss * 100) + '%');
    if (--this._left > 0) return;
    var self = this;
    var gen = this._gen;
    // Deliver from a fresh timer tick: a probe can finish inside an interface's own event.
    this._clock.setTimeout(function () {
      if (gen === self._gen) self._end();
    }, 0);
  }

  _end(): void {
    var cb = this._cb;
    if (!cb) return;
    this._cb = null;
    var out: ProbeResult[] = [];
    for (var i = 0; i < this._runs.length; i++) out.push(this._runs[i]._res);
    this._runs = [];
    cb(out);
  }
}
