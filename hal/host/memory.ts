import { Memory } from '../memory';

/**
 * A pool for the simulator and tests: the figures are whatever the test sets, and `low()` reports low
 * memory the way the interpreter would (the board's runtime then sheds and emits System "low_memory").
 */
export class HostMemory implements Memory {
  used = 0;
  total: number;
  /** Times low memory was reported. */
  reports = 0;
  _cbs: Array<(flags: string[]) => void> = [];

  constructor(total?: number) {
    this.total = total || 16383;
  }

  usage(): { usage: number; total: number } {
    return { usage: this.used, total: this.total };
  }

  onLow(cb: (flags: string[]) => void): void {
    this._cbs.push(cb);
  }

  /** Reports low memory now (default flags ["LOW_MEMORY"]); `used` sets the figure first. */
  low(flags?: string[], used?: number): void {
    if (used !== undefined) this.used = used;
    this.reports++;
    var f = flags || ['LOW_MEMORY'];
    for (var i = 0; i < this._cbs.length; i++) this._cbs[i](f.slice());
  }
}
