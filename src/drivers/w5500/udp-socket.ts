import { UdpOptions, UdpSocket } from '../../net/interface';
import { E_DEVICE } from '../../net/types';
import { isIpv4, ipToBytes, bytesToIp } from '../../net/ip';
import { LOG_WARN } from '../../../hal/log';
import { SockHost } from './sock-host';
import {
  bsbReg, bsbTx, bsbRx, SN_MR, SN_MR_UDP, SN_IR, SN_SR, SN_PORT, SN_DIPR, SN_TX_FSR, SN_TX_WR, SN_RX_RSR, SN_RX_RD,
  CMD_OPEN, CMD_CLOSE, CMD_SEND, CMD_RECV, IR_RECV, IR_TIMEOUT, IR_SEND_OK, SR_UDP, UDP_HDR,
} from './regs';

/** Datagrams queued in the driver while one SEND is outstanding. */
export var UDP_QUEUE_MAX = 4;
/** RX rounds per poll. */
var RX_ROUNDS = 4;

/**
 * A W5500 UDP socket on hardware socket `n` (CHIPS.md §1.4 UDP). sendto: Sn_DIPR/Sn_DPORT (written only
 * when the destination changes), data burst at Sn_TX_WR, SEND; one SEND outstanding, a few datagrams
 * queued behind it. recvfrom: everything Sn_RX_RSR counts is read in one burst (whole datagrams, each
 * behind its 8-byte header) and split here.
 */
export class W5500Udp implements UdpSocket {
  _h: SockHost;
  _n: number;
  _o: UdpOptions;
  _port: number;
  _open = false;
  _qd: string[] = [];
  _qh: string[] = [];
  _qp: number[] = [];
  _txWr = 0;
  _rxRd = 0;
  _sendAt = -1;
  /** Destination last written to Sn_DIPR/Sn_DPORT ("ip:port"). */
  _dst = '';
  /** Sn_TX_FSR must be read before the next send (after a TIMEOUT the chip's pointers are not ours to assume). */
  _chkFsr = false;

  constructor(h: SockHost, n: number, opts: UdpOptions, port: number) {
    this._h = h;
    this._n = n;
    this._o = opts;
    this._port = port;
  }

  /** CLOSE, OPEN in UDP mode; false when the chip does not report SOCK_UDP. */
  _start(): boolean {
    var c = this._h._chip, n = this._n, b = bsbReg(n);
    c.cmd(n, CMD_CLOSE);
    c.write8(b, SN_IR, 0xff);
    c.write8(b, SN_MR, SN_MR_UDP);
    c.write16(b, SN_PORT, this._port);
    if (!c.cmd(n, CMD_OPEN) || c.read8(b, SN_SR) !== SR_UDP) {
      c.cmd(n, CMD_CLOSE);
      return false;
    }
    var f = c.readFrame(b, SN_TX_WR, 6);
    this._txWr = (f[3] << 8) | f[4];
    this._rxRd = (f[7] << 8) | f[8];
    this._open = true;
    return true;
  }

  send(data: string, host: string, port: number): boolean {
    if (!this._open || !data.length || data.length > this._h._txSz[this._n]) return false;
    if (!(port > 0 && port < 65536) || !isIpv4(host) || this._qd.length >= UDP_QUEUE_MAX) return false;
    this._qd.push(data);
    this._qh.push(host);
    this._qp.push(port);
    if (this._sendAt < 0) this._tx();
    return true;
  }

