import { GpioPin } from '../../hal/gpio';

/**
 * A line that is not wired: reads a fixed level, ignores writes, never has an edge. Stands in for the
 * PWRKEY and STATUS lines of a modem that is always powered (a USB module): STATUS reading high tells the
 * driver the modem runs, so it never pulses PWRKEY.
 */
export class FixedPin implements GpioPin {
  _level: boolean;

  constructor(level: boolean) {
    this._level = level;
  }

  write(high: boolean): void {
    // not wired
  }

  read(): boolean {
    return this._level;
  }

  watch(cb: (high: boolean) => void, edge: 'rising' | 'falling' | 'both', debounceMs: number): () => void {
    return function () {};
  }
}
