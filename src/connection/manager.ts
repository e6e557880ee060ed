import { Clock, TimerId } from '../../hal/clock';
import { Storage } from '../../hal/storage';
import { Log, NULL_LOG, LOG_INFO, LOG_WARN, LOG_DEBUG } from '../../hal/log';
import { Emitter } from '../util/emitter';
import { NetInterface } from '../net/interface';
import {
  IfKind, IF_OFF, IF_POWERING_ON, IF_ON, IF_CONNECTING, IF_READY, IF_DISCONNECTING, IF_POWERING_OFF, IF_FAILED,
  R_NONE, R_NO_HARDWARE, R_NO_LINK, R_NO_SERVER, IF_STATES, REASONS
} from '../net/types';
import { CloudLink } from './cloud-link';
import { Policy, PolicyIf, PolicyInput, ConnectionPolicy, DEFAULT_KIND_ORDER } from './policy';
import { Prober, ProbeResult, PROBE_METHODS, probeOrder } from './probe';
import { Prng, expBackoffMs, hash32 } from './backoff';
import { Liveness } from './liveness';
import { FailoverSequence } from './failover-sequence';
import { Move, Evaluation, MOVES_MAX, fmtS, explainEvaluation } from './metrics';
import {
  CM_IDLE, CM_WAITING, CM_PROBING, CM_CONNECTING, CM_CONNECTED, CM_BACKOFF, CM_MOVING, CM_STATES,
  CLOUD_STATUS_DISCONNECTED, CLOUD_STATUS_CONNECTING, CLOUD_STATUS_CONNECTED, CLOUD_STATUS_DISCONNECTING,
  NETWORK_STATUS_POWERING_OFF, NETWORK_STATUS_OFF, NETWORK_STATUS_POWERING_ON, NETWORK_STATUS_ON,
  NETWORK_STATUS_CONNECTING, NETWORK_STATUS_CONNECTED, NETWORK_STATUS_DISCONNECTING, NETWORK_STATUS_DISCONNECTED
} from './status';
import { nameAt } from '../util/names';

/** What the manager is built from. */
export interface ManagerOptions {
  clock: Clock;
  storage: Storage;
  log?: Log;
  interfaces: NetInterface[];
  cloud: CloudLink;
  /** The policy; default: ConnectionPolicy with `settings`. */
  policy?: Policy;
  /** Overrides of our policy's knobs (ignored when `policy` is given). */
  settings?: any;
  /** Random numbers in [0, 1) for jitter and nonces; default a Prng seeded from `seed` or the MACs. */
  rnd?: () => number;
  seed?: number;
  /**
   * Also gets every event but "state", as (name, name, value), before the manager's own listeners: the
   * runtime's System events, with no relay closure per event name.
   */
  relay?: Emitter;
}

/** Per-interface bookkeeping. */
interface IfRec {
  i: NetInterface;
  def: number;
  /** Not switched off by the user (X.off()). */
  en: boolean;
  // hold, keep, failed, probe and retryT start absent (read as false / none).
  /** Held down by the user (X.disconnect()) until X.connect() or Particle.connect(). */
  hold?: boolean;
  /** Kept up by X.connect() / Network.connect() even when the cloud is not wanted. */
  keep?: boolean;
  probe?: ProbeResult;
  readySince: number;
  /** Times it dropped out of ready (flap damping), newest last, at most 8. */
  downs: number[];
  /** A cloud connect over it failed in the current round. */
  failed?: boolean;
  prev: number;
  retryT?: TimerId;
  retryN: number;
  /** The manager (the record is the receiver of the interface's events: recState, recLink, recInfo). */
  m: ConnectionManager;
}

// The interface events of one record, called with the record as `this` (no closures per interface).
function recState(this: IfRec, st: number, reason: number): void {
  var r = this;
  var m = r.m;
  var now = m._clock.now();
  var prev = r.prev;
  r.prev = st;
  if (st === IF_READY && prev !== IF_READY) r.readySince = now;
  if (prev === IF_READY && st !== IF_READY) {
    r.readySince = 0;
    r.downs.push(now);
    if (r.downs.length > 8) r.downs.shift();
  }
  m._emit('interface_status', { id: r.i.id, kind: r.i.kind, state: st, reason: reason || R_NONE });
  var ns = m._netAggregate();
  if (ns !== m._ns) {
    m._ns = ns;
    m._emit('network_status', ns);
  }
  if (st !== IF_READY && r === m._cur) {
    var what = r.i.id + (st === IF_FAILED ? ' failed (' + nameAt(REASONS, reason || R_NO_LINK) + ')' : ' went ' + nameAt(IF_STATES, st));
    if (m._st === CM_CONNECTED || m._st === CM_MOVING) m._lost('if_down', what);
    else if (m._st === CM_CONNECTING) {
      m._cloud.disconnect();
      m._connected(m._tok, reason || R_NO_LINK);
    }
  }
  if (st !== IF_READY && r === m._target && m._st === CM_MOVING) m._handedOver(m._tok, reason || R_NO_LINK);
  m._maintain(r);
  var s = m.policy.s;
  if (st === IF_READY && prev !== IF_READY) {
    if (m._st === CM_BACKOFF && s.eventCutsBackoff && m._usable(r) && !m.policy.damped(r.downs, now)) {
      m._evaluate(true);
    } else if (m._st === CM_CONNECTED && s.failBack) {
      m._armFailBack(now + s.failBackStableMs);
    }
  }
  if (m._st === CM_WAITING) m._considerGrace();
  if ((st === IF_READY) !== (prev === IF_READY) && s.reselectOnEvent) m._reselect(r);
}

function recLink(this: IfRec, up: boolean): void {
  if (!up || !this.m._wanted(this) || this.i.state() === IF_READY) return;
  this.m._clock.clearTimeout(this.retryT);
  this.retryT = undefined;
  this.retryN = 0;
  this.m._maintain(this);
}

