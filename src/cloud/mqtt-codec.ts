/**
 * MQTT 3.1.1 codec (OASIS mqtt-v3.1.1 §2–3): encoders for what a client sends and an incremental,
 * bounded decoder for every packet type. Packets are binary strings (one char per byte). Topics and
 * strings are passed through as bytes: give UTF-8 encoded binary strings for non-ASCII text.
 */

/** Control packet types (fixed header bits 7–4, §2.2.1). */
export const CONNECT = 1;
export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const PUBREC = 5;
export const PUBREL = 6;
export const PUBCOMP = 7;
export const SUBSCRIBE = 8;
export const SUBACK = 9;
export const UNSUBSCRIBE = 10;
export const UNSUBACK = 11;
export const PINGREQ = 12;
export const PINGRESP = 13;
export const DISCONNECT = 14;

/** Decoder results: 0 = fine. */
export const MQ_E_SIZE = 1;
export const MQ_E_MALFORMED = 2;

/** The last will (§3.1.2.5). */
export interface MqttWill {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

/** CONNECT fields (§3.1). */
export interface MqttConnect {
  id: string;
  /** Seconds; 0 = off. */
  keepAlive: number;
  clean: boolean;
  user?: string;
  pass?: string;
  will?: MqttWill;
  /** Protocol level as decoded (4 = 3.1.1, 3 = 3.1). */
  level?: number;
}

/** A decoded packet; which fields are set depends on `type`. */
export interface MqttPacket {
  type: number;
  /** Packet identifier (PUBLISH with QoS > 0, acks, SUBSCRIBE, UNSUBSCRIBE and their acks). */
  id?: number;
  topic?: string;
  payload?: string;
  qos?: number;
  dup?: boolean;
  retain?: boolean;
  /** CONNACK session-present flag and return code. */
  sp?: boolean;
  rc?: number;
  /** SUBACK return codes (0–2 granted QoS, 0x80 failure). */
  granted?: number[];
  /** SUBSCRIBE / UNSUBSCRIBE topic filters, and the requested QoS of each SUBSCRIBE filter. */
  topics?: string[];
  qoss?: number[];
  connect?: MqttConnect;
}

/** PINGREQ (§3.12) and DISCONNECT (§3.14): fixed, two bytes each. */
export var PINGREQ_BYTES = '\xC0\x00';
export var DISCONNECT_BYTES = '\xE0\x00';

function u16(n: number): string {
  return String.fromCharCode((n >> 8) & 255, n & 255);
}

function str(s: string): string {
  return u16(s.length) + s;
}

/** Fixed header (first byte `b0`, remaining length as a variable byte integer, §2.2.3) + body. */
function frame(b0: number, body: string): string {
  var n = body.length;
  var h = String.fromCharCode(b0);
  do {
    var d = n % 128;
    n = (n - d) / 128;
    h += String.fromCharCode(n > 0 ? d | 128 : d);
  } while (n > 0);
  return h + body;
}

/** CONNECT (§3.1), protocol "MQTT" level 4. */
export function encConnect(c: MqttConnect): string {
  var w = c.will;
  var f = (c.user !== undefined ? 128 : 0) | (c.pass !== undefined ? 64 : 0) | (c.clean ? 2 : 0);
  if (w) f |= (w.retain ? 32 : 0) | ((w.qos & 3) << 3) | 4;
  var b = str('MQTT') + String.fromCharCode(4, f) + u16(c.keepAlive) + str(c.id);
  if (w) b += str(w.topic) + str(w.payload);
  if (c.user !== undefined) b += str(c.user);
  if (c.pass !== undefined) b += str(c.pass);
  return frame(0x10, b);
}

/** PUBLISH (§3.3); `id` is used only when `qos` > 0. */
export function encPublish(topic: string, payload: string, qos: number, retain: boolean, dup: boolean, id: number): string {
  var b0 = 0x30 | (dup ? 8 : 0) | ((qos & 3) << 1) | (retain ? 1 : 0);
  return frame(b0, str(topic) + (qos ? u16(id) : '') + payload);
}

/** A two-byte acknowledgement carrying a packet id: PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK. */
export function encAck(type: number, id: number): string {
  return frame((type << 4) | (type === PUBREL ? 2 : 0), u16(id));
}

/** SUBSCRIBE (§3.8): one requested QoS per topic filter. */
export function encSubscribe(id: number, topics: string[], qoss: number[]): string {
  var b = u16(id);
  for (var i = 0; i < topics.length; i++) b += str(topics[i]) + String.fromCharCode(qoss[i] & 3);
  return frame(0x82, b);
}

/** UNSUBSCRIBE (§3.10). */
export function encUnsubscribe(id: number, topics: string[]): string {
  var b = u16(id);
  for (var i = 0; i < topics.length; i++) b += str(topics[i]);
  return frame(0xa2, b);
}

/**
 * Incremental decoder. `push` takes chunks of any size and calls `onPacket` for each complete packet
 * (with the optional `ctx` as `this`).
 * A packet whose declared size exceeds `maxPacket` (fixed header included) is refused as soon as its
 * length is known, so the decoder never holds more than `maxPacket` bytes between calls. After an error
 * it drops everything until `reset()`. It never throws on any input.
 */
export class MqttDecoder {
  onPacket: (p: MqttPacket) => void;
  /** The receiver `onPacket` is called with (optional). */
  _ctx: any;
  _max: number;
  _b = '';
  _e = 0;
  _g = 0;
  _s = '';
  _i = 0;
  _bad = false;

