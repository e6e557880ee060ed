import { Uart } from '../../hal/uart';

/**
 * A serial device of the Linux host through Espruino's Serial object: Espruino's Linux build opens the
 * device named by `path` in `Serial1.setup(baud, {path: "/dev/ttyUSB2"})` (raw mode, 8N1). A path that
 * cannot be opened gives no error from Espruino (the port just stays silent), so `exists` says whether the
 * device file is there; a silent port then shows as the modem's no_hardware state.
 */
export class LinuxSerial implements Uart {
  _serial: any;
  _path: string;
  _cb: ((data: string) => void) | null = null;
  /** False when the device file was missing when the port was opened. */
  exists: boolean;

  /** `serial`: Espruino's serial object (`Serial1`); `fileExists(path)` checks the device file. */
  constructor(o: { serial: any; path: string; baud: number; fileExists: (path: string) => boolean }) {
    var self = this;
    this._serial = o.serial;
    this._path = o.path;
    this.exists = o.fileExists(o.path);
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

  /** Re-opens the device at the new rate (Espruino closes and opens it again). */
  setBaud(baud: number): void {
    this._serial.setup(baud, { path: this._path });
  }
}
