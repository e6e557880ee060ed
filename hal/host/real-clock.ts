import { Clock, TimerId } from '../clock';

/** The host's real clock (Node timers), for real-time runs against outside brokers. */
export class RealClock implements Clock {
  private _t0 = performance.now();
  now(): number {
    return performance.now() - this._t0;
  }
  setTimeout(fn: () => void, ms: number): TimerId {
    return setTimeout(fn, ms);
  }
  clearTimeout(id: TimerId | undefined): void {
    if (id !== undefined) clearTimeout(id);
  }
  setInterval(fn: () => void, ms: number): TimerId {
    return setInterval(fn, ms);
  }
  clearInterval(id: TimerId | undefined): void {
    if (id !== undefined) clearInterval(id);
  }
}
