import { GpioPin } from '../gpio';
import { PinLike } from './pins';

/** One GPIO pin through Espruino's digitalWrite / digitalRead / setWatch. */
export class EspruinoPin implements GpioPin {
  _pin: any;

  /** `mode` is an Espruino pin mode ("output", "input_pullup", ...), set for good; omitted: Espruino's automatic mode. */
  constructor(pin: PinLike, mode?: string) {
    this._pin = pin;
    if (mode) pinMode(this._pin, mode, false);
  }

  write(high: boolean): void {
    digitalWrite(this._pin, high ? 1 : 0);
  }

  read(): boolean {
    return digitalRead(this._pin) === 1;
  }

  watch(cb: (high: boolean) => void, edge: 'rising' | 'falling' | 'both', debounceMs: number): () => void {
    var id: any = setWatch(function (e: any) {
      cb(!!e.state);
    }, this._pin, { repeat: true, edge: edge, debounce: debounceMs > 0 ? debounceMs : 0 });
    return function () {
      // clearWatch(undefined) would clear every watch: only ever clear our own id, once.
      if (id !== undefined) clearWatch(id);
      id = undefined;
    };
  }
}
