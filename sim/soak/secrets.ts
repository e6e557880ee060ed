/**
 * The credential scan: watches every event any firmware Emitter emits (by wrapping Emitter.prototype.emit
 * for the duration), and scans logs, metrics and Storage for given secrets (the Wi-Fi password, the APN
 * password, the MQTT password). A hit names where the secret was seen.
 */
import { Emitter } from '../../src/util/emitter';
import { Storage } from '../../hal/storage';

/**
 * A bounded, cycle-safe text rendering of a value as data: strings, numbers, plain objects and arrays
 * (functions, deep levels and live class instances elided).
 */
export function render(v: any, depth?: number, seen?: any[]): string {
  var d = depth === undefined ? 4 : depth;
  var s = seen || [];
  if (v === null || v === undefined) return String(v);
  var t = typeof v;
  if (t === 'string') return v;
  if (t === 'number' || t === 'boolean') return String(v);
  if (t === 'function') return '[fn]';
  if (v instanceof Error) return v.message + ' ' + (v.stack || '');
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  // A live object (an interface, a socket, a session) is a reference, not data that carries its fields:
  // only plain objects and arrays, the data of events, logs and metrics, are rendered.
  var proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return '[' + ((v.constructor && v.constructor.name) || 'object') + ']';
  if (d <= 0 || s.indexOf(v) >= 0) return '[…]';
  s.push(v);
  var out: string[] = [];
  if (Array.isArray(v)) {
    for (var i = 0; i < v.length && i < 200; i++) out.push(render(v[i], d - 1, s));
  } else {
    var n = 0;
    for (var k in v) {
      if (n++ > 200) break;
      var x: any;
      try {
        x = v[k];
      } catch (e) {
        continue;
      }
      out.push(k + '=' + render(x, d - 1, s));
    }
  }
  s.pop();
  return '{' + out.join(',') + '}';
}

export class SecretScanner {
  readonly secrets: { [name: string]: string };
  /** "where: name" of every sighting, at most 100. */
  readonly hits: string[] = [];
  /** Events inspected. */
  events = 0;
  _unhook: (() => void) | null = null;

  /** `secrets`: name → value (values shorter than 6 characters are refused: they would match by chance). */
  constructor(secrets: { [name: string]: string }) {
    for (var k in secrets) if (!secrets[k] || secrets[k].length < 6) throw new TypeError('secret ' + k + ' too short to scan for');
    this.secrets = secrets;
  }

  /** Scans `text`; records a hit per secret found. */
  scanText(where: string, text: string): void {
    for (var k in this.secrets) {
      if (text.indexOf(this.secrets[k]) >= 0 && this.hits.length < 100) this.hits.push(where + ': ' + k);
    }
  }

  /** Scans any value (rendered bounded and cycle-safe). */
  scanValue(where: string, v: any): void {
    this.scanText(where, render(v));
  }

  /** Inspects every event emitted by any Emitter until `unhook()`. */
  hookEmitters(): void {
    if (this._unhook) return;
    var self = this;
    var proto: any = Emitter.prototype;
    var orig = proto.emit;
    proto.emit = function (event: string, a?: any, b?: any, c?: any) {
      self.events++;
      self.scanValue('event "' + event + '"', [a, b, c]);
      return orig.call(this, event, a, b, c);
    };
    this._unhook = function () {
      proto.emit = orig;
    };
  }

  unhook(): void {
    if (this._unhook) this._unhook();
    this._unhook = null;
  }

  /**
   * Storage: every file is scanned; a secret may appear only in the files `allowed[name]` lists (its own
   * keys, e.g. the Wi-Fi password in "wl0.cred").
   */
  scanStorage(st: Storage, allowed: { [name: string]: string[] }): void {
    var files = st.list();
    for (var i = 0; i < files.length; i++) {
      var f = files[i];
      var text = st.read(f) || '';
      for (var k in this.secrets) {
        if (text.indexOf(this.secrets[k]) < 0) continue;
        if ((allowed[k] || []).indexOf(f) >= 0) continue;
        if (this.hits.length < 100) this.hits.push('storage "' + f + '": ' + k);
      }
    }
  }
}
