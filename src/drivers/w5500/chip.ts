import { Spi } from '../../../hal/spi';
import { CTL_WRITE, SN_CR, bsbReg } from './regs';

/** Polls of Sn_CR before a command counts as not accepted (the chip clears it within microseconds). */
export const CMD_POLLS = 8;
/** Attempts at a stable 16-bit read (two consecutive equal values). */
export const STABLE_TRIES = 6;

/** Binary string → bytes (plain JS; a board may inject E.toUint8Array instead). */
export function strToBytes(s: string): Uint8Array {
  var n = s.length;
  var u = new Uint8Array(n);
  for (var i = 0; i < n; i++) u[i] = s.charCodeAt(i);
  return u;
}

/** `len` bytes of `u` from `off` → binary string, in chunks of 256 (Espruino's `apply` takes at most 256 arguments). */
export function bytesToStr(u: Uint8Array, off: number, len: number): string {
  var s = '';
  var end = off + len;
  while (off < end) {
    var m = end - off > 256 ? 256 : end - off;
    s += String.fromCharCode.apply(null, u.subarray(off, off + m) as any);
    off += m;
  }
  return s;
}

/**
 * The chip access layer: W5500 SPI frames (2-byte address, control byte, data; one frame per
 * chip-select window, VDM mode), register reads and writes, stable 16-bit reads and bounded command polls.
 * Knows nothing of sockets or state.
 */
export class W5500Chip {
  _spi: Spi;
  _f4 = new Uint8Array(4);
  _f5 = new Uint8Array(5);
  _toBytes: (s: string) => Uint8Array;

  /** `toBytes` converts a binary string to bytes (default: a JS loop; on Espruino E.toUint8Array is faster). */
  constructor(spi: Spi, toBytes?: (s: string) => Uint8Array) {
    this._spi = spi;
    this._toBytes = toBytes || strToBytes;
  }

  /** Reads `len` bytes from `addr` in block `bsb`; returns the whole MISO frame (data from index 3). */
  readFrame(bsb: number, addr: number, len: number): Uint8Array {
    var f = len === 1 ? this._f4 : len === 2 ? this._f5 : new Uint8Array(3 + len);
    f[0] = (addr >> 8) & 0xff;
    f[1] = addr & 0xff;
    f[2] = bsb << 3;
    if (len <= 2) f[3] = f[len + 2] = 0;
    return this._spi.send(f);
  }

  /** Reads `len` bytes as a binary string. */
  readStr(bsb: number, addr: number, len: number): string {
    return bytesToStr(this.readFrame(bsb, addr, len), 3, len);
  }

  read8(bsb: number, addr: number): number {
    return this.readFrame(bsb, addr, 1)[3];
  }

  read16(bsb: number, addr: number): number {
    var r = this.readFrame(bsb, addr, 2);
    return (r[3] << 8) | r[4];
  }

  /**
   * Reads a 16-bit counter that the chip may change between its two bytes (Sn_TX_FSR, Sn_RX_RSR):
   * repeats until two consecutive reads match. -1 when they never do (a broken bus).
   */
  read16Stable(bsb: number, addr: number): number {
    var a = this.read16(bsb, addr);
    for (var i = 0; i < STABLE_TRIES; i++) {
      var b = this.read16(bsb, addr);
      if (a === b) return a;
      a = b;
    }
    return -1;
  }

  /** Writes bytes (a frame header is prepended). */
  write(bsb: number, addr: number, data: ArrayLike<number>): void {
    var n = data.length;
    var f = n === 1 ? this._f4 : n === 2 ? this._f5 : new Uint8Array(3 + n);
    f[0] = (addr >> 8) & 0xff;
    f[1] = addr & 0xff;
    f[2] = (bsb << 3) | CTL_WRITE;
    for (var i = 0; i < n; i++) f[3 + i] = data[i];
    this._spi.send(f);
  }

  /** Writes a binary string in one frame (bursts into TX buffers). */
  writeStr(bsb: number, addr: number, s: string): void {
    var f = new Uint8Array(3 + s.length);
    f[0] = (addr >> 8) & 0xff;
    f[1] = addr & 0xff;
    f[2] = (bsb << 3) | CTL_WRITE;
    f.set(this._toBytes(s), 3);
    this._spi.send(f);
  }

  write8(bsb: number, addr: number, v: number): void {
    var f = this._f4;
    f[0] = (addr >> 8) & 0xff;
    f[1] = addr & 0xff;
    f[2] = (bsb << 3) | CTL_WRITE;
    f[3] = v;
    this._spi.send(f);
  }

  write16(bsb: number, addr: number, v: number): void {
    var f = this._f5;
    f[0] = (addr >> 8) & 0xff;
    f[1] = addr & 0xff;
    f[2] = (bsb << 3) | CTL_WRITE;
    f[3] = (v >> 8) & 0xff;
    f[4] = v & 0xff;
    this._spi.send(f);
  }

  /** Issues Sn_CR command `cmd` on socket `n` and polls Sn_CR back to 0, bounded. False when it never clears. */
  cmd(n: number, cmd: number): boolean {
    var b = bsbReg(n);
    this.write8(b, SN_CR, cmd);
    for (var i = 0; i < CMD_POLLS; i++) {
      if (this.read8(b, SN_CR) === 0) return true;
    }
    return false;
  }
}
