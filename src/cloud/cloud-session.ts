import { Clock } from '../../hal/clock';
import { Log, NULL_LOG, LOG_WARN } from '../../hal/log';
import { Storage } from '../../hal/storage';
import { Emitter } from '../util/emitter';
import { NetInterface } from '../net/interface';
import { TlsDial, canTls } from '../net/tls-dial';
import { R_NONE, R_DNS_FAILED, R_NO_SERVER, R_NOT_AUTHORISED } from '../net/types';
import { CloudLink } from '../connection/cloud-link';
import { MqttClient, MQ_OK, MQ_TOO_BIG, MQ_D_REFUSED, MQ_D_PROTOCOL } from './mqtt-client';
import { Outbox, OutboxEntry, OB_FULL } from './outbox';

/** Results passed to a `publish` callback. */
/** QoS 0: written to the connection. QoS 1: acknowledged by the broker (PUBACK). */
export const PUB_OK = 0;
/** QoS 1 kept in the outbox (offline, or the link dropped before the PUBACK): delivered after reconnect. */
export const PUB_QUEUED = 1;
/** QoS 0 while not connected. */
export const PUB_OFFLINE = 2;
/** The outbox is full and its policy is "reject-new". */
export const PUB_FULL = 3;
/** Topic plus data exceed `maxPacket`. */
export const PUB_TOO_BIG = 4;
/** QoS 0 while the connection's send backlog is full. */
export const PUB_BUSY = 5;
export var PUB_RESULTS = 'ok,queued,offline,full,too_big,busy';

/** Session states. */
export const SS_IDLE = 0;
export const SS_CONNECTING = 1;
export const SS_UP = 2;

/** Most event handlers (`subscribe`), and most functions and variables each. */
var MAX_SUBS = 8;
var MAX_FNS = 16;

export interface CloudSessionOptions {
  clock: Clock;
  log?: Log;
  /** Keeps the outbox across reboots; RAM only when omitted. */
  storage?: Storage;
  /** Broker host name or address. */
  host: string;
  /** Broker TCP port; default 1883. */
  port?: number;
  /** UDP echo port on the cloud host, for the manager's probes; default 7. */
  echoPort?: number;
  /**
   * MQTT over TLS to `tlsPort` (default 8883), dialled by name (the certificate's server name). Never falls
   * back to plain text: on an interface without TLS the connect fails at once (pair it with the policy's
   * `requireTls` so the manager does not pick such an interface).
   */
  tls?: boolean;
  tlsPort?: number;
  /** The device id: MQTT client id and topic level. No "/", "+" or "#". */
  deviceId: string;
  username?: string;
  /** Never logged, never in events. */
  password?: string;
  /** MQTT keepalive in seconds; default 60. */
  keepAliveS?: number;
  /** Largest packet in either direction, in bytes; default 2048. */
  maxPacket?: number;
  /** MQTT clean session; default false (the broker keeps subscriptions and queued QoS 1 calls). */
  clean?: boolean;
  /** QoS 1 publishes in flight at once; default 8. */
  window?: number;
  connectTimeoutMs?: number;
  pingTimeoutMs?: number;
  /**
   * Outbox: maxCount (32), maxBytes (4096), policy "drop-oldest" (default) | "reject-new", Storage prefix
   * ("mqob_"), persist "offline" (default: a QoS 1 publish is written to Storage when it cannot be sent at
   * once, or when the link drops before its PUBACK) | "always" (every QoS 1 publish is written first: survives
   * a power cut while in flight, at one flash write and one erase per message).
   */
  outbox?: { maxCount?: number; maxBytes?: number; policy?: string; prefix?: string; persist?: string };
}

interface Sub {
  p: string;
  h: (name: string, data: string, from: string) => void;
  f: string;
}

/** Calls a user's result callback; what it throws must not unwind into the client. */
function report(cb: ((r: number) => void) | undefined, r: number): void {
  try {
    if (cb) cb(r);
  } catch (x) {
    // the caller's fault; nothing to undo here
  }
}

function checkName(s: any, what: string, slash: boolean): void {
  if (typeof s !== 'string' || s.length > 64 || (!slash && !s.length) || s.indexOf('+') >= 0 || s.indexOf('#') >= 0 ||
    (!slash && s.indexOf('/') >= 0)) {
    throw new TypeError('bad ' + what + ' name');
  }
}

/**
 * The cloud session: the CloudLink the connection manager drives, and the Particle cloud layer
 * (publish / subscribe / function / variable) over MQTT. Topic layout: docs/cloud-topics.md.
 *
 * Events on `events`: "up" (iface), "lost" (R_* reason, MQ_D_* code), "rx" (every inbound packet),
 * "connected", "disconnected" (every way down, including `disconnect()`), "drop" (total dropped from
 * the outbox), "protocol_error" (codec error or packet type, before "lost").
 */
