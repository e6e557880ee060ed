import { Clock, TimerId } from '../../hal/clock';
import { Log, NULL_LOG, LOG_DEBUG } from '../../hal/log';
import { NetInterface, UdpSocket, TcpSocket } from '../net/interface';
import { IF_READY, E_OK, E_DNS, E_NETDOWN, E_NO_SOCKET, E_TIMEOUT, E_CLOSED } from '../net/types';
import type { PolicyInput } from './policy';
import { nameAt } from '../util/names';

/**
 * Interface probing: a few small UDP echo packets (RFC 862) to the cloud host through each ready
 * interface, all interfaces at once and never blocking; a timed TCP connect to the broker when no echo
 * answers. Bytes are counted as they would cross the air: payload + 28 bytes of IPv4/UDP headers.
 *
 * Early finish: given the candidate order the results lead to (ProberOptions.order), an evaluation ends as
 * soon as its winner is known: the head of that order has a complete valid result while every interface
 * still probing is ranked below it even at its best case (every outstanding echo answering now, packets not
 * yet sent answering instantly). The others are cut: their results hold what was measured by then
 * (`cut`, score a lower bound) and late answers are ignored. An interface whose session just died
 * (Prober.suspect) cannot hold the decision back until it answers an echo.
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
  /** Wait for every interface even when the winner is already known (Particle). Default false. */
  exhaustive?: boolean;
}

/** Probe methods. */
export const PM_NONE = 0;
export const PM_UDP = 1;
export const PM_TCP = 2;
export var PROBE_METHODS = 'none,udp,tcp';

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
/** How long an interface stays suspect after its session died on it (Prober.suspect). */
export const PROBE_SUSPECT_MS = 30000;

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
  /** E_* error that ended the probe early (E_OK otherwise; E_CLOSED when cut before any answer). */
  err: number;
  /**
   * Cut short by an early finish: it could no longer win. rtt, loss and bytes cover what was measured by
   * then; a valid cut result's score is a lower bound of what it could have reached.
   */
  cut?: boolean;
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

/**
 * The `order` option of a Prober from a policy and a source of its current input (a fresh object on each
 * call, e.g. the manager's `_input()`): the policy's order with each probed interface's result in place.
 * Null, so no early finish, while a session is up (`current` set): a move decision weighs margins against
 * the current interface's full result.
 */
