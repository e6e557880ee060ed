import { Clock, TimerId } from '../../hal/clock';
import { Log, NULL_LOG, LOG_INFO, LOG_WARN } from '../../hal/log';
import { TcpOptions, TcpSocket } from '../net/interface';
import { E_NO_SOCKET } from '../net/types';
import {
  MqttDecoder, MqttPacket, MqttWill, encConnect, encPublish, encAck, encSubscribe, encUnsubscribe,
  PINGREQ_BYTES, DISCONNECT_BYTES, CONNACK, PUBLISH, PUBACK, SUBACK, UNSUBACK, PINGRESP, PUBREC, PUBREL, PUBCOMP,
} from './mqtt-codec';
import { nameAt } from '../util/names';

/** Client states: one number, `_st`. */
export const MC_DOWN = 0;
export const MC_OPENING = 1;
export const MC_CONNACK = 2;
export const MC_UP = 3;

/** Call results (`publish`, `subscribe`, `unsubscribe`): 0 = accepted. */
export const MQ_OK = 0;
export const MQ_OFFLINE = 1;
export const MQ_BUSY = 2;
export const MQ_TOO_BIG = 3;

/** Why the session went down (`onDown(code, detail)`). */
/** The socket closed or failed; detail is its E_* code. */
export const MQ_D_SOCKET = 1;
/** No CONNACK in time, or no PINGRESP in time (keepalive); detail 0. */
export const MQ_D_TIMEOUT = 2;
/** Oversize or malformed input, or a packet the client does not accept; detail is the codec error or packet type. */
export const MQ_D_PROTOCOL = 3;
/** CONNACK refused the connection; detail is its return code (4 bad user/password, 5 not authorised). */
export const MQ_D_REFUSED = 4;
export var MQ_DOWN_CAUSES = ',socket,timeout,protocol,refused';

/** Bytes handed to the socket per `write` call. */
var CHUNK = 512;

/** What the client needs of a network interface: a TCP socket (NetInterface satisfies it). */
export interface TcpOpener {
  tcp(opts: TcpOptions): TcpSocket | null;
}

export interface MqttClientOptions {
  clock: Clock;
  log?: Log;
  /** Client identifier (the device id). */
  id: string;
  user?: string;
  /** Never logged. */
  pass?: string;
  /** Clean session flag (§3.1.2.4); default false: the broker keeps subscriptions and QoS 1 messages. */
  clean?: boolean;
  /** Keepalive in seconds (§3.1.2.10); default 60, 0 = off. */
  keepAliveS?: number;
  will?: MqttWill;
  /** Largest incoming packet in bytes; default 4096. */
  maxPacket?: number;
  /** Largest outgoing backlog in bytes (queued while the socket is full); default 4096. */
  maxTx?: number;
  /** Most QoS 1 publishes awaiting PUBACK (and most SUBSCRIBE/UNSUBSCRIBE awaiting an ack); default 8. */
  window?: number;
  /** TCP connect plus CONNACK; default 30000. */
  connectTimeoutMs?: number;
  /** Wait for PINGRESP after a keepalive PINGREQ; default 10000. */
  pingTimeoutMs?: number;
  /** CONNACK accepted. */
  onUp?: (sessionPresent: boolean) => void;
  /** The connection ended other than by `close()`: an MQ_D_* code and its detail. */
  onDown?: (code: number, detail: number) => void;
  /** An application message (QoS 0 or 1; QoS 1 is acknowledged after this returns). */
  onMessage?: (topic: string, payload: string, qos: number, retain: boolean) => void;
  /** A QoS 1 publish was acknowledged; `tag` is what `publish` was given. */
  onPubAck?: (tag: any) => void;
  /** SUBACK (return codes) or UNSUBACK (null) for the call given `tag`. */
  onSubAck?: (tag: any, granted: number[] | null) => void;
  /** Any inbound packet (proof of life). */
  onRx?: () => void;
  /** The outgoing backlog emptied after the socket had been full. */
  onDrain?: () => void;
  /** Receiver (`this`) of the on* callbacks; default this options object. Lets an owner pass its methods. */
  ctx?: any;
}

/** A QoS 1 publish awaiting PUBACK. */
interface Flight {
  i: number;
  t: string;
  p: string;
  r: boolean;
  g: any;
  /** Sent on this connection. */
  c: boolean;
  /** Sent before: resend with DUP. */
  d: boolean;
}