export class CloudSession implements CloudLink {
  readonly events = new Emitter();
  _o: CloudSessionOptions;
  _ck: Clock;
  _log: Log;
  _cl: MqttClient;
  _ob: Outbox;
  _pre: string;
  _maxP: number;
  _st = SS_IDLE;
  _g = 0;
  // _if, _cb, _fns and _vars start absent: no interface, no callback, nothing registered yet.
  _if?: NetInterface | null;
  _cb?: ((reason: number) => void) | null;
  _subs: Sub[] = [];
  /** Registered functions and variables by "$" + name, made on the first registration. */
  _fns?: { [k: string]: (arg: string) => any };
  _vars?: { [k: string]: () => any };
  _nf = 0;
  _nv = 0;
  _always: boolean;
  /** Clock time of the last low-memory report. */
  _lm = -1e12;

  constructor(o: CloudSessionOptions) {
    var self = this;
    checkName(o.deviceId, 'device', false);
    if (!o.host || !o.clock) throw new TypeError('host and clock are required');
    this._o = o;
    this._ck = o.clock;
    this._log = o.log || NULL_LOG;
    this._pre = 'd/' + o.deviceId + '/';
    this._maxP = o.maxPacket || 2048;
    var ob = o.outbox || {};
    this._always = ob.persist === 'always';
    // The outbox settings given (prefix, maxCount, maxBytes, policy), not a key per setting left undefined.
    this._ob = new Outbox(Object.assign({}, ob, {
      storage: o.storage, log: o.log,
      onDrop: function (n: number) {
        self.events.emit('drop', n);
      },
    }));
    this._cl = new MqttClient({
      clock: o.clock, log: o.log, id: o.deviceId, user: o.username, pass: o.password, clean: o.clean,
      keepAliveS: o.keepAliveS, maxPacket: this._maxP, maxTx: 2 * this._maxP, window: o.window,
      connectTimeoutMs: o.connectTimeoutMs, pingTimeoutMs: o.pingTimeoutMs,
      will: { topic: this._pre + 'status', payload: 'offline', qos: 1, retain: true },
      // The client calls these with this session as `this`: no closure per callback.
      onUp: this._up, onDown: this._down, onMessage: this._msg, onPubAck: this._acked, onSubAck: this._subAck,
      onRx: this._rx, onDrain: this._pump, ctx: this,
    });
  }

  // ---- CloudLink ----

  connect(iface: NetInterface, cb: (reason: number) => void): void {
    var self = this;
    if (!iface || typeof cb !== 'function') throw new TypeError('connect(iface, cb)');
    this._stop();
    var g = this._g;
    this._if = iface;
    this._cb = cb;
    this._st = SS_CONNECTING;
    if (this._o.tls) {
      // TLS dials by name; an interface without TLS fails now (asynchronously, as every connect result).
      if (!canTls(iface)) {
        this._ck.setTimeout(function () {
          if (g === self._g) self._fail(R_NO_SERVER);
        }, 0);
        return;
      }
      this._cl.connect(new TlsDial(iface, this._o.host, this.port()), this._o.host, this.port());
      return;
    }
    iface.resolve(this._o.host, function (err, ip) {
      if (g !== self._g) return;
      if (err) self._fail(R_DNS_FAILED);
      else self._cl.connect(iface, ip, self.port());
    });
  }

  disconnect(): void {
    if (this._st === SS_UP) this._cl.publish(this._pre + 'status', 'offline', 0, true);
    this._stop();
  }

  connected(): boolean {
    return this._st === SS_UP;
  }

  iface(): NetInterface | null {
    return this._if || null;
  }

  ping(timeoutMs: number, cb: (ok: boolean) => void): void {
    this._cl.ping(timeoutMs, cb);
  }

  lastRx(): number {
    return this._cl.lastRx();
  }

  host(): string {
    return this._o.host;
  }

  echoPort(): number {
    return this._o.echoPort || 7;
  }

  port(): number {
    if (this._o.tls) return this._o.tlsPort || 8883;
    return this._o.port || 1883;
  }

  // ---- Particle cloud layer ----

  deviceId(): string {
    return this._o.deviceId;
  }

  /** MQTT keepalive in seconds for the next connection (0 = off). */
  keepAlive(s: number): void {
    if (typeof s !== 'number' || !(s >= 0) || s > 65535) throw new TypeError('keepAlive(seconds)');
    this._cl.setKeepAlive(Math.round(s));
  }