export function probeOrder(policy: { order(inp: PolicyInput): string[] }, input: () => PolicyInput): (res: ProbeResult[]) => string[] | null {
  return function (res: ProbeResult[]) {
    var inp = input();
    if (inp.current !== null) return null;
    for (var i = 0; i < inp.ifs.length; i++) {
      for (var j = 0; j < res.length; j++) if (res[j].id === inp.ifs[i].id) inp.ifs[i].probe = res[j];
    }
    return policy.order(inp);
  };
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
  /** Reports to the Prober when it finishes (false once cut). */
  _report = true;
  /** Its session died lately: it cannot hold an early finish back until it answers. */
  _sus: boolean;
  _onState: (st: number) => void;

  constructor(p: Prober, iface: NetInterface) {
    this._p = p;
    this._if = iface;
    this._t0 = p._clock.now();
    var at = p._sus[iface.id];
    this._sus = at !== undefined && this._t0 - at < PROBE_SUSPECT_MS;
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
      if (self._done) return;
      if (self._res.recv > 0 || self._udp) self._udpEnd();
      if (!self._done) self._finish(E_TIMEOUT);
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
    p._poke();
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
    if (this._sus) {
      this._sus = false;
      delete this._p._sus[this._if.id];
    }
    if (this._res.recv === this._p.spec.count) this._udpEnd();
    else this._p._poke();
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
        if (self._done) return;
        var r = self._res;
        r.method = PM_TCP;
        r.valid = true;
        r.rtt = c.now() - self._tcpT0;
        r.score = r.rtt;
        r.loss = 0;
        // No echo service seems to exist (none answered lately on any interface): skip UDP for the next
        // few evaluations of this interface to stay within the byte budget.
        if (r.sent > 0 && !(p._echoAt > 0 && c.now() - p._echoAt < PROBE_DNS_TTL_MS)) p._tcpOnly[self._if.id] = 5;
        self._finish(E_OK);
      },
      onClose: function (err: number) {
        if (!self._done) self._finish(err === E_OK ? E_TIMEOUT : err);
      }
    });
    if (!this._tcp) this._finish(E_NO_SOCKET);
    else {
      this._res.bytes += TCP_PROBE_BYTES;
      p._poke();
    }
  }

  /**
   * A lower bound of the score this probe can still reach, or -1 when it cannot tell (resolving, or no
   * echo yet while a TCP fallback may follow). UDP: the lowest mean RTT any outcome can give, every
   * outstanding packet either answering now or never, packets not yet sent answering at once; loss
   * penalties only add to a score, so they are left out. `out.slope`: how fast the bound grows now.
   */
  _bound(now: number, out: { slope: number }): number {
    out.slope = 0;
    if (this._tcp) {
      out.slope = 1;
      return now - this._tcpT0;
    }
    if (!this._udp || (!this._res.recv && this._p.spec.tcpFallback)) return -1;
    var lbs: number[] = [];
    var sum = 0;
    var n = 0;
    var i;
    for (i = 0; i < this._rtts.length; i++) {
      if (this._rtts[i] >= 0) {
        sum += this._rtts[i];
        n++;
      } else lbs.push(now - this._sentAt[i]);
    }
    if (this._p.spec.count > this._rtts.length) n += this._p.spec.count - this._rtts.length;
    lbs.sort(function (a: number, b: number) {
      return a - b;
    });
    for (i = 0; i < lbs.length && (!n || lbs[i] < sum / n); i++) {
      sum += lbs[i];
      n++;
      out.slope++;
    }
    if (!n) return -1;
    out.slope /= n;
    return sum / n;
  }

  /**
   * What the early-finish check assumes of it: its result when done, else its best case (valid at the
   * bound; invalid while suspect without an answer; valid at 0 when it cannot tell).
   */
  _best(now: number, out: { slope: number }): ProbeResult {
    out.slope = 0;
    if (this._done) return this._res;
    var r = invalidResult(this._if.id, this._t0, E_OK);
    if (this._sus && !this._res.recv) return r;
    var b = this._bound(now, out);
    r.valid = true;
    r.method = this._tcp ? PM_TCP : PM_UDP;
    r.score = b > 0 ? b : 0;
    return r;
  }

  /** Ends it because the evaluation's winner is known: keeps what was measured, no callback. */
  _cut(now: number): void {
    var r = this._res;
    var b = this._bound(now, { slope: 0 });
    r.cut = true;
    if (this._udp && r.recv > 0) {
      var sum = 0;
      for (var i = 0; i < this._rtts.length; i++) if (this._rtts[i] >= 0) sum += this._rtts[i];
      r.method = PM_UDP;
      r.valid = true;
      r.rtt = sum / r.recv;
      r.loss = 0;
      r.score = b;
    }
    this._report = false;
    this._finish(E_CLOSED);
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
    if (this._report) this._p._one(this);
  }
}

export interface ProberOptions {
  clock: Clock;
  log?: Log;
  spec: ProbeSpec;
  /** Random numbers in [0, 1): nonces and (Particle-style) random sizes. */
  rnd: () => number;
  /**
   * The candidate order (ids, best first) the given results would lead to; one result per probed
   * interface. Null: this evaluation needs every result. Without it (or with `spec.exhaustive`) an
   * evaluation always waits for every interface. See probeOrder.
   */
  order?: (res: ProbeResult[]) => string[] | null;
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
  // _target, _runs and _cb are set by run() and read only while an evaluation runs: absent before the first.
  _target!: ProbeTarget;
  _dns: { [id: string]: { h: string; ip: string; t: number } } = {};
  _tcpOnly: { [id: string]: number } = {};
  /** Clock time of the last echo on any interface (0 = never): the echo service exists. */
  _echoAt = 0;
  _runs!: IfProbe[];
  _left = 0;
  _cb?: ((r: ProbeResult[]) => void) | null;
  _gen = 0;
  _order: ((res: ProbeResult[]) => string[] | null) | null;
  /** Early-finish check: due, or waiting for the bound of a slower interface to pass the leader. */
  _chkT: TimerId;
  _onChk: () => void;
  /** When each interface became suspect. */
  _sus: { [id: string]: number } = {};
  /** Evaluations run and bytes spent, for metrics. */
  evaluations = 0;
  bytes = 0;

