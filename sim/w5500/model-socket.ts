import { Clock } from '../../hal/clock';
import { SimNic, SimTcpConn, SimUdpPort, TcpCloseReason } from '../nic';

/**
 * One W5500 hardware socket inside the chip model (CHIPS.md §1.3): its register block, its TX and RX
 * buffers (offsets masked by the configured size), its status machine and its way out to the simulated
 * network through the SimNic. The register numbers here are written out independently of the driver's.
 */

/** Sn_SR values. */
export const SOCK_CLOSED = 0x00;
export const SOCK_INIT = 0x13;
export const SOCK_LISTEN = 0x14;
export const SOCK_SYNSENT = 0x15;
export const SOCK_ESTABLISHED = 0x17;
export const SOCK_FIN_WAIT = 0x18;
export const SOCK_TIME_WAIT = 0x1b;
export const SOCK_CLOSE_WAIT = 0x1c;
export const SOCK_LAST_ACK = 0x1d;
export const SOCK_UDP = 0x22;
export const SOCK_MACRAW = 0x42;

/** Sn_IR bits. */
export const SIR_CON = 0x01;
export const SIR_DISCON = 0x02;
export const SIR_RECV = 0x04;
export const SIR_TIMEOUT = 0x08;
export const SIR_SENDOK = 0x10;

/** What a socket asks of the chip model it lives in. */
export interface SocketChip {
  clock: Clock;
  nic: SimNic | null;
  linkUp(): boolean;
  /** ARP timeout and TCP timeout in ms, from RTR/RCR. */
  arpTimeoutMs(): number;
  tcpTimeoutMs(): number;
  sendDelayMs(len: number): number;
  ptrStart: number;
  tearRsr: boolean;
  violation(msg: string): void;
  udpDrop(): void;
  /** Interrupt state may have changed. */
  changed(): void;
}

var TIME_WAIT_MS = 2;

function sizeOf(kb: number): number {
  return kb === 0 || kb === 1 || kb === 2 || kb === 4 || kb === 8 || kb === 16 ? kb * 1024 : 0;
}

export class ModelSocket {
  n: number;
  chip: SocketChip;
  /** Register bytes that are plain storage (Sn_MR, PORT, DHAR, DIPR, DPORT, MSSR, TOS, TTL, sizes, IMR, FRAG, KPALVTR). */
  r = new Uint8Array(0x30);
  tx = new Uint8Array(16384);
  rx = new Uint8Array(16384);
  sr = SOCK_CLOSED;
  ir = 0;
  /** Last command written (Sn_CR reads it back only when the chip is told to leave commands stuck). */
  cr = 0;
  txRd = 0;
  txWr = 0;
  ack = 0;
  rxRd = 0;
  rxWr = 0;
  sending = false;
  conn: SimTcpConn | null = null;
  udp: SimUdpPort | null = null;
  pend: Buffer[] = [];
  finPending = false;
  closePending: TcpCloseReason | null = null;
  unsent: Buffer | null = null;
  gen = 0;
  timer: any = undefined;
  sendTimer: any = undefined;

  constructor(n: number, chip: SocketChip) {
    this.n = n;
    this.chip = chip;
    this.reset();
  }

  /** Reset values (CHIPS.md §1.3). */
  reset(): void {
    this.teardown();
    this.r.fill(0);
    for (var i = 0x06; i <= 0x0b; i++) this.r[i] = 0xff;
    this.r[0x16] = 0x80;
    this.r[0x1e] = 2;
    this.r[0x1f] = 2;
    this.r[0x2c] = 0xff;
    this.r[0x2d] = 0x40;
    this.tx.fill(0);
    this.rx.fill(0);
    this.sr = SOCK_CLOSED;
    this.ir = 0;
    this.cr = 0;
    this.txRd = this.txWr = this.ack = this.rxRd = this.rxWr = 0;
  }

  txSize(): number {
    return sizeOf(this.r[0x1f]);
  }

  rxSize(): number {
    return sizeOf(this.r[0x1e]);
  }

  u16(off: number): number {
    return (this.r[off] << 8) | this.r[off + 1];
  }

  dip(): string {
    return this.r[0x0c] + '.' + this.r[0x0d] + '.' + this.r[0x0e] + '.' + this.r[0x0f];
  }

