import { Clock } from '../../hal/clock';
import { Rng } from './rng';
import { EventLog } from './event-log';

/** The knobs of one device interface's link. Any of them can change at any time. */
export interface LinkParams {
  /** Carrier possible (cable plugged, radio not jammed). */
  up: boolean;
  /** One-way delay across the link, ms. */
  latencyMs: number;
  /** Each packet's delay is uniform in [latency - jitter, latency + jitter] (never below 0), ms. */
  jitterMs: number;
  /** Probability that a packet is lost, each direction, 0..1. */
  loss: number;
  /** Serialisation rate per direction in bits per second; 0 = unlimited. */
  bandwidthBps: number;
  /** Silent upstream outage: carrier up, nothing passes beyond the access network, either direction. */
  silent: boolean;
}

export type LinkOptions = Partial<LinkParams>;

/** Byte and packet counters of a link. Bytes include the nominal header overhead (40 TCP, 28 UDP). */
export interface LinkStats {
  /** Bytes the device put on the link (lost ones included). */
  txBytes: number;
  txPackets: number;
  /** Device → network packets the link lost. */
  txLost: number;
  /** Bytes the network put on the link towards the device (lost ones included). */
  rxBytes: number;
  rxPackets: number;
  /** Network → device packets the link lost. */
  rxLost: number;
}

export const DEFAULT_LINK: LinkParams = { up: true, latencyMs: 1, jitterMs: 0, loss: 0, bandwidthBps: 0, silent: false };

/** Link direction: 0 = up (device → network), 1 = down (network → device). */
export const DIR_UP = 0;
export const DIR_DOWN = 1;

/**
 * The link model of one device interface. `transit` decides, for one packet, whether it is lost and when
 * it arrives: serialisation at the bandwidth (one queue per direction), then latency plus jitter.
 * Every change is written to the event log.
 */
export class Link {
  readonly name: string;
  private _p: LinkParams;
  private _clock: Clock;
  private _rng: Rng;
  private _log: EventLog;
  private _busyUntil = [0, 0];
  private _listeners: Array<(p: LinkParams, changed: string[]) => void> = [];
  private _stats: LinkStats = { txBytes: 0, txPackets: 0, txLost: 0, rxBytes: 0, rxPackets: 0, rxLost: 0 };

  constructor(name: string, clock: Clock, rng: Rng, log: EventLog, params?: LinkOptions) {
    this.name = name;
    this._clock = clock;
    this._rng = rng;
    this._log = log;
    this._p = Object.assign({}, DEFAULT_LINK);
    if (params) this._assign(params);
  }

  /** Current parameters (a copy). */
  params(): LinkParams {
    return Object.assign({}, this._p);
  }

  /** Carrier possible. */
  get up(): boolean {
    return this._p.up;
  }

  /** Silent upstream outage in force. */
  get silent(): boolean {
    return this._p.silent;
  }

  /** Changes some parameters; logs what changed and tells listeners. */
  set(p: LinkOptions): void {
    var changed = this._assign(p);
    if (!changed.length) return;
    var self = this;
    this._log.add('link', this.name + ' ' + changed.map(function (k) {
      var v = (self._p as any)[k];
      if (k === 'up') return v ? 'up' : 'down';
      if (k === 'silent') return v ? 'outage-start' : 'outage-end';
      return k + '=' + v;
    }).join(' '));
    var ls = this._listeners.slice();
    for (var i = 0; i < ls.length; i++) ls[i](this.params(), changed);
  }

  /** Listens to parameter changes. Returns an unsubscribe function. */
  onChange(cb: (p: LinkParams, changed: string[]) => void): () => void {
    var ls = this._listeners;
    ls.push(cb);
    return function () {
      var i = ls.indexOf(cb);
      if (i >= 0) ls.splice(i, 1);
    };
  }

  /** Counters (a copy). */
  stats(): LinkStats {
    return Object.assign({}, this._stats);
  }

  /** Zeroes the counters. */
  resetStats(): void {
    this._stats = { txBytes: 0, txPackets: 0, txLost: 0, rxBytes: 0, rxPackets: 0, rxLost: 0 };
  }

  /**
   * One packet of `size` wire bytes enters the link in direction `dir` now (the caller has checked the
   * carrier). Counts it; returns its delay until arrival in ms, or -1 when the link loses it.
   */
  transit(dir: number, size: number): number {
    var p = this._p;
    var s = this._stats;
    if (dir === DIR_UP) {
      s.txBytes += size;
      s.txPackets++;
    } else {
      s.rxBytes += size;
      s.rxPackets++;
    }
    var now = this._clock.now();
    var start = now;
    var txMs = 0;
    if (p.bandwidthBps > 0) {
      start = Math.max(now, this._busyUntil[dir]);
      txMs = (size * 8 * 1000) / p.bandwidthBps;
      this._busyUntil[dir] = start + txMs;
    }
    if (this._rng.chance(p.loss)) {
      if (dir === DIR_UP) s.txLost++;
      else s.rxLost++;
      return -1;
    }
    var d = p.latencyMs;
    if (p.jitterMs > 0) d += this._rng.range(-p.jitterMs, p.jitterMs);
    if (d < 0) d = 0;
    return start - now + txMs + d;
  }

  private _assign(p: LinkOptions): string[] {
    var changed: string[] = [];
    var keys = Object.keys(DEFAULT_LINK) as Array<keyof LinkParams>;
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      var v = (p as any)[k];
      if (v === undefined) continue;
      if (k === 'up' || k === 'silent') {
        if (typeof v !== 'boolean') throw new TypeError('link ' + this.name + ': ' + k + ' must be a boolean');
      } else if (typeof v !== 'number' || !(v >= 0) || (k === 'loss' && v > 1)) {
        throw new TypeError('link ' + this.name + ': bad ' + k + ' ' + v);
      }
      if ((this._p as any)[k] !== v) {
        (this._p as any)[k] = v;
        changed.push(k);
      }
    }
    return changed;
  }
}
