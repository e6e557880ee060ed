import { Spi } from '../spi';
import { PinLike } from './pins';

/** Where a chip sits on an Espruino SPI bus. */
export interface EspruinoSpiOptions {
  /** The bus object, e.g. `SPI2` (VSPI on the ESP32). */
  spi: SPI;
  sck: PinLike;
  miso: PinLike;
  mosi: PinLike;
  /** Chip select, driven low by `spi.send` for the length of one call. */
  cs: PinLike;
  /** Clock in Hz (default 8 MHz). */
  baud?: number;
  /** SPI mode 0–3 (default 0, what the W5500 uses). */
  mode?: number;
}

/**
 * An SPI device on an Espruino bus: sets the bus up once, then each `send` is one chip-select window
 * (`spi.send(data, cs)`), returning the bytes clocked in.
 */
export class EspruinoSpi implements Spi {
  _spi: SPI;
  _cs: PinLike;

  constructor(o: EspruinoSpiOptions) {
    this._spi = o.spi;
    this._cs = o.cs;
    o.spi.setup({ sck: o.sck, miso: o.miso, mosi: o.mosi, baud: o.baud || 8000000, mode: o.mode || 0 });
    digitalWrite(o.cs as any, 1);
  }

  send(data: Uint8Array): Uint8Array {
    var r = this._spi.send(data, this._cs as any);
    if (r instanceof Uint8Array) return r;
    if (typeof r === 'string') return E.toUint8Array(r);
    return new Uint8Array(r || data.length);
  }
}
