import { Clock } from '../../hal/clock';
import { Spi } from '../../hal/spi';
import { SimNic } from '../nic';
import { ModelSocket, SocketChip } from './model-socket';

/**
 * A chip-level model of the WIZnet W5500 behind the HAL Spi interface (CHIPS.md §1): a host board passes
 * the model itself to the driver as its Spi. Every `send` is one chip-select window holding one VDM frame
 * (2-byte address, control byte, data); MISO is 0x01 0x02 0x03 during the header, register or buffer bytes
 * for reads, 0x00 during written data (unverified; chosen as a default). Its sockets reach the simulated
 * network through a SimNic. Time (SEND_OK delay, retransmission timeouts, reset) is the given Clock's.
 */
export interface W5500ModelOptions {
  clock: Clock;
  /** The Ethernet NIC of the simulated world; null/absent = no cable (link down). */
  nic?: SimNic | null;
  /** No chip on the bus: MISO all 0x00 or all 0xFF. */
  absent?: 'zeros' | 'ones';
  /** VERSIONR value (default 0x04; anything else = another chip). */
  version?: number;
  /** VERSIONR reads 0 this many times after each reset (ESP-IDF #11331). */
  versionZeroReads?: number;
  /** MR.RST self-clears after this long. Default 0.5 ms. */
  resetMs?: number;
  /** Wire speed for the SEND → SEND_OK delay, bytes per ms. Default 12500 (100 Mbit/s). */
  bytesPerMs?: number;
  /** Data arrives between the two bytes of an Sn_RX_RSR read (the pitfall stable reads guard against). */
  tearRsr?: boolean;
  /** Value of the four buffer pointers after OPEN (default 0; near 0xFFFF to reach the wrap early). */
  ptrStart?: number;
  /** Sn_CR never reads back 0 (fault knob for bounded command polling). */
  crStuck?: boolean;
  /** Keep every frame in `frames` (tests asserting the bytes on the wire). */
  trace?: boolean;
  /** INTn changed: true = asserted (pin low). */
  onInt?: (asserted: boolean) => void;
}

/** One traced frame. */
export interface ModelFrame {
  addr: number;
  bsb: number;
  write: boolean;
  data: number[];
  miso: number[];
}

/** Common register reset values (CHIPS.md §1.2), 0x00–0x39. */
function commonReset(r: Uint8Array): void {
  r.fill(0);
  r[0x19] = 0x07;
  r[0x1a] = 0xd0;
  r[0x1b] = 0x08;
  r[0x1c] = 0x28;
  r[0x26] = 0xff;
  r[0x27] = 0xff;
  r[0x2e] = 0xb8;
}

export class W5500Model implements Spi, SocketChip {
  clock: Clock;
  nic: SimNic | null;
  o: W5500ModelOptions;
  /** Common register storage. */
  c = new Uint8Array(0x40);
  s: ModelSocket[] = [];
  ptrStart: number;
  tearRsr: boolean;
  /** SPI bytes (MOSI = MISO count) and chip-select windows since construction or `resetCounters`. */
  spiBytes = 0;
  spiFrames = 0;
  /** Datagrams dropped because 8 + length did not fit the RX buffer. */
  udpDrops = 0;
  /** Protocol violations by the host (SEND while sending, TX overrun, buffer sizes > 16 KB). */
  violations: string[] = [];
  frames: ModelFrame[] = [];
  /** Resets seen (MR.RST writes). */
  resets = 0;
  _resetUntil = -1;
  _zeroReads = 0;
  _int = false;
  _unlink: (() => void) | null = null;

  constructor(o: W5500ModelOptions) {
    this.o = o;
    this.clock = o.clock;
    this.nic = o.nic || null;
    this.ptrStart = o.ptrStart || 0;
    this.tearRsr = !!o.tearRsr;
    for (var i = 0; i < 8; i++) this.s.push(new ModelSocket(i, this));
    this.hardReset();
    var self = this;
    if (this.nic) {
      this._unlink = this.nic.onLink(function (up) {
        if (up) for (var k = 0; k < 8; k++) self.s[k].linkBack();
      });
    }
  }

  /** Power-on / RSTn: everything to reset values. */
  hardReset(): void {
    commonReset(this.c);
    for (var i = 0; i < 8; i++) this.s[i].reset();
    this._zeroReads = this.o.versionZeroReads || 0;
    if (this.nic) this.nic.setAddress(null);
    this.changed();
  }

  resetCounters(): void {
    this.spiBytes = 0;
    this.spiFrames = 0;
    this.frames = [];
  }

  /** PHY link: the world's carrier, unless the PHY is configured to power down (OPMD=1, OPMDC=110). */
  linkUp(): boolean {
    var p = this.c[0x2e];
    if ((p & 0x40) && ((p >> 3) & 7) === 6) return false;
    return !!this.nic && this.nic.linkUp();
  }

  rtrMs(): number {
    return ((this.c[0x19] << 8) | this.c[0x1a]) / 10;
  }

  /** ARP_TO = RTR × (RCR + 1). */
  arpTimeoutMs(): number {
    return this.rtrMs() * (this.c[0x1b] + 1);
  }