  fsr(): number {
    var used = ((this.txWr - (this.proto() === 1 ? this.ack : this.txRd)) & 0xffff);
    var f = this.txSize() - used;
    return f > 0 ? f : 0;
  }

  rsr(): number {
    return (this.rxWr - this.rxRd) & 0xffff;
  }

  proto(): number {
    return this.r[0] & 0x0f;
  }

  setIr(bits: number): void {
    this.ir |= bits;
    this.chip.changed();
  }

  /** One register byte read. */
  read(off: number): number {
    switch (off) {
      case 0x01: return this.cr;
      case 0x02: return this.ir;
      case 0x03: return this.sr;
      case 0x20: return this.fsr() >> 8;
      case 0x21: return this.fsr() & 0xff;
      case 0x22: return this.txRd >> 8;
      case 0x23: return this.txRd & 0xff;
      case 0x24: return this.txWr >> 8;
      case 0x25: return this.txWr & 0xff;
      case 0x26: {
        var hi = this.rsr() >> 8;
        if (this.chip.tearRsr && this.pend.length) this.fill();
        return hi;
      }
      case 0x27: return this.rsr() & 0xff;
      case 0x28: return this.rxRd >> 8;
      case 0x29: return this.rxRd & 0xff;
      case 0x2a: return this.rxWr >> 8;
      case 0x2b: return this.rxWr & 0xff;
    }
    return off < 0x30 ? this.r[off] : 0;
  }

  /** One register byte write. `stuck`: Sn_CR keeps the command (fault knob). */
  write(off: number, v: number, stuck: boolean): void {
    if (off === 0x01) {
      this.cr = stuck ? v : 0;
      this.command(v);
    } else if (off === 0x02) {
      this.ir &= ~v;
      this.chip.changed();
    } else if (off === 0x24) this.txWr = ((v << 8) | (this.txWr & 0xff)) & 0xffff;
    else if (off === 0x25) this.txWr = (this.txWr & 0xff00) | v;
    else if (off === 0x28) this.rxRd = ((v << 8) | (this.rxRd & 0xff)) & 0xffff;
    else if (off === 0x29) this.rxRd = (this.rxRd & 0xff00) | v;
    else if (off === 0x03 || (off >= 0x20 && off <= 0x2b) || off >= 0x30) return;
    else this.r[off] = v;
  }

  txByte(off: number, write: boolean, v: number): number {
    var sz = this.txSize();
    if (!sz) return 0;
    var a = off & (sz - 1);
    if (write) this.tx[a] = v;
    return this.tx[a];
  }

  rxByte(off: number, write: boolean, v: number): number {
    var sz = this.rxSize();
    if (!sz) return 0;
    var a = off & (sz - 1);
    if (write) this.rx[a] = v;
    return this.rx[a];
  }

  /** Sn_CR command (CHIPS.md §1.3). */
  command(c: number): void {
    switch (c) {
      case 0x01: return this.open();
      case 0x02:
        if (this.sr === SOCK_INIT) this.sr = SOCK_LISTEN;
        return;
      case 0x04: return this.connect();
      case 0x08: return this.discon();
      case 0x10:
        this.teardown();
        this.sr = SOCK_CLOSED;
        return;
      case 0x20:
      case 0x21: return this.send();
      case 0x22: return;
      case 0x40: return this.recv();
    }
  }

  /** Drops any connection, port and timer (no interrupt). */
  teardown(): void {
    this.gen++;
    var c = this.chip.clock;
    c.clearTimeout(this.timer);
    c.clearTimeout(this.sendTimer);
    this.timer = this.sendTimer = undefined;
    if (this.conn) {
      var k = this.conn;
      this.conn = null;
      k.destroy();
    }
    if (this.udp) {
      var u = this.udp;
      this.udp = null;
      u.close();
    }
    this.pend = [];
    this.finPending = false;
    this.closePending = null;
    this.unsent = null;
    this.sending = false;
  }

  open(): void {
    this.teardown();
    this.sr = SOCK_CLOSED;
    var p = this.chip.ptrStart & 0xffff;
    this.txRd = this.txWr = this.ack = this.rxRd = this.rxWr = p;
    var proto = this.proto();
    if (proto === 1) this.sr = SOCK_INIT;
    else if (proto === 4 && this.n === 0) this.sr = SOCK_MACRAW;
    else if (proto === 2) {
      this.sr = SOCK_UDP;
      var nic = this.chip.nic, g = this.gen, self = this;
      if (nic) {
        this.udp = nic.udpOpen(this.u16(0x04), function (ip, port, data) {
          if (self.gen === g) self.datagram(ip, port, data);
        });
      }
    }
  }

