/**
 * Time and timers. The only source of time for firmware code: on the board it is
 * Espruino's own timers, on a PC a virtual clock that tests advance.
 */

/** An opaque timer handle. */
export type TimerId = any;

export interface Clock {
  /** Milliseconds since an arbitrary origin; monotonic, may be fractional. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerId;
  /** Cancels a timeout; a no-op for `undefined` or an expired id (Espruino's own throws). */
  clearTimeout(id: TimerId | undefined): void;
  /** Calls `fn` every `ms` milliseconds until cleared. */
  setInterval(fn: () => void, ms: number): TimerId;
  /** Cancels an interval; a no-op for `undefined`. */
  clearInterval(id: TimerId | undefined): void;
}

/** Milliseconds elapsed since `since` (a `now()` value), never negative. */
export function elapsedMs(clock: Clock, since: number): number {
  var d = clock.now() - since;
  return d > 0 ? d : 0;
}