interface PingWait {
  cb: (ok: boolean) => void;
  t: TimerId;
}

/**
 * MQTT 3.1.1 client over any TcpSocket of the net/ contract. QoS 0 and 1 out and in; QoS 1 publishes
 * stay in a bounded window until PUBACKed and are resent (DUP) in order after a reconnect. Inbound
 * QoS 2 is refused as a protocol error: the client never subscribes above QoS 1, so a broker must not
 * send it. Reconnecting is the caller's decision (`connect` again).
 */
export class MqttClient {
  _o: MqttClientOptions;
  _ck: Clock;
  _log: Log;
  _st = MC_DOWN;
  _g = 0;
  /** The socket while connecting or up; absent before the first connect. */
  _sock?: TcpSocket | null;
  _dec: MqttDecoder;
  _q = '';
  _full = false;
  _win: Flight[] = [];
  _pend: Array<{ i: number; g: any }> = [];
  _pw: PingWait[] = [];
  _nid = 0;
  _ka: number;
  _ct: TimerId;
  _kt: TimerId;
  _ltx = 0;
  _lrx = 0;
  /** Counters: PUBLISH resent with DUP, PINGREQ sent, PINGRESP received. */
  nResent = 0;
  nPing = 0;
  nPong = 0;
  _onKa: () => void;
  _onKaPing: (ok: boolean) => void;
  _onCt: () => void;

  constructor(o: MqttClientOptions) {
    var self = this;
    this._o = o;
    this._ck = o.clock;
    this._log = o.log || NULL_LOG;
    this._ka = o.keepAliveS === undefined ? 60 : o.keepAliveS;
    this._dec = new MqttDecoder(o.maxPacket || 4096, this._pkt, this);
    // Keepalive: ping when nothing was sent or nothing received for a keepalive period.
    this._onKa = function () {
      if (self._st !== MC_UP) return;
      var ms = self._ka * 1000;
      var now = self._ck.now();
      var idle = now - (self._ltx > self._lrx ? self._lrx : self._ltx);
      if (idle >= ms) {
        self.ping(self._o.pingTimeoutMs || 10000, self._onKaPing);
        idle = 0;
      }
      self._kt = self._ck.setTimeout(self._onKa, ms - idle);
    };
    this._onKaPing = function (ok) {
      if (!ok) self._fail(MQ_D_TIMEOUT, 0);
    };
    this._onCt = function () {
      self._fail(MQ_D_TIMEOUT, 0);
    };
  }

  /** MC_* state. */
  state(): number {
    return this._st;
  }

  /** Clock time of the last inbound bytes (0 = never). */
  lastRx(): number {
    return this._lrx;
  }

  /** QoS 1 publishes awaiting PUBACK. */
  inFlight(): number {
    return this._win.length;
  }

  /** Keepalive for the next CONNECT, in seconds (0 = off). */
  setKeepAlive(s: number): void {
    this._ka = s;
  }

  /** Opens TCP to `host:port` through `net` and sends CONNECT. Drops any current connection first (no onDown). */
  connect(net: TcpOpener, host: string, port: number): void {
    var self = this;
    this._down();
    var g = this._g;
    this._st = MC_OPENING;
    this._log.log(LOG_INFO, 'mqtt', 'connect ' + host + ':' + port + ' as ' + this._o.id);
    this._ct = this._ck.setTimeout(this._onCt, this._o.connectTimeoutMs || 30000);
    var s = net.tcp({
      host: host,
      port: port,
      onConnect: function () {
        if (g === self._g) self._opened();
      },
      onData: function (d) {
        if (g === self._g) self._data(d);
      },
      onClose: function (e) {
        if (g === self._g) self._fail(MQ_D_SOCKET, e);
      },
      onWritable: function () {
        if (g !== self._g) return;
        self._flush();
        if (self._q || !self._full) return;
        self._full = false;
        self._resend();
        if (self._o.onDrain) self._o.onDrain.call(self._o.ctx || self._o);
      },
    });
    if (g !== this._g) {
      if (s) s.close();
      return;
    }
    this._sock = s;
    if (!s) {
      this._ck.setTimeout(function () {
        if (g === self._g) self._fail(MQ_D_SOCKET, E_NO_SOCKET);
      }, 0);
    }
  }