  /** TCP_TO: RTR doubling per retry, each capped at 65535 units, RCR + 1 waits. */
  tcpTimeoutMs(): number {
    var rtr = (this.c[0x19] << 8) | this.c[0x1a], t = 0;
    for (var i = 0; i <= this.c[0x1b]; i++) {
      var u = rtr * Math.pow(2, i);
      t += u > 65535 ? 65535 : u;
    }
    return t / 10;
  }

  sendDelayMs(len: number): number {
    var d = len / (this.o.bytesPerMs || 12500);
    return d < 0.01 ? 0.01 : d;
  }

  violation(msg: string): void {
    this.violations.push(msg);
  }

  udpDrop(): void {
    this.udpDrops++;
  }

  /** INTn: IR & IMR, or any socket with SIMR bit n and Sn_IR & Sn_IMR. */
  intAsserted(): boolean {
    if (this.c[0x15] & this.c[0x16]) return true;
    for (var i = 0; i < 8; i++) if ((this.c[0x18] & (1 << i)) && (this.s[i].ir & this.s[i].r[0x2c])) return true;
    return false;
  }

  changed(): void {
    var a = this.intAsserted();
    if (a !== this._int) {
      this._int = a;
      if (this.o.onInt) this.o.onInt(a);
    }
  }

  /** One chip-select window. */
  send(f: Uint8Array): Uint8Array {
    this.spiFrames++;
    this.spiBytes += f.length;
    var out = new Uint8Array(f.length);
    if (this.o.absent) {
      out.fill(this.o.absent === 'ones' ? 0xff : 0);
      return out;
    }
    for (var i = 0; i < 3 && i < f.length; i++) out[i] = i + 1;
    if (f.length < 3) return out;
    var addr = (f[0] << 8) | f[1], ctl = f[2], bsb = ctl >> 3, wr = (ctl & 4) !== 0, om = ctl & 3;
    var n = f.length - 3;
    if (om) n = Math.min(n, om === 3 ? 4 : om);
    var sipr = false;
    for (var k = 0; k < n; k++) {
      var a = (addr + k) & 0xffff;
      if (wr) {
        this.wr(bsb, a, f[3 + k]);
        if (bsb === 0 && a >= 0x0f && a <= 0x12) sipr = true;
      } else out[3 + k] = this.rd(bsb, a);
    }
    if (sipr && this.nic) {
      var ip = this.c[0x0f] + '.' + this.c[0x10] + '.' + this.c[0x11] + '.' + this.c[0x12];
      this.nic.setAddress(ip === '0.0.0.0' ? null : ip);
    }
    if (this.o.trace) {
      this.frames.push({ addr: addr, bsb: bsb, write: wr, data: Array.prototype.slice.call(f, 3), miso: Array.prototype.slice.call(out, 3) });
    }
    this.changed();
    return out;
  }

  rd(bsb: number, a: number): number {
    if (bsb === 0) return this.rdCommon(a);
    var s = this.s[bsb >> 2], blk = bsb & 3;
    if (blk === 1) return s.read(a);
    if (blk === 2) return s.txByte(a, false, 0);
    if (blk === 3) return s.rxByte(a, false, 0);
    return 0;
  }

  wr(bsb: number, a: number, v: number): void {
    if (bsb === 0) return this.wrCommon(a, v);
    var s = this.s[bsb >> 2], blk = bsb & 3;
    if (blk === 1) {
      if (a === 0x01 && v === 0x01) this.checkSizes();
      s.write(a, v, !!this.o.crStuck);
    } else if (blk === 2) s.txByte(a, true, v);
    else if (blk === 3) s.rxByte(a, true, v);
  }

  rdCommon(a: number): number {
    if (a === 0x00) return this.clock.now() < this._resetUntil ? 0x80 : this.c[0];
    if (a === 0x17) {
      var sir = 0;
      for (var i = 0; i < 8; i++) if (this.s[i].ir) sir |= 1 << i;
      return sir;
    }
    if (a === 0x2e) {
      var l = this.linkUp();
      return (this.c[0x2e] & 0x78) | 0x80 | (l ? 0x07 : 0);
    }
    if (a === 0x39) {
      if (this._zeroReads > 0) {
        this._zeroReads--;
        return 0;
      }
      return this.o.version === undefined ? 0x04 : this.o.version;
    }
    return a < 0x2f ? this.c[a] : 0;
  }

  wrCommon(a: number, v: number): void {
    if (a === 0x00) {
      if (v & 0x80) {
        this.resets++;
        this.hardReset();
        this._resetUntil = this.clock.now() + (this.o.resetMs === undefined ? 0.5 : this.o.resetMs);
        return;
      }
      this.c[0] = v & 0x7f;
    } else if (a === 0x15) this.c[0x15] &= ~v;
    else if (a === 0x17 || a >= 0x2f) return;
    else this.c[a] = v;
  }

  checkSizes(): void {
    var tx = 0, rx = 0;
    for (var i = 0; i < 8; i++) {
      tx += this.s[i].txSize();
      rx += this.s[i].rxSize();
    }
    var msg = 'buffer sizes exceed 16 KB (tx ' + tx + ', rx ' + rx + ')';
    if ((tx > 16384 || rx > 16384) && this.violations.indexOf(msg) < 0) this.violation(msg);
  }

  /** Stops listening to the NIC (end of a test). */
  dispose(): void {
    for (var i = 0; i < 8; i++) this.s[i].teardown();
    if (this._unlink) this._unlink();
    this._unlink = null;
  }
}
