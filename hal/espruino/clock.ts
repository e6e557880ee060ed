import { Clock, TimerId } from '../clock';

/**
 * The board's clock: Espruino's own timers. `now()` is `Date.now()` (milliseconds, fractional on
 * Espruino). Clearing `undefined`, `null` or an expired id is a no-op (Espruino's `clearTimeout(undefined)`
 * throws "not allowed").
 */
export class EspruinoClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return setTimeout(fn, ms);
  }

  clearTimeout(id: TimerId | undefined): void {
    if (id === undefined || id === null) return;
    try {
      clearTimeout(id);
    } catch (e) {
      // already fired: nothing to cancel
    }
  }

  setInterval(fn: () => void, ms: number): TimerId {
    return setInterval(fn, ms);
  }

  clearInterval(id: TimerId | undefined): void {
    if (id === undefined || id === null) return;
    try {
      clearInterval(id);
    } catch (e) {
      // already cleared
    }
  }
}