  /** Ends the connection: DISCONNECT when up, then close. No onDown. The QoS 1 window is kept. */
  close(): void {
    if (this._st === MC_UP) this._send(DISCONNECT_BYTES);
    this._down();
  }

  /**
   * Publishes. QoS 0 needs the connection up. QoS 1 enters the window (up or not) and is sent as soon
   * as it can be; `onPubAck(tag)` follows its PUBACK. Returns MQ_OK, MQ_OFFLINE, MQ_BUSY (window or
   * backlog full) or MQ_TOO_BIG.
   */
  publish(topic: string, payload: string, qos: number, retain: boolean, tag?: any): number {
    if (topic.length + payload.length + 9 > (this._o.maxTx || 4096)) return MQ_TOO_BIG;
    if (!qos) {
      if (this._st !== MC_UP) return MQ_OFFLINE;
      return this._send(encPublish(topic, payload, 0, retain, false, 0)) ? MQ_OK : MQ_BUSY;
    }
    if (this._win.length >= (this._o.window || 8)) return MQ_BUSY;
    this._win.push({ i: this._id(), t: topic, p: payload, r: retain, g: tag, c: false, d: false });
    this._resend();
    return MQ_OK;
  }

  /** SUBSCRIBE (QoS above 1 is lowered to 1). Needs the connection up. `onSubAck(tag, codes)` follows. */
  subscribe(topics: string[], qoss: number[], tag?: any): number {
    var q: number[] = [];
    for (var i = 0; i < topics.length; i++) q.push(qoss[i] > 1 ? 1 : qoss[i]);
    var id = this._canReq();
    return id < 0 ? -id : this._req(encSubscribe(id, topics, q), id, tag);
  }

  /** UNSUBSCRIBE. Needs the connection up. `onSubAck(tag, null)` follows. */
  unsubscribe(topics: string[], tag?: any): number {
    var id = this._canReq();
    return id < 0 ? -id : this._req(encUnsubscribe(id, topics), id, tag);
  }

  /**
   * Sends PINGREQ (unless one is awaiting its answer) and calls `cb(true)` on PINGRESP within
   * `timeoutMs`, else `cb(false)`. Always asynchronous.
   */
  ping(timeoutMs: number, cb: (ok: boolean) => void): void {
    var self = this;
    var ck = this._ck;
    if (this._st !== MC_UP || this._pw.length >= 4 || (!this._pw.length && !this._send(PINGREQ_BYTES))) {
      ck.setTimeout(function () {
        cb(false);
      }, 0);
      return;
    }
    if (!this._pw.length) this.nPing++;
    var w: PingWait = { cb: cb, t: 0 };
    w.t = ck.setTimeout(function () {
      var i = self._pw.indexOf(w);
      if (i >= 0) {
        self._pw.splice(i, 1);
        cb(false);
      }
    }, timeoutMs);
    this._pw.push(w);
  }

  /** A packet id for a SUBSCRIBE/UNSUBSCRIBE, or minus MQ_OFFLINE / MQ_BUSY. */
  _canReq(): number {
    if (this._st !== MC_UP) return -MQ_OFFLINE;
    if (this._pend.length >= (this._o.window || 8)) return -MQ_BUSY;
    return this._id();
  }

  _req(pkt: string, id: number, tag: any): number {
    if (!this._send(pkt)) return MQ_BUSY;
    this._pend.push({ i: id, g: tag });
    return MQ_OK;
  }

  /** A free packet id (1–65535). */
  _id(): number {
    for (;;) {
      this._nid = (this._nid % 65535) + 1;
      var id = this._nid;
      var used = false;
      for (var i = 0; i < this._win.length; i++) if (this._win[i].i === id) used = true;
      for (i = 0; i < this._pend.length; i++) if (this._pend[i].i === id) used = true;
      if (!used) return id;
    }
  }

  _opened(): void {
    this._st = MC_CONNACK;
    var o = this._o;
    this._send(encConnect({ id: o.id, keepAlive: this._ka, clean: !!o.clean, user: o.user, pass: o.pass, will: o.will }));
  }

  _data(d: string): void {
    this._lrx = this._ck.now();
    var e = this._dec.push(d);
    if (e) {
      this._log.log(LOG_WARN, 'mqtt', 'bad input (' + e + ')');
      this._fail(MQ_D_PROTOCOL, e);
    }
  }

