import { Storage } from '../../hal/storage';
import { Log, NULL_LOG, LOG_WARN } from '../../hal/log';

/** `add` results. */
export const OB_OK = 0;
/** Full under the "reject-new" policy: the new message was refused (and counted as dropped). */
export const OB_FULL = 1;
/** The message alone is larger than `maxBytes`. */
export const OB_TOO_BIG = 2;

export interface OutboxOptions {
  /** Where queued messages survive a reboot; RAM only when omitted. */
  storage?: Storage;
  /** Storage name prefix (at most 17 characters); default "mqob_". One file per message: prefix + base-36 sequence. */
  prefix?: string;
  /** Most messages held; default 32. */
  maxCount?: number;
  /** Most bytes held (topic + payload + 3 per message); default 4096. */
  maxBytes?: number;
  /** "drop-oldest" (default) or "reject-new". */
  policy?: string;
  /** A message was dropped; `total` counts every drop since boot. */
  onDrop?: (total: number) => void;
  log?: Log;
}

/** A QoS 1 message awaiting PUBACK. */
export interface OutboxEntry {
  /** Sequence number: order of publication, and the Storage name suffix. */
  k: number;
  /** Topic and payload; undefined while they are only in Storage (read back by `next`). */
  t?: string;
  p?: string;
  r: boolean;
  /** Bytes counted against `maxBytes`. */
  n: number;
  /** Written to Storage. */
  s: boolean;
  /** Handed to the client (in its window). */
  f: boolean;
  /** The owner's pending result callback (RAM only). */
  cb?: (result: number) => void;
}

/**
 * The outbox: QoS 1 publishes kept until PUBACKed, in publication order, bounded in count and bytes.
 * Each message persisted is one small Storage file written once and erased once when acknowledged:
 * Espruino's Storage appends new files and only marks erased ones, so nothing large is ever rewritten.
 * Messages published while online are written only if the link drops before their PUBACK (`persist`),
 * so a healthy link costs no flash. A new Outbox over the same Storage picks up where the old one stopped.
 */
export class Outbox {
  /** The queue, oldest first. Read-only for callers. */
  q: OutboxEntry[] = [];
  /** Messages dropped since boot (by the policy, or unreadable after a reboot). */
  nDropped = 0;
  _o: OutboxOptions;
  _st: Storage | undefined;
  _pre: string;
  _max: number;
  _maxB: number;
  _b = 0;
  _k = 0;
  _log: Log;

  constructor(o: OutboxOptions) {
    this._o = o;
    this._st = o.storage;
    this._pre = o.prefix || 'mqob_';
    this._max = o.maxCount || 32;
    this._maxB = o.maxBytes || 4096;
    this._log = o.log || NULL_LOG;
    if (this._pre.length > 17) throw new TypeError('outbox prefix too long');
    this._load();
  }

  count(): number {
    return this.q.length;
  }

  bytes(): number {
    return this._b;
  }

  /**
   * Appends a message, persisting it at once when `persist` (offline). Under "drop-oldest" the oldest
   * messages make room; under "reject-new" a full outbox refuses it. Returns OB_OK (the entry is the
   * last of `q`), OB_FULL or OB_TOO_BIG.
   */
  add(t: string, p: string, r: boolean, persist: boolean): number {
    var n = t.length + p.length + 3;
    if (n > this._maxB) return OB_TOO_BIG;
    while (this.q.length && (this.q.length >= this._max || this._b + n > this._maxB)) {
      if (this._o.policy === 'reject-new') {
        this._dropped();
        return OB_FULL;
      }
      this._remove(0);
      this._dropped();
    }
    var e: OutboxEntry = { k: this._k++, t: t, p: p, r: r, n: n, s: false, f: false };
    this.q.push(e);
    this._b += n;
    if (persist) this.save(e);
    return OB_OK;
  }

  /** The oldest entry not yet handed to the client, its topic and payload loaded; null when none. */
  next(): OutboxEntry | null {
    for (var i = 0; i < this.q.length; i++) {
      var e = this.q[i];
      if (e.f) continue;
      if (e.t === undefined) {
        var rec = this._st && this._st.read(this._name(e));
        if (!rec || rec.length < 3) {
          this._remove(i--);
          this._dropped();
          continue;
        }
        var tl = (rec.charCodeAt(1) << 8) | rec.charCodeAt(2);
        e.t = rec.substr(3, tl);
        e.p = rec.substr(3 + tl);
      }
      return e;
    }
    return null;
  }

  /** Removes an acknowledged entry (no-op when it was dropped meanwhile). */
  ack(e: OutboxEntry): void {
    var i = this.q.indexOf(e);
    if (i >= 0) this._remove(i);
  }

  /** Writes every entry not yet in Storage (the link dropped with them unacknowledged). */
  persist(): void {
    for (var i = 0; i < this.q.length; i++) if (!this.q[i].s) this.save(this.q[i]);
  }

  _name(e: OutboxEntry): string {
    return this._pre + e.k.toString(36);
  }

  /** Writes one entry to Storage (kept in RAM too when Storage refuses it). */
  save(e: OutboxEntry): void {
    var st = this._st;
    if (!st || e.s) return;
    var t = e.t!;
    var rec = String.fromCharCode(e.r ? 1 : 0, t.length >> 8, t.length & 255) + t + e.p;
    if (!st.write(this._name(e), rec)) {
      this._log.log(LOG_WARN, 'outbox', 'storage full: message kept in RAM only');
      return;
    }
    e.s = true;
    if (!e.f) e.t = e.p = undefined;
  }

  _remove(i: number): void {
    var e = this.q.splice(i, 1)[0];
    this._b -= e.n;
    if (e.s && this._st) this._st.erase(this._name(e));
  }

  _dropped(): void {
    this.nDropped++;
    if (this._o.onDrop) this._o.onDrop(this.nDropped);
  }

  /** Reads back the messages a previous run left in Storage, oldest first, within the bounds. */
  _load(): void {
    var st = this._st;
    if (!st) return;
    var names = st.list(this._pre);
    var ks: number[] = [];
    for (var i = 0; i < names.length; i++) {
      var k = parseInt(names[i].substr(this._pre.length), 36);
      if (k >= 0) ks.push(k);
    }
    ks.sort(function (a, b) {
      return a - b;
    });
    for (i = 0; i < ks.length; i++) {
      var e: OutboxEntry = { k: ks[i], r: false, n: 0, s: true, f: false };
      var rec = st.read(this._name(e));
      if (!rec || rec.length < 3) {
        st.erase(this._name(e));
        this._dropped();
        continue;
      }
      e.r = !!(rec.charCodeAt(0) & 1);
      e.n = rec.length;
      this.q.push(e);
      this._b += e.n;
      this._k = ks[i] + 1;
    }
    while (this.q.length > this._max || this._b > this._maxB) {
      this._remove(0);
      this._dropped();
    }
  }
}
