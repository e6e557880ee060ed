import { GpioPin } from '../../hal/gpio';

/**
 * A GPIO line between a host board and a chip model: whoever drives it writes, both sides read, and
 * watchers see every edge at once (no debounce in virtual time).
 */
export class SimPin implements GpioPin {
  private _level: boolean;
  private _w: Array<{ cb: (high: boolean) => void; edge: string }> = [];

  constructor(initial: boolean) {
    this._level = initial;
  }

  write(high: boolean): void {
    high = !!high;
    if (high === this._level) return;
    this._level = high;
    var w = this._w.slice();
    for (var i = 0; i < w.length; i++) {
      var e = w[i].edge;
      if (e === 'both' || (e === 'rising') === high) w[i].cb(high);
    }
  }

  read(): boolean {
    return this._level;
  }

  watch(cb: (high: boolean) => void, edge: 'rising' | 'falling' | 'both', _debounceMs: number): () => void {
    var entry = { cb: cb, edge: edge };
    this._w.push(entry);
    var self = this;
    return function () {
      var i = self._w.indexOf(entry);
      if (i >= 0) self._w.splice(i, 1);
    };
  }
}