  /** Sends the head of the queue. */
  _tx(): void {
    var h = this._h, c = h._chip, n = this._n, b = bsbReg(n);
    while (this._qd.length && this._sendAt < 0 && this._open) {
      var d = this._qd.shift()!, ip = this._qh.shift()!, p = this._qp.shift()!;
      if (this._chkFsr) {
        var fsr = c.read16Stable(b, SN_TX_FSR);
        if (fsr < 0) return this._end(E_DEVICE);
        if (fsr < d.length) continue;
        this._chkFsr = false;
      }
      var dst = ip + ':' + p;
      if (dst !== this._dst) {
        var a = ipToBytes(ip);
        c.write(b, SN_DIPR, [a.charCodeAt(0), a.charCodeAt(1), a.charCodeAt(2), a.charCodeAt(3), p >> 8, p & 0xff]);
        this._dst = dst;
      }
      c.writeStr(bsbTx(n), this._txWr, d);
      this._txWr = (this._txWr + d.length) & 0xffff;
      c.write16(b, SN_TX_WR, this._txWr);
      if (!c.cmd(n, CMD_SEND)) return this._end(E_DEVICE);
      this._sendAt = h._clock.now();
      h._cnt.tx += d.length;
    }
  }

  /** One poll; returns true while a send is outstanding or queued. */
  _poll(sir: boolean): boolean {
    if (!this._open) return false;
    var h = this._h, c = h._chip, b = bsbReg(this._n);
    if (sir) {
      var f = c.readFrame(b, SN_IR, 2);
      var ir = f[3];
      if (ir) c.write8(b, SN_IR, ir);
      if (f[4] !== SR_UDP) {
        this._end(E_DEVICE);
        return false;
      }
      if (ir & IR_TIMEOUT) {
        this._chkFsr = true;
        h._log.log(LOG_WARN, 'w5500', 'udp' + this._n + ' send timeout (ARP)');
      }
      if (ir & (IR_SEND_OK | IR_TIMEOUT)) this._sendAt = -1;
      if (ir & IR_RECV) this._rx();
      if (!this._open) return false;
    }
    if (this._sendAt >= 0 && h._clock.now() - this._sendAt > h._times.sendMs) {
      this._sendAt = -1;
      this._chkFsr = true;
    }
    if (this._sendAt < 0 && this._qd.length) this._tx();
    return this._sendAt >= 0 || this._qd.length > 0;
  }

  /** Reads every whole datagram the RX buffer holds, then delivers them. */
  _rx(): void {
    var h = this._h, c = h._chip, n = this._n, b = bsbReg(n), sz = h._rxSz[n];
    for (var r = 0; r < RX_ROUNDS; r++) {
      var rsr = c.read16Stable(b, SN_RX_RSR);
      if (rsr < 0 || rsr > sz) return this._end(E_DEVICE);
      if (rsr < UDP_HDR) return;
      var d = c.readStr(bsbRx(n), this._rxRd, rsr);
      this._rxRd = (this._rxRd + rsr) & 0xffff;
      c.write16(b, SN_RX_RD, this._rxRd);
      if (!c.cmd(n, CMD_RECV)) return this._end(E_DEVICE);
      h._cnt.rx += rsr;
      var off = 0;
      while (off + UDP_HDR <= rsr && this._open) {
        var len = (d.charCodeAt(off + 6) << 8) | d.charCodeAt(off + 7);
        if (off + UDP_HDR + len > rsr) {
          h._log.log(LOG_WARN, 'w5500', 'udp' + n + ' bad datagram header');
          break;
        }
        var cb = this._o.onMessage;
        if (cb) cb(d.substr(off + UDP_HDR, len), bytesToIp(d, off), (d.charCodeAt(off + 4) << 8) | d.charCodeAt(off + 5));
        off += UDP_HDR + len;
      }
      if (!this._open) return;
    }
  }

  close(): void {
    if (this._open) this._end(-1);
  }

  _down(err: number): void {
    if (this._open) this._end(err);
  }

  /** CLOSE on the chip, frees the hardware socket; onClose(err) unless closed by the user (err < 0). */
  _end(err: number): void {
    this._open = false;
    this._qd = [];
    this._qh = [];
    this._qp = [];
    this._sendAt = -1;
    var h = this._h;
    h._chip.cmd(this._n, CMD_CLOSE);
    h._release(this._n);
    if (err >= 0 && this._o.onClose) this._o.onClose(err);
  }
}