  connect(): void {
    if (this.sr !== SOCK_INIT) return;
    this.sr = SOCK_SYNSENT;
    var self = this, g = this.gen, clk = this.chip.clock;
    var link = this.chip.linkUp() && this.chip.nic;
    this.timer = clk.setTimeout(function () {
      if (self.gen !== g) return;
      self.timedOut();
    }, link ? this.chip.tcpTimeoutMs() : this.chip.arpTimeoutMs());
    if (!link) return;
    this.conn = this.chip.nic!.tcpConnect(this.dip(), this.u16(0x10), this.u16(0x04), {
      onConnect: function () {
        if (self.gen !== g || self.sr !== SOCK_SYNSENT) return;
        clk.clearTimeout(self.timer);
        self.timer = undefined;
        self.sr = SOCK_ESTABLISHED;
        self.setIr(SIR_CON);
      },
      onData: function (d: Buffer) {
        if (self.gen !== g) return;
        self.pend.push(d);
        if (self.chip.tearRsr) self.setIr(SIR_RECV);
        else self.fill();
      },
      onEnd: function () {
        if (self.gen !== g) return;
        self.finPending = true;
        self.fill();
      },
      onClose: function (reason: TcpCloseReason) {
        if (self.gen !== g) return;
        self.peerClosed(reason);
      },
    });
  }

  /** TCP retransmissions (or ARP) ran out: TIMEOUT, CLOSED. */
  timedOut(): void {
    this.teardown();
    this.sr = SOCK_CLOSED;
    this.setIr(SIR_TIMEOUT);
  }

  peerClosed(reason: TcpCloseReason): void {
    if (reason === 'closed') {
      // Both FINs exchanged; data and our FIN_WAIT → TIME_WAIT step still go through fill().
      this.closePending = reason;
      this.fill();
      return;
    }
    if (this.sr === SOCK_SYNSENT && (reason === 'timeout' || reason === 'unreachable')) {
      this.conn = null;
      return; // the chip's own retransmission timer decides when TIMEOUT shows
    }
    this.conn = null;
    this.teardown();
    this.sr = SOCK_CLOSED;
    this.setIr(reason === 'timeout' ? SIR_TIMEOUT : SIR_DISCON);
  }

  discon(): void {
    var s = this.sr;
    if (s === SOCK_ESTABLISHED || s === SOCK_CLOSE_WAIT) {
      this.sr = s === SOCK_ESTABLISHED ? SOCK_FIN_WAIT : SOCK_LAST_ACK;
      if (this.conn) this.conn.end();
      if (this.closePending) this.fill();
    } else if (s === SOCK_SYNSENT || s === SOCK_INIT || s === SOCK_LISTEN) {
      this.teardown();
      this.sr = SOCK_CLOSED;
    }
  }

  /** Moves pending TCP bytes into the RX buffer as room allows; then applies a pending FIN / close. */
  fill(): void {
    var sz = this.rxSize(), moved = false;
    while (this.pend.length) {
      var free = sz - this.rsr();
      if (free <= 0) break;
      var h = this.pend[0], n = h.length < free ? h.length : free;
      for (var i = 0; i < n; i++) this.rx[(this.rxWr + i) & (sz - 1)] = h[i];
      this.rxWr = (this.rxWr + n) & 0xffff;
      moved = true;
      if (n === h.length) this.pend.shift();
      else this.pend[0] = h.subarray(n);
    }
    if (moved) this.setIr(SIR_RECV);
    if (this.pend.length) return;
    if (this.finPending) {
      this.finPending = false;
      if (this.sr === SOCK_ESTABLISHED) {
        this.sr = SOCK_CLOSE_WAIT;
        this.setIr(SIR_DISCON);
      } else if (this.sr === SOCK_FIN_WAIT) {
        this.sr = SOCK_TIME_WAIT;
        this.setIr(SIR_DISCON);
        this.timeWait();
      }
    }
    if (this.closePending && (this.sr === SOCK_LAST_ACK || this.sr === SOCK_TIME_WAIT)) {
      this.closePending = null;
      if (this.sr === SOCK_LAST_ACK) {
        this.conn = null;
        this.teardown();
        this.sr = SOCK_CLOSED;
        this.chip.changed();
      }
    }
  }