  /**
   * Publishes event `name` to `d/<id>/e/<name>`. `opts.qos` 0 (default) or 1; `opts.retained`. `cb(result)`
   * is called once, never before this returns, with a PUB_* result. Returns true when sent or queued.
   */
  publish(name: string, data?: any, opts?: { qos?: number; retained?: boolean }, cb?: (result: number) => void): boolean {
    checkName(name, 'event', true);
    if (!name) throw new TypeError('bad event name');
    var p = data === undefined || data === null ? '' : '' + data;
    var qos = opts && opts.qos ? 1 : 0;
    var ret = !!(opts && opts.retained);
    var t = this._pre + 'e/' + name;
    var up = this._st === SS_UP;
    var r: number;
    if (t.length + p.length + 7 > this._maxP) r = PUB_TOO_BIG;
    else if (!qos) r = !up ? PUB_OFFLINE : this._ck.now() - this._lm < 10000 || this._cl.publish(t, p, 0, ret) ? PUB_BUSY : PUB_OK;
    else {
      var a = this._ob.add(t, p, ret, !up || this._always);
      if (a) r = a === OB_FULL ? PUB_FULL : PUB_TOO_BIG;
      else if (!up) r = PUB_QUEUED;
      else {
        var e = this._ob.q[this._ob.q.length - 1];
        e.cb = cb;
        this._pump();
        if (!e.f) this._ob.save(e);
        return true;
      }
    }
    if (cb) {
      this._ck.setTimeout(function () {
        cb(r);
      }, 0);
    }
    return r === PUB_OK || r === PUB_QUEUED;
  }

  /**
   * Calls `handler(name, data, fromDeviceId)` for every event whose name starts with `prefix`, from any
   * device. The broker filters on the prefix's complete "/" levels, the device on the rest.
   * Returns false when MAX_SUBS handlers exist.
   */
  subscribe(prefix: string, handler: (name: string, data: string, from: string) => void): boolean {
    checkName(prefix, 'event', true);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (this._subs.length >= MAX_SUBS) return false;
    var f = 'd/+/e/' + prefix.substr(0, prefix.lastIndexOf('/') + 1) + '#';
    var known = this._filters().indexOf(f) >= 0;
    this._subs.push({ p: prefix, h: handler, f: f });
    if (!known && this._st === SS_UP) this._cl.subscribe([f], [0]);
    return true;
  }

  /** Removes every event handler. */
  unsubscribe(): void {
    var f = this._filters();
    this._subs = [];
    if (f.length && this._st === SS_UP) this._cl.unsubscribe(f);
  }

  /** Registers `fn(arg)`, callable from the cloud; its result is sent back as an integer. False when full. */
  function(name: string, fn: (arg: string) => any): boolean {
    checkName(name, 'function', false);
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    var fs = this._fns || (this._fns = {});
    if (!fs['$' + name] && this._nf >= MAX_FNS) return false;
    if (!fs['$' + name]) this._nf++;
    fs['$' + name] = fn;
    return true;
  }

  /** Registers `getter()`, readable from the cloud. False when full. */
  variable(name: string, getter: () => any): boolean {
    checkName(name, 'variable', false);
    if (typeof getter !== 'function') throw new TypeError('getter must be a function');
    var vs = this._vars || (this._vars = {});
    if (!vs['$' + name] && this._nv >= MAX_FNS) return false;
    if (!vs['$' + name]) this._nv++;
    vs['$' + name] = getter;
    return true;
  }

  /**
   * Low memory: every queued QoS 1 publish goes to Storage (the copies of those not in flight leave RAM)
   * and QoS 0 publishes are refused with PUB_BUSY for 10 s rather than added to the send backlog.
   */
  shed(): void {
    this._lm = this._ck.now();
    this._ob.persist();
  }

  /** Writes every unacknowledged QoS 1 publish to Storage now (before a controlled reboot). */
  flush(): void {
    this._ob.persist();
  }

  /** Outbox and delivery counters. */
  stats(): { queued: number; queuedBytes: number; dropped: number; resent: number; inFlight: number } {
    var ob = this._ob;
    return { queued: ob.count(), queuedBytes: ob.bytes(), dropped: ob.nDropped, resent: this._cl.nResent, inFlight: this._cl.inFlight() };
  }

  // ---- internals ----

  _filters(): string[] {
    var f: string[] = [];
    for (var i = 0; i < this._subs.length; i++) if (f.indexOf(this._subs[i].f) < 0) f.push(this._subs[i].f);
    return f;
  }