function recInfo(this: IfRec): void {
  if (this.m.policy.s.reselectOnEvent) this.m._reselect(this);
}

/** Per-interface metrics (what `metrics().ifs` holds). */
export interface IfMetrics {
  id: string;
  kind: IfKind;
  state: string;
  reason: string;
  enabled: boolean;
  ready: boolean;
  damped: boolean;
  rtt: number;
  loss: number;
  score: number;
  valid: boolean;
  method: string;
  probedAt: number;
  tx: number;
  rx: number;
}

export interface ManagerMetrics {
  policy: string;
  state: string;
  cloudStatus: number;
  iface: string | null;
  attempts: number;
  failures: number;
  rounds: number;
  evaluations: number;
  probeBytes: number;
  pings: number;
  pingMisses: number;
  ifs: IfMetrics[];
  moves: Move[];
}

/** Throws a TypeError unless `id` is an interface id or null. */
function checkId(what: string, id: any): void {
  if (id !== null && (typeof id !== 'string' || !id.length)) throw new TypeError(what + ': an interface id or null is required');
}

/** Default order position of a kind. */
function kindRank(kind: IfKind): number {
  var i = DEFAULT_KIND_ORDER.indexOf(kind);
  return i < 0 ? DEFAULT_KIND_ORDER.length : i;
}

/**
 * The connection manager (DESIGN.md §5). It brings the interfaces up, keeps the cloud session on the
 * best one as the policy ranks them, probes on loss or failure without blocking, watches liveness while
 * idle, fails back when enabled, and reports every step as events and metrics.
 *
 * Events on `events`: "cloud_status" (CLOUD_STATUS_*), "network_status" (NETWORK_STATUS_*),
 * "interface_status" ({id, kind, state, reason}), "cloud_interface_changed" ({from, to, reason}),
 * "probe" (ProbeResult[]), "network_reset" (), "state" (CM_*).
 */
export class ConnectionManager {
  readonly events = new Emitter();
  readonly policy: Policy;
  _clock: Clock;
  _log: Log;
  _cloud: CloudLink;
  _relay: Emitter | null;
  _rnd: () => number;
  _recs: IfRec[] = [];
  _seq: FailoverSequence;
  _prober: Prober;
  _live: Liveness;
  _st = CM_IDLE;
  _cs = CLOUD_STATUS_DISCONNECTED;
  _ns = NETWORK_STATUS_OFF;
  _started = false;
  /** The cloud is wanted (Particle.connect / AUTOMATIC). */
  _want = false;
  /** Reconnect by itself after a loss (false in MANUAL mode). */
  _auto = true;
  _paused = false;
  _ethOn = false;
  _forced: string | null = null;
  _pref?: string | null;
  _keepAliveMs = 0;
  /** The interface carrying or attempting the session (absent before the first attempt). */
  _cur?: IfRec | null;
  /** Target of a move under way. */
  _target?: IfRec | null;
  _lastId: string | null = null;
  _tok = 0;
  _t: TimerId;
  _graceT: TimerId;
  _fbT: TimerId;
  _fbDue = 0;
  _stableT: TimerId;
  _fails = 0;
  _rounds = 0;
  _failSince = 0;
  _attempts = 0;
  _failures = 0;
  _upAt = 0;
  _lastMoveAt = -1e12;
  _seqGen = 0;
  _causeCode = 'boot';
  _causeText = 'boot';
  _causeT = 0;
  // The last evaluation, and the cause, time and evaluation of the session's last coming up: set when
  // it first comes up (read only while connected), absent before.
  _ev?: Evaluation | null;
  _upCause?: string;
  _upCauseT?: number;
  _upEv?: Evaluation | null;
  /** The log of moves, made on the first move. */
  _moves?: Move[];
  /** Clock time at construction: why() reports times since then (uptime on a board). */
  _t0: number;