  timeWait(): void {
    var self = this, g = this.gen;
    this.chip.clock.clearTimeout(this.timer);
    this.timer = this.chip.clock.setTimeout(function () {
      if (self.gen !== g) return;
      self.conn = null;
      self.teardown();
      self.sr = SOCK_CLOSED;
      self.chip.changed();
    }, TIME_WAIT_MS);
  }

  send(): void {
    if (this.sending) {
      this.chip.violation('S' + this.n + ' SEND while a SEND is outstanding');
      return;
    }
    var proto = this.proto(), sz = this.txSize();
    var len = (this.txWr - this.txRd) & 0xffff;
    if (proto === 1 && this.sr !== SOCK_ESTABLISHED && this.sr !== SOCK_CLOSE_WAIT) return;
    if (proto === 2 && this.sr !== SOCK_UDP) return;
    if (proto !== 1 && proto !== 2) return;
    if (len > sz || (proto === 1 && ((this.txWr - this.ack) & 0xffff) > sz)) {
      this.chip.violation('S' + this.n + ' TX overrun: ' + len + ' bytes queued in a ' + sz + '-byte buffer');
      len = len > sz ? sz : len;
    }
    var data = Buffer.alloc(len);
    for (var i = 0; i < len; i++) data[i] = this.tx[(this.txRd + i) & (sz - 1)];
    this.txRd = this.txWr;
    this.sending = true;
    var self = this, g = this.gen, clk = this.chip.clock;
    if (proto === 2) {
      var dst = this.dip(), port = this.u16(0x10);
      var bcast = dst === '255.255.255.255';
      if (!this.chip.linkUp() && !bcast) {
        this.sendTimer = clk.setTimeout(function () {
          if (self.gen !== g) return;
          self.sending = false;
          self.setIr(SIR_TIMEOUT);
        }, this.chip.arpTimeoutMs());
        return;
      }
      if (this.chip.linkUp() && this.udp && len > 0) this.udp.send(dst, port, data);
      this.sendOkLater(len);
      return;
    }
    if (this.chip.linkUp()) {
      if (this.conn && len > 0) this.conn.write(data);
      this.sendOkLater(len);
    } else {
      // Retransmits until the link returns or the TCP timeout runs out.
      this.unsent = data;
      this.sendTimer = clk.setTimeout(function () {
        if (self.gen !== g) return;
        self.timedOut();
      }, this.chip.tcpTimeoutMs());
    }
  }

  sendOkLater(len: number): void {
    var self = this, g = this.gen;
    this.sendTimer = this.chip.clock.setTimeout(function () {
      if (self.gen !== g) return;
      self.sendTimer = undefined;
      self.sending = false;
      self.ack = self.txRd;
      self.setIr(SIR_SENDOK);
    }, this.chip.sendDelayMs(len));
  }

  /** The link came back: data held during the outage goes out. */
  linkBack(): void {
    if (!this.unsent) return;
    var d = this.unsent;
    this.unsent = null;
    this.chip.clock.clearTimeout(this.sendTimer);
    if (this.conn && d.length) this.conn.write(d);
    this.sendOkLater(d.length);
  }

  recv(): void {
    if (this.proto() === 1) this.fill();
  }

  /** A UDP datagram for this socket: whole, behind its 8-byte header, or dropped when it does not fit. */
  datagram(ip: string, port: number, data: Buffer): void {
    if (this.sr !== SOCK_UDP) return;
    var sz = this.rxSize(), need = 8 + data.length;
    if (need > sz - this.rsr()) {
      this.chip.udpDrop();
      return;
    }
    var p = ip.split('.');
    var hdr = [+p[0], +p[1], +p[2], +p[3], port >> 8, port & 0xff, data.length >> 8, data.length & 0xff];
    var w = this.rxWr;
    for (var i = 0; i < 8; i++) this.rx[(w + i) & (sz - 1)] = hdr[i];
    for (var j = 0; j < data.length; j++) this.rx[(w + 8 + j) & (sz - 1)] = data[j];
    this.rxWr = (w + need) & 0xffff;
    this.setIr(SIR_RECV);
  }
}