  _subAck(e: any, codes: number[] | null): void {
    if (codes && codes.indexOf(0x80) >= 0) this._log.log(LOG_WARN, 'cloud', 'subscription refused');
  }

  _rx(): void {
    this.events.emit('rx');
  }

  _up(): void {
    var cb = this._cb;
    this._cb = null;
    this._st = SS_UP;
    var t = [this._pre + 'f/#', this._pre + 'v/+/get'].concat(this._filters());
    var q: number[] = [];
    for (var i = 0; i < t.length; i++) q.push(i ? 0 : 1);
    this._cl.subscribe(t, q);
    this._cl.publish(this._pre + 'status', 'online', 1, true, null);
    this._pump();
    if (cb) cb(R_NONE);
    this.events.emit('up', this._if);
    this.events.emit('connected');
  }

  /** The client went down on its own. */
  _down(code: number, detail: number): void {
    var was = this._st;
    this._st = SS_IDLE;
    if (code === MQ_D_PROTOCOL) this.events.emit('protocol_error', detail);
    if (was === SS_CONNECTING) {
      this._fail(code === MQ_D_REFUSED && (detail === 4 || detail === 5) ? R_NOT_AUTHORISED : R_NO_SERVER);
    } else if (was === SS_UP) {
      this._if = null;
      this._offline();
      this.events.emit('lost', R_NO_SERVER, code);
      this.events.emit('disconnected');
    }
  }

  /** A connect attempt failed: its callback gets `reason`. */
  _fail(reason: number): void {
    var cb = this._cb;
    this._cb = null;
    this._if = null;
    this._st = SS_IDLE;
    this._cl.close();
    if (cb) cb(reason);
  }

  /** Ends the session or abandons a connect (its callback is not called). */
  _stop(): void {
    var was = this._st;
    this._g++;
    this._cb = null;
    this._if = null;
    this._st = SS_IDLE;
    this._cl.close();
    if (was === SS_UP) {
      this._offline();
      this.events.emit('disconnected');
    }
  }

  /** Unacknowledged QoS 1 publishes go to Storage; their callbacks learn they are queued. */
  _offline(): void {
    var q = this._ob.q;
    this._ob.persist();
    for (var i = 0; i < q.length; i++) {
      var cb = q[i].cb;
      q[i].cb = undefined;
      report(cb, PUB_QUEUED);
    }
  }

  /** Hands outbox entries to the client, oldest first, while its window takes them. */
  _pump(): void {
    var ob = this._ob;
    while (this._st === SS_UP) {
      var e = ob.next();
      if (!e) return;
      var r = this._cl.publish(e.t!, e.p!, 1, e.r, e);
      if (r === MQ_TOO_BIG) ob.ack(e);
      else if (r !== MQ_OK) return;
      else e.f = true;
    }
  }

  _acked(e: OutboxEntry | null): void {
    if (e) {
      this._ob.ack(e);
      var cb = e.cb;
      e.cb = undefined;
      report(cb, PUB_OK);
    }
    this._pump();
  }

  _msg(t: string, p: string): void {
    var pre = this._pre;
    var v: any;
    if (t.indexOf(pre) === 0) {
      var k = t.substr(pre.length, 2);
      var rest = t.substr(pre.length + 2);
      if (k === 'f/') {
        var fn = this._fns && this._fns['$' + rest.split('/')[0]];
        if (!fn) v = 'err:unknown';
        else {
          try {
            v = '' + (fn(p) | 0);
          } catch (x) {
            v = 'err:exception';
          }
        }
        this._cl.publish(pre + 'r/' + rest, v, 0, false);
        return;
      }
      if (k === 'v/' && rest.substr(rest.length - 4) === '/get') {
        var name = rest.substr(0, rest.length - 4);
        var g = this._vars && this._vars['$' + name];
        if (!g) v = 'err:unknown';
        else {
          try {
            v = g();
            v = typeof v === 'string' ? v : JSON.stringify(v);
          } catch (x) {
            v = 'err:exception';
          }
        }
        this._cl.publish(pre + 'v/' + name, v, 0, false);
        return;
      }
    }
    var i = t.indexOf('/', 2);
    if (t.substr(0, 2) !== 'd/' || t.substr(i, 3) !== '/e/') return;
    var ev = t.substr(i + 3);
    var from = t.substr(2, i - 2);
    var s = this._subs.slice();
    for (var j = 0; j < s.length; j++) {
      if (ev.indexOf(s[j].p) !== 0) continue;
      try {
        s[j].h(ev, p, from);
      } catch (x) {
        this._log.log(LOG_WARN, 'cloud', 'handler threw');
      }
    }
  }
}
