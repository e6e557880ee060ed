import { Uart } from '../uart';
import { PinLike } from './pins';

/** Where a device sits on an Espruino serial port. */
export interface EspruinoUartOptions {
  /** The port object, e.g. `Serial2`. */
  serial: Serial;
  tx: PinLike;
  rx: PinLike;
  /** Initial baud rate (8N1). */
  baud: number;
}

/** A serial port: `setup(baud, {tx, rx})`, `on('data')`, `write`. Data is binary strings. */
export class EspruinoUart implements Uart {
  _serial: Serial;
  _tx: PinLike;
  _rx: PinLike;
  _cb: ((data: string) => void) | null = null;

  constructor(o: EspruinoUartOptions) {
    var self = this;
    this._serial = o.serial;
    this._tx = o.tx;
    this._rx = o.rx;
    this.setBaud(o.baud);
    o.serial.on('data', function (d: string) {
      if (self._cb) self._cb(d);
    });
  }

  write(data: string): void {
    this._serial.write(data);
  }

  onData(cb: ((data: string) => void) | null): void {
    this._cb = cb;
  }

  setBaud(baud: number): void {
    this._serial.setup(baud, { tx: this._tx, rx: this._rx });
  }
}