  constructor(maxPacket: number, onPacket: (p: MqttPacket) => void, ctx?: any) {
    this._max = maxPacket;
    this.onPacket = onPacket;
    this._ctx = ctx;
  }

  /** Bytes held of an incomplete packet (never more than `maxPacket`). */
  held(): number {
    return this._b.length;
  }

  /** Drops buffered bytes and any error. */
  reset(): void {
    this._b = '';
    this._e = 0;
    this._g++;
  }

  /** Feeds bytes. Returns 0, or MQ_E_SIZE / MQ_E_MALFORMED (sticky until `reset`). */
  push(data: string): number {
    if (this._e) return this._e;
    var b = this._b + data;
    var p = 0;
    var g = this._g;
    this._b = '';
    for (;;) {
      var n = b.length;
      var rl = 0;
      var m = 1;
      var i = p + 1;
      var c = 128;
      while (c & 128 && i < n && i < p + 5) {
        c = b.charCodeAt(i++);
        rl += (c & 127) * m;
        m *= 128;
      }
      if (c & 128) {
        if (i >= p + 5) return this._fail(MQ_E_MALFORMED);
        break;
      }
      if (i - p + rl > this._max) return this._fail(MQ_E_SIZE);
      if (i + rl > n) break;
      var pk = this._parse(b.charCodeAt(p), b.substr(i, rl));
      p = i + rl;
      if (!pk) return this._fail(MQ_E_MALFORMED);
      this.onPacket.call(this._ctx, pk);
      if (g !== this._g || this._e) return this._e;
    }
    this._b = b.substr(p);
    return 0;
  }

  _fail(code: number): number {
    this._b = '';
    this._e = code;
    return code;
  }

  _u8(): number {
    if (this._i >= this._s.length) {
      this._bad = true;
      return 0;
    }
    return this._s.charCodeAt(this._i++);
  }

  _u16(): number {
    var h = this._u8();
    return (h << 8) | this._u8();
  }

  _str(): string {
    var n = this._u16();
    if (this._i + n > this._s.length) this._bad = true;
    var s = this._s.substr(this._i, n);
    this._i += n;
    return s;
  }

  _more(): boolean {
    return this._i < this._s.length;
  }

  /** Parses one body; null when malformed. */
  _parse(b0: number, s: string): MqttPacket | null {
    var t = b0 >> 4;
    var f = b0 & 15;
    var pk: MqttPacket = { type: t };
    this._s = s;
    this._i = 0;
    this._bad = false;
    if (t === PUBLISH) {
      var q = (f >> 1) & 3;
      if (q === 3) return null;
      pk.qos = q;
      pk.dup = !!(f & 8);
      pk.retain = !!(f & 1);
      pk.topic = this._str();
      if (q) pk.id = this._u16();
      pk.payload = s.substr(this._i);
      this._i = s.length;
    } else if (f !== (t === PUBREL || t === SUBSCRIBE || t === UNSUBSCRIBE ? 2 : 0)) {
      return null;
    } else if (t === CONNECT) {
      pk.connect = this._connect();
    } else if (t === CONNACK) {
      var a = this._u8();
      if (a & 0xfe) return null;
      pk.sp = !!a;
      pk.rc = this._u8();
    } else if (t >= PUBACK && t <= PUBCOMP || t === UNSUBACK) {
      pk.id = this._u16();
    } else if (t === SUBSCRIBE || t === UNSUBSCRIBE || t === SUBACK) {
      pk.id = this._u16();
      var l: any[] = [];
      var qs: number[] = [];
      if (!this._more()) return null;
      while (this._more() && !this._bad) {
        if (t === SUBACK) {
          var r = this._u8();
          if (r > 2 && r !== 0x80) return null;
          l.push(r);
        } else {
          l.push(this._str());
          if (t === SUBSCRIBE) {
            var rq = this._u8();
            if (rq > 2) return null;
            qs.push(rq);
          }
        }
      }
      if (t === SUBACK) pk.granted = l;
      else pk.topics = l;
      if (t === SUBSCRIBE) pk.qoss = qs;
    } else if (t !== PINGREQ && t !== PINGRESP && t !== DISCONNECT) {
      return null;
    }
    return this._bad || this._more() ? null : pk;
  }

  _connect(): MqttConnect | undefined {
    var name = this._str();
    var lv = this._u8();
    var f = this._u8();
    if (name !== (lv === 3 ? 'MQIsdp' : 'MQTT') || f & 1) this._bad = true;
    var c: MqttConnect = { id: '', keepAlive: this._u16(), clean: !!(f & 2), level: lv };
    c.id = this._str();
    var wq = (f >> 3) & 3;
    if (f & 4) {
      if (wq > 2) this._bad = true;
      c.will = { topic: this._str(), payload: this._str(), qos: wq, retain: !!(f & 32) };
    } else if (f & 0x38) {
      this._bad = true;
    }
    if (f & 128) c.user = this._str();
    else if (f & 64 && lv > 3) this._bad = true;
    if (f & 64) c.pass = this._str();
    return c;
  }
}