  constructor(opts: ManagerOptions) {
    if (!opts || !opts.clock || !opts.storage || !opts.cloud || !Array.isArray(opts.interfaces)) {
      throw new TypeError('ConnectionManager: {clock, storage, cloud, interfaces} required');
    }
    var self = this;
    this._clock = opts.clock;
    this._t0 = opts.clock.now();
    this._log = opts.log || NULL_LOG;
    this._cloud = opts.cloud;
    this._relay = opts.relay || null;
    this.policy = opts.policy || new ConnectionPolicy(opts.settings);
    var seed = opts.seed;
    if (seed === undefined) {
      var macs = '';
      for (var m = 0; m < opts.interfaces.length; m++) macs += opts.interfaces[m].info().mac + opts.interfaces[m].id;
      seed = hash32(macs) ^ Math.floor(opts.clock.now());
    }
    var prng = new Prng(seed);
    this._rnd = opts.rnd || function () {
      return prng.next();
    };
    var kinds: IfKind[] = [];
    var ids: { [id: string]: IfKind } = {};
    var seen: { [k: string]: number } = {};
    for (var i = 0; i < opts.interfaces.length; i++) {
      var iface = opts.interfaces[i];
      if (kinds.indexOf(iface.kind) < 0) kinds.push(iface.kind);
      ids[iface.id] = iface.kind;
      seen[iface.kind] = (seen[iface.kind] || 0) + 1;
      var r: IfRec = {
        i: iface, def: kindRank(iface.kind) * 100 + seen[iface.kind], en: true, readySince: 0, downs: [],
        prev: iface.state(), retryN: 0, m: this,
      };
      if (r.prev === IF_READY) r.readySince = opts.clock.now();
      this._recs.push(r);
    }
    this._seq = new FailoverSequence(opts.storage, kinds, ids);
    var me = this;
    // The policy's candidate order lets an evaluation end once no pending interface can change the pick.
    this._prober = new Prober({ clock: this._clock, log: this._log, spec: this.policy.s.probe, rnd: this._rnd,
      order: probeOrder(this.policy, function () { return me._input(); }) });
    this._live = new Liveness(this._clock, this._cloud, function () {
      var c = self._cur;
      self._lost('liveness', 'liveness check failed on ' + (c ? c.i.id : '?'));
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /** Subscribes to the interfaces and the cloud. Nothing connects until connect() or networkConnect(). */
  start(): void {
    if (this._started) return;
    this._started = true;
    for (var i = 0; i < this._recs.length; i++) {
      var r = this._recs[i];
      r.i.events.on('state', recState, r);
      r.i.events.on('link', recLink, r);
      r.i.events.on('info', recInfo, r);
    }
    this._cloud.events.on('lost', this._cloudLost, this);
    this._ns = this._netAggregate();
  }

  /** Unsubscribes and stops every timer (the session is closed). */
  stop(): void {
    if (!this._started) return;
    this.disconnect();
    this._started = false;
    for (var i = 0; i < this._recs.length; i++) {
      var r = this._recs[i];
      r.i.events.off('state', recState, r);
      r.i.events.off('link', recLink, r);
      r.i.events.off('info', recInfo, r);
      this._clock.clearTimeout(r.retryT);
      r.retryT = undefined;
    }
    this._cloud.events.off('lost', this._cloudLost, this);
  }

  // ---------------------------------------------------------------- the cloud

  /**
   * Wants the cloud (Particle.connect). `forcedId`: that interface only, no fallback (Particle.connect(X));
   * null: automatic. Brings the wanted interfaces up. While connected over another interface than a newly
   * forced one, the session moves.
   */
  connect(forcedId: string | null): void {
    checkId('connect', forcedId);
    this.start();
    var changed = forcedId !== this._forced;
    this._forced = forcedId;
    this._want = true;
    var any = false;
    var i;
    for (i = 0; i < this._recs.length; i++) if (this._recs[i].en) any = true;
    for (i = 0; i < this._recs.length; i++) {
      var r = this._recs[i];
      if (forcedId !== null && r.i.id !== forcedId) continue;
      if (forcedId !== null || !any) r.en = true;
      r.hold = false;
    }
    this._maintainAll();
    if (this._paused) return;
    if (this._st === CM_IDLE) {
      this._cause(this._lastId === null ? 'boot' : 'connect', this._lastId === null ? 'boot' : 'Particle.connect()');
      this._setCs(CLOUD_STATUS_CONNECTING);
      this._evaluate(true);
    } else if (changed && forcedId !== null) {
      var c = this._cur;
      if ((this._st === CM_CONNECTED || this._st === CM_MOVING) && c && c.i.id === forcedId) return;
      this._cause('forced', 'Particle.connect(' + forcedId + ')');
      this._restart();
    } else if (changed && (this._st === CM_WAITING || this._st === CM_BACKOFF)) {
      this._evaluate(true);
    }
  }

  /** Closes the session and stops wanting the cloud (Particle.disconnect). Interfaces stay as they are. */
  disconnect(): void {
    this._want = false;
    var was = this._st;
    this._clearStep();
    this._live.stop();
    this._clearSession();
    if (was === CM_CONNECTED || was === CM_MOVING || was === CM_CONNECTING) {
      this._setCs(CLOUD_STATUS_DISCONNECTING);
      this._cloud.disconnect();
    }
    this._cur = null;
    this._setCs(CLOUD_STATUS_DISCONNECTED);
    this._setState(CM_IDLE);
  }

  /** MANUAL mode: false = after a loss, stay disconnected until connect() is called again. */
  setAutoReconnect(on: boolean): void {
    this._auto = !!on;
  }

  /** Listening mode: holds the cloud off (closing the session) until released. */
  pause(on: boolean): void {
    on = !!on;
    if (on === this._paused) return;
    this._paused = on;
    if (on) {
      var want = this._want;
      this.disconnect();
      this._want = want;
    } else if (this._want) {
      this._cause('connect', 'listening ended');
      this._setCs(CLOUD_STATUS_CONNECTING);
      this._evaluate(true);
    }
    this._maintainAll();
  }

  /** Particle.keepAlive: the idle time before a liveness ping on every kind (0 restores the policy's). */
  setKeepAlive(ms: number): void {
    if (typeof ms !== 'number' || !(ms >= 0)) throw new TypeError('setKeepAlive: ms must be a number ≥ 0');
    this._keepAliveMs = ms > 0 ? ms : 0;
    if (this._st === CM_CONNECTED && this._cur) this._startLiveness(this._cur);
  }

  // ---------------------------------------------------------------- the network

  /** Powers an interface (null: all) on, without connecting it. */
  networkOn(id: string | null): void {
    this.start();
    var l = this._pick(id);
    for (var i = 0; i < l.length; i++) {
      l[i].en = true;
      if (l[i].i.state() === IF_OFF && this._usable(l[i])) l[i].i.on();
    }
    this._maintainAll();
  }

  /** Powers an interface (null: all) off; the manager will not bring it up until on/connect. */
  networkOff(id: string | null): void {
    this.start();
    var l = this._pick(id);
    for (var i = 0; i < l.length; i++) {
      var r = l[i];
      r.en = false;
      r.keep = false;
      this._clock.clearTimeout(r.retryT);
      r.retryT = undefined;
      if (r.i.state() !== IF_OFF) r.i.off();
    }
  }

  /** Connects an interface (null: all) and keeps it up. */
  networkConnect(id: string | null): void {
    this.start();
    var l = this._pick(id);
    for (var i = 0; i < l.length; i++) {
      var r = l[i];
      r.en = true;
      r.hold = false;
      r.keep = true;
      r.retryN = 0;
      this._clock.clearTimeout(r.retryT);
      r.retryT = undefined;
    }
    this._maintainAll();
  }

  /** Disconnects an interface (null: all) and holds it down until connect. */
  networkDisconnect(id: string | null): void {
    this.start();
    var l = this._pick(id);
    for (var i = 0; i < l.length; i++) {
      var r = l[i];
      r.hold = true;
      r.keep = false;
      this._clock.clearTimeout(r.retryT);
      r.retryT = undefined;
      var st = r.i.state();
      if (st === IF_READY || st === IF_CONNECTING) r.i.disconnect();
    }
  }

  /** FEATURE_ETHERNET_DETECTION: Ethernet is brought up only when on. */
  setEthernetDetection(on: boolean): void {
    this._ethOn = !!on;
    if (this._started) this._maintainAll();
  }

  /** Re-reads what the interfaces say of themselves (e.g. after new Wi-Fi credentials). */
  refresh(): void {
    for (var i = 0; i < this._recs.length; i++) this._recs[i].retryN = 0;
    this._maintainAll();
    if (this._st === CM_WAITING) this._considerGrace();
  }

  // ---------------------------------------------------------------- preference and sequence

  /** X.prefer(on): one preferred interface at a time; `id` null (Network.prefer()) clears it. */
  prefer(id: string | null, on: boolean): void {
    checkId('prefer', id);
    if (id === null) this._pref = null;
    else if (on) this._pref = id;
    else if (this._pref === id) this._pref = null;
  }

  preferred(): string | null {
    return this._pref || null;
  }

  /** Network.setServerInterfaces: stores the normalised list; applies from the next attempt. */
  setSequence(list: any): IfKind[] {
    var seq = this._seq.set(list);
    for (var i = 0; i < this._recs.length; i++) this._recs[i].failed = false;
    return seq;
  }

  getSequence(): IfKind[] {
    return this._seq.get();
  }

  /** System.clearConfiguration: the failover sequence and the preference. */
  clearConfiguration(): void {
    this._seq.clear();
    this._pref = null;
    for (var i = 0; i < this._recs.length; i++) this._recs[i].failed = false;
  }

  // ---------------------------------------------------------------- reading

  state(): number {
    return this._st;
  }

  cloudStatus(): number {
    return this._cs;
  }

  connected(): boolean {
    return (this._st === CM_CONNECTED || this._st === CM_MOVING) && this._cloud.connected();
  }

  /** The interface carrying the session, or null. */
  cloudIface(): NetInterface | null {
    return this.connected() && this._cur ? this._cur.i : null;
  }

  forced(): string | null {
    return this._forced;
  }

  interfaces(): NetInterface[] {
    var out: NetInterface[] = [];
    for (var i = 0; i < this._recs.length; i++) out.push(this._recs[i].i);
    return out;
  }

  /** True while a probe stalls the application (a blocking policy only). */
  blocking(): boolean {
    return this.policy.s.probeBlocking && this._prober.busy();
  }

  /** The log of moves, oldest first. */
  moves(): Move[] {
    return this._moves ? this._moves.slice() : [];
  }

  metrics(): ManagerMetrics {
    var now = this._clock.now();
    var ifs: IfMetrics[] = [];
    for (var i = 0; i < this._recs.length; i++) {
      var r = this._recs[i];
      var p = r.probe;
      var c = r.i.counters();
      ifs.push({
        id: r.i.id, kind: r.i.kind, state: nameAt(IF_STATES, r.i.state()), reason: nameAt(REASONS, r.i.reason()),
        enabled: r.en && !r.hold, ready: r.i.state() === IF_READY, damped: this.policy.damped(r.downs, now),
        rtt: p ? p.rtt : -1, loss: p ? p.loss : -1, score: p ? p.score : -1, valid: p ? p.valid : false,
        method: p ? nameAt(PROBE_METHODS, p.method) : 'none', probedAt: p ? p.t : -1, tx: c.tx, rx: c.rx
      });
    }
    return {
      policy: this.policy.name, state: nameAt(CM_STATES, this._st), cloudStatus: this._cs,
      iface: this._cur && this.connected() ? this._cur.i.id : null, attempts: this._attempts, failures: this._failures,
      rounds: this._rounds, evaluations: this._prober.evaluations, probeBytes: this._prober.bytes,
      pings: this._live.pings, pingMisses: this._live.misses, ifs: ifs, moves: this.moves()
    };
  }

  /** "Why is the cloud on this interface?" in one line. */
  why(): string {
    var c = this._cur;
    if ((this._st === CM_CONNECTED || this._st === CM_MOVING) && c) {
      var w = 'on ' + c.i.id + ': ' + this._upCause + ' at ' + fmtS(this._upCauseT! - this._t0);
      return this._upEv ? w + '; ' + explainEvaluation(this._upEv, c.i.id) : w;
    }
    var s = 'not connected: ' + nameAt(CM_STATES, this._st);
    if (this._st === CM_CONNECTING && c) s += ' over ' + c.i.id;
    if (this._st === CM_BACKOFF) s += ' after ' + this._rounds + ' failed round(s)';
    if (this._st !== CM_IDLE && this._causeText) s += '; ' + this._causeText + ' at ' + fmtS(this._causeT - this._t0);
    return s;
  }

  // ---------------------------------------------------------------- internals: the decision loop

  /** Emits a System-visible event: first to the relay (if any), then to the manager's listeners. */
  _emit(ev: string, v: any): void {
    if (this._relay) this._relay.emit(ev, ev, v);
    this.events.emit(ev, v);
  }

  _setState(st: number): void {
    if (st === this._st) return;
    this._st = st;
    this._log.log(LOG_DEBUG, 'mgr', nameAt(CM_STATES, st));
    this.events.emit('state', st);
  }

  _setCs(v: number): void {
    if (v === this._cs) return;
    this._cs = v;
    this._emit('cloud_status', v);
  }

  _cause(code: string, text: string): void {
    this._causeCode = code;
    this._causeText = text;
    this._causeT = this._clock.now();
  }

  /** Cancels whatever step is under way (timers, a probe, a connect attempt). */
  _clearStep(): void {
    var c = this._clock;
    c.clearTimeout(this._t);
    c.clearTimeout(this._graceT);
    this._t = undefined;
    this._graceT = undefined;
    this._prober.cancel();
    this._tok++;
    this._target = null;
  }

  /** Timers that live with a session. */
  _clearSession(): void {
    var c = this._clock;
    c.clearTimeout(this._fbT);
    c.clearTimeout(this._stableT);
    this._fbT = undefined;
    this._stableT = undefined;
    this._fbDue = 0;
  }

  /** Drops the current session (or attempt) and selects again, now. */
  _restart(): void {
    var was = this._st;
    this._clearStep();
    this._live.stop();
    this._clearSession();
    if (was === CM_CONNECTED || was === CM_MOVING || was === CM_CONNECTING) this._cloud.disconnect();
    if (was === CM_CONNECTED || was === CM_MOVING) this._setCs(CLOUD_STATUS_DISCONNECTED);
    this._cur = null;
    this._setCs(CLOUD_STATUS_CONNECTING);
    this._evaluate(true);
  }

  _usable(r: IfRec): boolean {
    return r.en && !r.hold && !this._paused && (r.i.kind !== 'ethernet' || this._ethOn);
  }

  _wanted(r: IfRec): boolean {
    return this._usable(r) && (r.keep || (this._want && (this._forced === null || this._forced === r.i.id)));
  }

  _ready(r: IfRec): boolean {
    return this._usable(r) && r.i.state() === IF_READY && (this._forced === null || this._forced === r.i.id) && this._tlsOk(r);
  }

  /** With `requireTls`, only an interface that can provide TLS may carry the cloud. */
  _tlsOk(r: IfRec): boolean {
    return !this.policy.s.requireTls || (typeof r.i.canTls === 'function' && r.i.canTls());
  }

  _pending(r: IfRec): boolean {
    if (!this._wanted(r) || !this._tlsOk(r)) return false;
    var st = r.i.state();
    return st === IF_POWERING_ON || st === IF_CONNECTING || (st === IF_ON && r.i.configured());
  }

  _pick(id: string | null): IfRec[] {
    checkId('network', id);
    if (id === null) return this._recs.slice();
    for (var i = 0; i < this._recs.length; i++) if (this._recs[i].i.id === id) return [this._recs[i]];
    return [];
  }

  _view(r: IfRec, now: number): PolicyIf {
    return {
      id: r.i.id, kind: r.i.kind, def: r.def, ready: this._ready(r), pending: this._pending(r), probe: r.probe || null,
      preferred: r.i.id === this._pref, damped: this.policy.damped(r.downs, now), failed: !!r.failed, readySince: r.readySince
    };
  }

  /** The policy's input over the usable interfaces. */
  _input(): PolicyInput {
    var now = this._clock.now();
    var ifs: PolicyIf[] = [];
    for (var i = 0; i < this._recs.length; i++) if (this._usable(this._recs[i])) ifs.push(this._view(this._recs[i], now));
    return {
      now: now, ifs: ifs, forced: this._forced, sequence: this.policy.s.useSequence ? this._seq.get() : [],
      current: this._cur ? this._cur.i.id : null
    };
  }

  _recOf(id: string): IfRec | null {
    for (var i = 0; i < this._recs.length; i++) if (this._recs[i].i.id === id) return this._recs[i];
    return null;
  }

  /** Ready candidates of this round, in policy order. */
  _candidates(inp: PolicyInput): IfRec[] {
    var order = this.policy.order(inp);
    var out: IfRec[] = [];
    var excl = this.policy.s.excludeFailed;
    for (var i = 0; i < order.length; i++) {
      var r = this._recOf(order[i]);
      if (r && this._ready(r) && !(excl && r.failed)) out.push(r);
    }
    return out;
  }

  _evaluation(inp: PolicyInput, cands: IfRec[], probes: ProbeResult[]): Evaluation {
    var order: string[] = [];
    for (var i = 0; i < cands.length; i++) order.push(cands[i].i.id);
    return { t: inp.now, basis: this.policy.basis(inp), order: order, probes: probes, seq: inp.sequence.slice() };
  }

  /**
   * Selects the next attempt: no ready candidate → wait; one (or forced) → attempt; several → probe them
   * all at once (when `probe`), then attempt the head of the order.
   */
  _evaluate(probe: boolean): void {
    this._clearStep();
    if (!this._want || this._paused) {
      this._setState(CM_IDLE);
      return;
    }
    var inp = this._input();
    var cands = this._candidates(inp);
    if (!cands.length) {
      if (this.policy.s.excludeFailed) {
        for (var i = 0; i < this._recs.length; i++) {
          if (this._ready(this._recs[i]) && this._recs[i].failed) {
            // Every ready interface failed this round: the round is over.
            this._roundOver();
            return;
          }
        }
      }
      this._cur = null;
      this._setState(CM_WAITING);
      this._considerGrace();
      return;
    }
    if (!probe || cands.length === 1 || this._forced !== null) {
      this._attempt(cands[0], this._evaluation(inp, cands, []));
      return;
    }
    this._probe(cands, false);
  }

  /** Probes `cands` in parallel; then attempts the best (or, when `whileUp`, considers a move). */
  _probe(cands: IfRec[], whileUp: boolean): void {
    var self = this;
    var ifaces: NetInterface[] = [];
    for (var i = 0; i < cands.length; i++) ifaces.push(cands[i].i);
    if (!whileUp) {
      this._cur = null;
      this._setState(CM_PROBING);
    }
    var tgt = { host: this._cloud.host(), echoPort: this._cloud.echoPort(), port: this._cloud.port() };
    this._prober.run(ifaces, tgt, function (res: ProbeResult[]) {
      for (var k = 0; k < res.length; k++) {
        var r = self._recOf(res[k].id);
        if (r) r.probe = res[k];
      }
      self._emit('probe', res);
      var inp = self._input();
      var next = self._candidates(inp);
      if (whileUp) {
        // Connected: move only if the head of the order is another interface the policy says is worth it.
        var cur = self._cur;
        if (self._st !== CM_CONNECTED || !cur || !next.length || next[0] === cur) return;
        var now = self._clock.now();
        if (!self.policy.shouldMove(inp, self._view(next[0], now), self._view(cur, now), self._lastMoveAt)) return;
        var code = self.policy.s.failBack ? 'fail_back' : 'reselect';
        self._cause(code, (code === 'fail_back' ? 'fail-back from ' : 're-selection from ') + cur.i.id);
        self._move(next[0], self._evaluation(inp, next, res));
      } else if (self._st !== CM_PROBING) return;
      else if (!next.length) self._evaluate(false);
      else self._attempt(next[0], self._evaluation(inp, next, res));
    });
  }

  /** In CM_WAITING: attempt the first ready candidate, unless a higher-ranked one may still come up. */
  _considerGrace(): void {
    if (this._st !== CM_WAITING) return;
    var inp = this._input();
    var order = this.policy.order(inp);
    var head: IfRec | null = null;
    var above = false;
    var excl = this.policy.s.excludeFailed;
    for (var i = 0; i < order.length && !head; i++) {
      var r = this._recOf(order[i]);
      if (!r) continue;
      if (this._ready(r) && !(excl && r.failed)) head = r;
      else if (this._pending(r)) above = true;
    }
    if (!head) return;
    if (above && this.policy.s.graceMs > 0) {
      if (this._graceT === undefined) {
        var self = this;
        this._graceT = this._clock.setTimeout(function () {
          self._graceT = undefined;
          if (self._st !== CM_WAITING) return;
          var inp = self._input();
          var cands = self._candidates(inp);
          if (cands.length) self._attempt(cands[0], self._evaluation(inp, cands, []));
        }, this.policy.s.graceMs);
      }
      return;
    }
    this._clock.clearTimeout(this._graceT);
    this._graceT = undefined;
    this._attempt(head, this._evaluation(inp, this._candidates(inp), []));
  }

  _attempt(r: IfRec, ev: Evaluation): void {
    var self = this;
    this._clearStep();
    this._ev = ev;
    this._cur = r;
    this._setState(CM_CONNECTING);
    this._setCs(CLOUD_STATUS_CONNECTING);
    this._attempts++;
    var tok = this._tok;
    this._log.log(LOG_INFO, 'mgr', 'connecting over ' + r.i.id);
    this._t = this._clock.setTimeout(function () {
      if (tok !== self._tok) return;
      self._cloud.disconnect();
      self._connected(tok, R_NO_SERVER);
    }, this.policy.connectTimeoutMs(r.i.kind));
    this._cloud.connect(r.i, function (reason: number) {
      self._connected(tok, reason);
    });
  }

  _connected(tok: number, reason: number): void {
    if (tok !== this._tok || this._st !== CM_CONNECTING) return;
    this._tok++;
    this._clock.clearTimeout(this._t);
    this._t = undefined;
    var r = this._cur!;
    if (reason === R_NONE && !this._ready(r)) {
      this._cloud.disconnect();
      reason = R_NO_LINK;
    }
    if (reason === R_NONE) this._up(r);
    else this._failed(r, reason);
  }

  _up(r: IfRec): void {
    var self = this;
    var now = this._clock.now();
    var s = this.policy.s;
    this._setState(CM_CONNECTED);
    this._upAt = now;
    this._failSince = 0;
    for (var i = 0; i < this._recs.length; i++) this._recs[i].failed = false;
    if (s.stableMs > 0) {
      this._stableT = this._clock.setTimeout(function () {
        self._stableT = undefined;
        self._fails = 0;
        self._rounds = 0;
      }, s.stableMs);
    } else {
      this._fails = 0;
      this._rounds = 0;
    }
    this._upCause = this._causeText;
    this._upCauseT = this._causeT;
    this._upEv = this._ev;
    this._log.log(LOG_INFO, 'mgr', 'cloud up over ' + r.i.id);
    if (this._lastId !== r.i.id) this._moved(this._lastId, r.i.id, this._causeCode);
    this._setCs(CLOUD_STATUS_CONNECTED);
    this._startLiveness(r);
    this._armFailBack(now + (s.failBack ? s.failBackCheckMs : s.recheckPreferredMs));
  }

  _moved(from: string | null, to: string, code: string): void {
    var now = this._clock.now();
    var mv: Move = { t: now, from: from, to: to, reason: code, cause: this._causeText, causeT: this._causeT };
    var ms = this._moves || (this._moves = []);
    ms.push(mv);
    if (ms.length > MOVES_MAX) ms.splice(0, ms.length - MOVES_MAX);
    if (from !== null) this._lastMoveAt = now;
    this._lastId = to;
    this._emit('cloud_interface_changed', { from: from, to: to, reason: code });
  }

  _startLiveness(r: IfRec): void {
    var idle = this._keepAliveMs || this.policy.idleMs(r.i.kind);
    this._live.start(idle, this.policy.pingTimeoutMs(r.i.kind));
  }

  _failed(r: IfRec, reason: number): void {
    var s = this.policy.s;
    var now = this._clock.now();
    this._fails++;
    this._failures++;
    if (!this._failSince) this._failSince = now;
    r.failed = true;
    this._log.log(LOG_WARN, 'mgr', 'connect over ' + r.i.id + ' failed (' + nameAt(REASONS, reason) + ')');
    this._cause('connect_failed', 'connect failed on ' + r.i.id + ' (' + nameAt(REASONS, reason) + ')');
    this._cur = null;
    if (s.resetAfterMs > 0 && now - this._failSince >= s.resetAfterMs) {
      // After long continuous failure: power-cycle every wanted interface.
      this._failSince = now;
      this._log.log(LOG_WARN, 'mgr', 'resetting the network interfaces');
      this._emit('network_reset', undefined);
      for (var i = 0; i < this._recs.length; i++) {
        var w = this._recs[i];
        if (!this._wanted(w)) continue;
        w.retryN = 0;
        this._clock.clearTimeout(w.retryT);
        w.retryT = undefined;
        if (w.i.state() !== IF_OFF) w.i.off();
      }
    }
    var end = true;
    if (s.excludeFailed) {
      var left = this._candidates(this._input());
      end = left.length === 0;
    }
    if (end && s.excludeFailed) {
      this._roundOver();
      return;
    }
    this._retryAfter(this.policy.failDelayMs(this._fails, this._rounds, end, this._rnd));
  }

  /** Every candidate of the round failed: clear the round, back off, start over. */
  _roundOver(): void {
    this._rounds++;
    for (var i = 0; i < this._recs.length; i++) this._recs[i].failed = false;
    this._retryAfter(this.policy.failDelayMs(this._fails, this._rounds, true, this._rnd));
  }

  _retryAfter(delay: number): void {
    var self = this;
    if (delay <= 0) {
      this._evaluate(true);
      return;
    }
    this._clearStep();
    this._cur = null;
    this._setState(CM_BACKOFF);
    this._log.log(LOG_INFO, 'mgr', 'retry in ' + delay + ' ms');
    this._t = this._clock.setTimeout(function () {
      self._t = undefined;
      self._evaluate(true);
    }, delay);
  }

  /** The cloud's "lost" event (the manager is its receiver). */
  _cloudLost(reason: number): void {
    var c = this._cur;
    this._lost('cloud_lost', 'cloud lost on ' + (c ? c.i.id : '?') + ' (' + nameAt(REASONS, reason || R_NO_SERVER) + ')');
  }

  /** The session dropped (interface down, cloud lost, liveness). */
  _lost(code: string, text: string): void {
    if (this._st !== CM_CONNECTED && this._st !== CM_MOVING) return;
    var s = this.policy.s;
    this._log.log(LOG_WARN, 'mgr', text);
    // The interface that just lost the session must not hold back a probe decision another has won.
    if (this._cur) this._prober.suspect(this._cur.i.id);
    this._clearStep();
    this._live.stop();
    this._clearSession();
    this._cloud.disconnect();
    this._cur = null;
    this._cause(code, text);
    this._setCs(CLOUD_STATUS_DISCONNECTED);
    if (s.stableMs > 0 && this._clock.now() - this._upAt >= s.stableMs) {
      this._fails = 0;
      this._rounds = 0;
    }
    if (!this._auto) this._want = false;
    if (!this._want || this._paused) {
      this._setState(CM_IDLE);
      return;
    }
    this._setCs(CLOUD_STATUS_CONNECTING);
    var d = this.policy.lossDelayMs(this._fails, this._rounds, this._rnd);
    var self = this;
    if (d > 0) {
      this._setState(CM_BACKOFF);
      this._t = this._clock.setTimeout(function () {
        self._t = undefined;
        self._evaluate(s.probeOnLoss);
      }, d);
    } else this._evaluate(s.probeOnLoss);
  }

  // ---------------------------------------------------------------- fail-back and re-selection

  _armFailBack(at: number): void {
    var s = this.policy.s;
    if (!s.failBack && !s.recheckPreferredMs) return;
    if (this._fbT !== undefined && this._fbDue <= at) return;
    var self = this;
    this._clock.clearTimeout(this._fbT);
    this._fbDue = at;
    var d = at - this._clock.now();
    this._fbT = this._clock.setTimeout(function () {
      self._fbT = undefined;
      self._fbDue = 0;
      self._failBackCheck();
    }, d > 0 ? d : 0);
  }

  _failBackCheck(): void {
    if (this._st !== CM_CONNECTED || !this._cur || this._prober.busy()) return;
    var s = this.policy.s;
    var now = this._clock.now();
    var cur = this._cur;
    this._armFailBack(now + (s.failBack ? s.failBackCheckMs : s.recheckPreferredMs));
    var cands: IfRec[] = [];
    var other = false;
    for (var i = 0; i < this._recs.length; i++) {
      var r = this._recs[i];
      if (!this._ready(r)) continue;
      cands.push(r);
      if (r === cur) continue;
      if (this.policy.damped(r.downs, now)) {
        // Look again when the damping has decayed.
        var k = r.downs.length - s.flapCount;
        if (s.failBack && k >= 0) this._armFailBack(r.downs[k] + s.flapWindowMs + 1);
        continue;
      }
      if (s.failBack) {
        if (now - r.readySince >= s.failBackStableMs) other = true;
        else this._armFailBack(r.readySince + s.failBackStableMs);
      } else if (r.i.id === this._pref) other = true;
    }
    if (!other || this._forced !== null) return;
    if (s.failBack && now - this._lastMoveAt < s.minDwellMs) {
      this._armFailBack(this._lastMoveAt + s.minDwellMs);
      return;
    }
    // Spare cellular data: a cellular session keeps its last score instead of being probed again.
    if (cur.i.kind === 'cell' && cur.probe) cands.splice(cands.indexOf(cur), 1);
    this._probe(cands, true);
  }

  /** Particle-style re-selection on an interface event while connected. */
  _reselect(r: IfRec): void {
    if (this._st !== CM_CONNECTED || !this._cur || r === this._cur || this._forced !== null) return;
    var cands: IfRec[] = [];
    for (var i = 0; i < this._recs.length; i++) if (this._ready(this._recs[i])) cands.push(this._recs[i]);
    if (cands.length < 2) return;
    this._cause('reselect', 'network change on ' + r.i.id);
    this._probe(cands, true);
  }

  /** A voluntary move: make-before-break through CloudLink.handover when offered, else break, then make. */
  _move(r: IfRec, ev: Evaluation): void {
    var self = this;
    var cloud = this._cloud;
    if (this.policy.s.makeBeforeBreak && cloud.handover) {
      this._clearStep();
      this._setState(CM_MOVING);
      this._target = r;
      this._ev = ev;
      var tok = this._tok;
      this._t = this._clock.setTimeout(function () {
        self._handedOver(tok, R_NO_SERVER);
      }, this.policy.connectTimeoutMs(r.i.kind));
      cloud.handover(r.i, function (reason: number) {
        self._handedOver(tok, reason);
      });
      return;
    }
    this._live.stop();
    this._clearSession();
    cloud.disconnect();
    this._setCs(CLOUD_STATUS_DISCONNECTED);
    this._attempt(r, ev);
  }

  _handedOver(tok: number, reason: number): void {
    if (tok !== this._tok || this._st !== CM_MOVING) return;
    this._tok++;
    this._clock.clearTimeout(this._t);
    this._t = undefined;
    var r = this._target!;
    var from = this._cur!;
    this._target = null;
    var now = this._clock.now();
    this._setState(CM_CONNECTED);
    if (reason !== R_NONE || !this._ready(r)) {
      this._log.log(LOG_WARN, 'mgr', 'move to ' + r.i.id + ' failed (' + nameAt(REASONS, reason || R_NO_LINK) + ')');
      this._lastMoveAt = now;
      this._armFailBack(now + this.policy.s.minDwellMs);
      return;
    }
    this._cur = r;
    this._upAt = now;
    this._upCause = this._causeText;
    this._upCauseT = this._causeT;
    this._upEv = this._ev;
    this._moved(from.i.id, r.i.id, this._causeCode);
    this._startLiveness(r);
    this._clearSession();
    this._armFailBack(now + this.policy.s.failBackCheckMs);
  }

  // ---------------------------------------------------------------- interfaces

  _maintainAll(): void {
    if (!this._started) return;
    for (var i = 0; i < this._recs.length; i++) this._maintain(this._recs[i]);
  }

  /** Keeps a wanted interface coming up: at once the first time, then with a jittered backoff. */
  _maintain(r: IfRec): void {
    if (!this._wanted(r)) {
      this._clock.clearTimeout(r.retryT);
      r.retryT = undefined;
      return;
    }
    var st = r.i.state();
    if (st === IF_READY) {
      r.retryN = 0;
      this._clock.clearTimeout(r.retryT);
      r.retryT = undefined;
      return;
    }
    if (st === IF_POWERING_ON || st === IF_CONNECTING || st === IF_DISCONNECTING || st === IF_POWERING_OFF) return;
    if (r.retryT !== undefined) return;
    if (r.i.kind === 'wifi' && !r.i.configured()) return;
    // Hardware that stopped answering (a chip glitch, a modem the ladder gave up on) is tried again, but
    // only at the slowest pace: a board without the chip costs one failed probe a minute.
    var hw = st === IF_FAILED && r.i.reason() === R_NO_HARDWARE;
    if (r.retryN === 0 && !hw) {
      this._kick(r);
      return;
    }
    var s = this.policy.s;
    var self = this;
    r.retryT = this._clock.setTimeout(function () {
      r.retryT = undefined;
      self._kick(r);
    }, expBackoffMs(hw ? 30 : r.retryN, s.ifRetryBaseMs, s.ifRetryMaxMs, 0.5, this._rnd));
  }

  _kick(r: IfRec): void {
    if (!this._wanted(r)) return;
    r.retryN++;
    var st = r.i.state();
    if (r.i.configured()) {
      if (st !== IF_READY && st !== IF_CONNECTING) r.i.connect();
    } else if ((st === IF_OFF || (st === IF_FAILED && r.i.reason() === R_NO_HARDWARE)) && r.i.kind !== 'wifi') {
      // Off, or hardware that did not answer: power on again, which probes the chip or modem anew.
      r.i.on();
    }
    // Nothing changed state (e.g. on but not configured yet): look again later.
    if (r.i.state() === st) this._maintain(r);
  }


  _netAggregate(): number {
    var n = [0, 0, 0, 0, 0, 0, 0, 0];
    for (var i = 0; i < this._recs.length; i++) n[this._recs[i].i.state()]++;
    if (n[IF_READY]) return NETWORK_STATUS_CONNECTED;
    if (n[IF_CONNECTING]) return NETWORK_STATUS_CONNECTING;
    if (n[IF_DISCONNECTING]) return NETWORK_STATUS_DISCONNECTING;
    if (n[IF_POWERING_ON]) return NETWORK_STATUS_POWERING_ON;
    if (n[IF_POWERING_OFF]) return NETWORK_STATUS_POWERING_OFF;
    if (n[IF_ON] || n[IF_FAILED]) {
      var p = this._ns;
      return p === NETWORK_STATUS_CONNECTED || p === NETWORK_STATUS_DISCONNECTING || p === NETWORK_STATUS_DISCONNECTED
        ? NETWORK_STATUS_DISCONNECTED
        : NETWORK_STATUS_ON;
    }
    return NETWORK_STATUS_OFF;
  }
}

