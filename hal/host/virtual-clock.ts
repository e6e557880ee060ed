import { Clock, TimerId } from '../clock';

interface Timer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  every: number; // 0 = one-shot
}

/**
 * A deterministic virtual clock. Time moves only when a test or the simulator advances it; timers fire
 * in order of due time, then of creation, each seeing `now()` equal to its due time. Timers created
 * while advancing fire in the same advance if they fall due within it.
 */
export class VirtualClock implements Clock {
  private _now: number;
  private _seq = 0;
  private _nextId = 1;
  private _timers: Timer[] = [];

  constructor(startMs = 0) {
    this._now = startMs;
  }

  now(): number {
    return this._now;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this._add(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): TimerId {
    return this._add(fn, ms, Math.max(1, ms || 0));
  }

  clearTimeout(id: TimerId | undefined): void {
    if (id === undefined || id === null) return;
    var i = this._timers.findIndex((t) => t.id === id);
    if (i >= 0) this._timers.splice(i, 1);
  }

  clearInterval(id: TimerId | undefined): void {
    this.clearTimeout(id);
  }

  /** Number of pending timers. */
  pending(): number {
    return this._timers.length;
  }

  /** Due time of the next timer, or undefined. */
  nextDue(): number | undefined {
    return this._timers.length ? this._timers[0].due : undefined;
  }

  /** Advances time by `ms`, firing every timer that falls due on the way. Returns the number fired. */
  advance(ms: number): number {
    return this.advanceTo(this._now + ms);
  }

  /** Advances to absolute time `t`. */
  advanceTo(t: number): number {
    var fired = 0;
    while (this._timers.length && this._timers[0].due <= t) {
      var tm = this._timers.shift()!;
      this._now = Math.max(this._now, tm.due);
      if (tm.every) {
        tm.due += tm.every;
        tm.seq = this._seq++;
        this._insert(tm);
      }
      fired++;
      tm.fn();
    }
    if (t > this._now) this._now = t;
    return fired;
  }

  /** Fires the next timer (advancing to it); false when none is pending. */
  step(): boolean {
    var d = this.nextDue();
    if (d === undefined) return false;
    this.advanceTo(d);
    return true;
  }

  /**
   * Advances until `cond()` holds, checking after each timer, or until `maxMs` have passed.
   * Returns whether the condition held.
   */
  runUntil(cond: () => boolean, maxMs: number): boolean {
    var end = this._now + maxMs;
    while (!cond()) {
      var d = this.nextDue();
      if (d === undefined || d > end) {
        this.advanceTo(end);
        return cond();
      }
      this.advanceTo(d);
    }
    return true;
  }

  private _add(fn: () => void, ms: number, every: number): number {
    if (typeof fn !== 'function') throw new TypeError('timer callback must be a function');
    var t: Timer = { id: this._nextId++, due: this._now + Math.max(0, ms || 0), seq: this._seq++, fn: fn, every: every };
    this._insert(t);
    return t.id;
  }

  private _insert(t: Timer): void {
    var a = this._timers;
    var lo = 0, hi = a.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      var m = a[mid];
      if (m.due < t.due || (m.due === t.due && m.seq < t.seq)) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, t);
  }
}