  _pkt(p: MqttPacket): void {
    var t = p.type;
    var o = this._o;
    var i: number;
    var g: any;
    var w: PingWait[];
    if (o.onRx) o.onRx.call(o.ctx || o);
    if (this._st === MC_CONNACK) {
      if (t !== CONNACK) return this._fail(MQ_D_PROTOCOL, t);
      if (p.rc) return this._fail(MQ_D_REFUSED, p.rc!);
      this._ck.clearTimeout(this._ct);
      this._st = MC_UP;
      this._log.log(LOG_INFO, 'mqtt', 'up' + (p.sp ? ' (session present)' : ''));
      if (this._ka) this._kt = this._ck.setTimeout(this._onKa, this._ka * 1000);
      this._resend();
      if (o.onUp) o.onUp.call(o.ctx || o, !!p.sp);
      return;
    }
    if (this._st !== MC_UP) return;
    if (t === PUBLISH) {
      if (p.qos! > 1) return this._fail(MQ_D_PROTOCOL, t);
      if (o.onMessage) o.onMessage.call(o.ctx || o, p.topic!, p.payload!, p.qos!, !!p.retain);
      if (p.qos && this._st === MC_UP) this._send(encAck(PUBACK, p.id!));
    } else if (t === PUBACK) {
      for (i = 0; i < this._win.length; i++) {
        if (this._win[i].i === p.id) {
          // two steps: Espruino 2v29 throws on `x = a.splice(i, 1)[0].p` when p holds undefined
          g = this._win.splice(i, 1)[0];
          if (o.onPubAck) o.onPubAck.call(o.ctx || o, g.g);
          return;
        }
      }
    } else if (t === SUBACK || t === UNSUBACK) {
      for (i = 0; i < this._pend.length; i++) {
        if (this._pend[i].i === p.id) {
          g = this._pend.splice(i, 1)[0];
          if (o.onSubAck) o.onSubAck.call(o.ctx || o, g.g, p.granted || null);
          return;
        }
      }
    } else if (t === PINGRESP) {
      this.nPong++;
      w = this._pw;
      this._pw = [];
      for (i = 0; i < w.length; i++) this._ck.clearTimeout(w[i].t);
      for (i = 0; i < w.length; i++) w[i].cb(true);
    } else if (t < PUBREC || t > PUBCOMP) {
      this._fail(MQ_D_PROTOCOL, t);
    }
  }

  /** Sends every window entry not yet sent on this connection, in order, while the backlog takes them. */
  _resend(): void {
    if (this._st !== MC_UP) return;
    for (var i = 0; i < this._win.length; i++) {
      var f = this._win[i];
      if (f.c) continue;
      if (!this._send(encPublish(f.t, f.p, 1, f.r, f.d, f.i))) return;
      if (f.d) this.nResent++;
      f.c = f.d = true;
    }
  }

  /** Queues a whole packet behind the backlog; false (nothing queued) when it does not fit. */
  _send(pkt: string): boolean {
    if (!this._sock || this._q.length + pkt.length > (this._o.maxTx || 4096)) return false;
    this._q += pkt;
    this._ltx = this._ck.now();
    this._flush();
    return true;
  }

  _flush(): void {
    var s = this._sock;
    while (s && this._q) {
      var c = this._q.substr(0, CHUNK);
      if (!s.write(c)) {
        this._full = true;
        return;
      }
      this._q = this._q.substr(c.length);
    }
  }

  _fail(code: number, detail: number): void {
    if (this._st === MC_DOWN) return;
    this._log.log(LOG_WARN, 'mqtt', 'down: ' + nameAt(MQ_DOWN_CAUSES, code) + ' ' + detail);
    this._down();
    if (this._o.onDown) this._o.onDown.call(this._o.ctx || this._o, code, detail);
  }

  /** Tears the connection down: every later callback of the old socket is ignored. */
  _down(): void {
    this._g++;
    this._st = MC_DOWN;
    this._ck.clearTimeout(this._ct);
    this._ck.clearTimeout(this._kt);
    this._ct = this._kt = undefined;
    var s = this._sock;
    this._sock = null;
    if (s) s.close();
    this._q = '';
    this._full = false;
    this._dec.reset();
    this._pend = [];
    for (var i = 0; i < this._win.length; i++) this._win[i].c = false;
    var w = this._pw;
    this._pw = [];
    for (i = 0; i < w.length; i++) this._ck.clearTimeout(w[i].t);
    for (i = 0; i < w.length; i++) w[i].cb(false);
  }
}