  constructor(opts: ProberOptions) {
    this._clock = opts.clock;
    this._log = opts.log || NULL_LOG;
    this.spec = opts.spec;
    this._rnd = opts.rnd;
    this._order = opts.order || null;
    var self = this;
    this._onChk = function () {
      self._chkT = undefined;
      if (self._cb && self._left > 0) self._check();
    };
  }

  /** True while an evaluation runs. */
  busy(): boolean {
    return !!this._cb;
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

  /**
   * The cloud session just died on `id` while it still looked ready: for PROBE_SUSPECT_MS, until it answers
   * an echo, that interface cannot hold back an evaluation another one has already decided.
   */
  suspect(id: string): void {
    this._sus[id] = this._clock.now();
  }

  /** Stops a running evaluation; its callback never comes. */
  cancel(): void {
    if (!this._cb) return;
    this._cb = null;
    this._gen++;
    this._clock.clearTimeout(this._chkT);
    this._chkT = undefined;
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
    this._count(p);
    if (--this._left > 0) {
      this._poke();
      return;
    }
    var self = this;
    var gen = this._gen;
    this._clock.clearTimeout(this._chkT);
    // Deliver from a fresh timer tick: a probe can finish inside an interface's own event.
    this._chkT = this._clock.setTimeout(function () {
      if (gen === self._gen) self._end();
    }, 0);
  }

  _count(p: IfProbe): void {
    var r = p._res;
    this.bytes += r.bytes;
    this._log.log(LOG_DEBUG, 'probe', p._if.id + ' ' + nameAt(PROBE_METHODS, r.method) + (r.cut ? ' cut' : '') + ' rtt ' + Math.round(r.rtt) + ' loss ' + Math.round(r.loss * 100) + '%');
  }

  /** Something changed that may decide the evaluation: check from a fresh timer tick. */
  _poke(): void {
    if (!this._order || this.spec.exhaustive || !this._cb || this._left <= 0) return;
    this._clock.clearTimeout(this._chkT);
    this._chkT = this._clock.setTimeout(this._onChk, 0);
  }

  /**
   * Finishes now when the head of the order, with every unfinished probe at its best case, has a complete
   * valid result. Otherwise, when every probe ahead of it has a growing bound, checks again once the last
   * of them has passed the head's score.
   */
  _check(): void {
    var now = this._clock.now();
    var runs = this._runs;
    var res: ProbeResult[] = [];
    var slopes: number[] = [];
    var o = { slope: 0 };
    var i;
    for (i = 0; i < runs.length; i++) {
      res.push(runs[i]._best(now, o));
      slopes.push(o.slope);
    }
    var order = this._order!(res);
    if (!order) return;
    var lead = -1;
    var ahead: number[] = [];
    for (i = 0; i < order.length && lead < 0; i++) {
      for (var k = 0; k < runs.length; k++) {
        if (runs[k]._if.id !== order[i]) continue;
        if (runs[k]._done && res[k].valid) lead = k;
        else if (!runs[k]._done) ahead.push(k);
      }
    }
    if (lead < 0) return;
    if (!ahead.length) {
      // The winner is known: cut every unfinished probe and deliver.
      for (i = 0; i < runs.length; i++) {
        if (runs[i]._done) continue;
        runs[i]._cut(now);
        this._count(runs[i]);
      }
      this._left = 0;
      this._end();
      return;
    }
    // Each one ahead passes the leader's score at the latest when its bound, growing at its present
    // slope, exceeds it (sends only steepen the slope, and each send checks again).
    var at = now;
    var s = res[lead].score;
    for (i = 0; i < ahead.length; i++) {
      var k2 = ahead[i];
      if (!(slopes[k2] > 0)) return;
      var t = now + Math.floor((s - res[k2].score) / slopes[k2]) + 1;
      if (t > at) at = t;
    }
    if (at > now) this._chkT = this._clock.setTimeout(this._onChk, at - now);
  }

  _end(): void {
    var cb = this._cb;
    if (!cb) return;
    this._cb = null;
    this._clock.clearTimeout(this._chkT);
    this._chkT = undefined;
    var out: ProbeResult[] = [];
    for (var i = 0; i < this._runs.length; i++) out.push(this._runs[i]._res);
    this._runs = [];
    cb(out);
  }
}
