import { Uart } from '../uart';
import { PinLike } from './pins';

/** Where a device sits on an Espruino serial port: pins on a microcontroller, a device file on Linux. */
export interface EspruinoUartOptions {
  /** The port object, e.g. `Serial2`. */
  serial: Serial;
  tx?: PinLike;
  rx?: PinLike;
  /**
   * Espruino's Linux build: the device file the port opens (`Serial1.setup(baud, {path: "/dev/ttyUSB2"})`,
   * raw 8N1). A path that cannot be opened gives no error; the port just stays silent.
   */
  path?: string;
  /** Initial baud rate (8N1). */
  baud: number;
}

/** A serial port: `setup(baud, {tx, rx} | {path})`, `on('data')`, `write`. Data is binary strings. */
export class EspruinoUart implements Uart {
  _serial: Serial;
  _setup: any;
  _cb: ((data: string) => void) | null = null;
  _cbT: any;

  constructor(o: EspruinoUartOptions) {
    var self = this;
    this._serial = o.serial;
    this._setup = o.path ? { path: o.path } : { tx: o.tx, rx: o.rx };
    this.setBaud(o.baud);
    o.serial.on('data', function (d: string) {
      if (self._cb) self._cb.call(self._cbT, d);
    });
  }

  write(data: string): void {
    this._serial.write(data);
  }

  onData(cb: ((data: string) => void) | null, thisArg?: any): void {
    this._cb = cb;
    this._cbT = thisArg;
  }

  /** Changes the rate; on Linux Espruino closes and re-opens the device. */
  setBaud(baud: number): void {
    this._serial.setup(baud, this._setup);
  }
}
