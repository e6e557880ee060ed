import { TcpOptions, TcpSocket } from '../../net/interface';
import { E_OK, E_TIMEOUT, E_REFUSED, E_RESET, E_DEVICE, E_DNS, E_NETDOWN } from '../../net/types';
import { ipToBytes } from '../../net/ip';
import { SockHost } from './sock-host';
import {
  bsbReg, bsbTx, bsbRx, SN_MR, SN_MR_TCP, SN_IR, SN_SR, SN_PORT, SN_DIPR, SN_TX_FSR, SN_TX_WR, SN_RX_RSR, SN_RX_RD,
  CMD_OPEN, CMD_CONNECT, CMD_DISCON, CMD_CLOSE, CMD_SEND, CMD_RECV,
  IR_RECV, IR_TIMEOUT, IR_SEND_OK, SR_CLOSED, SR_INIT, SR_ESTABLISHED, SR_CLOSE_WAIT,
} from './regs';

/** Socket states (one machine, transitions through `_to`). */
/** Waiting for the host name to resolve (no chip socket yet). */
export const T_RESOLVING = 1;
/** CONNECT issued, waiting for ESTABLISHED / TIMEOUT / CLOSED. */
export const T_CONNECTING = 2;
/** Established: reads and writes. */
export const T_OPEN = 3;
/** The peer sent FIN (CLOSE_WAIT): drain RX, finish TX, then DISCON. */
export const T_PEER_CLOSED = 4;
/** close() called while open: finish TX, then DISCON. */
export const T_FLUSH = 5;
/** DISCON issued, waiting for CLOSED (bounded; then CLOSE). */
export const T_CLOSING = 6;
/** close() before the connection was up: onClose(E_OK) follows on a timer. */
export const T_ABORT = 7;
/** Finished; onClose has been called. */
export const T_DONE = 8;

/** Maximum RX rounds in one poll (keeps one poll bounded while a fast peer refills the buffer). */
var RX_ROUNDS = 4;

/**
 * A W5500 TCP client socket on hardware socket `n` (CHIPS.md §1.4). Data written is queued in the driver
 * (bounded by the host's `_txQMax`) and moved to the chip one SEND at a time: the next SEND waits for
 * SEND_OK. Received data is read whole (Sn_RX_RSR, read stably) in one burst per round.
 */
export class W5500Tcp implements TcpSocket {
  _h: SockHost;
  _n: number;
  _o: TcpOptions;
  _st = T_RESOLVING;
  _q: string[] = [];
  _qn = 0;
  _txWr = 0;
  _rxRd = 0;
  /** Known lower bound of Sn_TX_FSR (it only grows behind our back). */
  _fsr = 0;
  /** Clock time of the outstanding SEND; -1 = none. */
  _sendAt = -1;
  _wantW = false;
  _rxMore = false;
  _lport = 0;
  _tm: any;
  _onTm: () => void;
  _onRes: (err: number, ip: string) => void;

  constructor(h: SockHost, n: number, opts: TcpOptions, localPort: number) {
    this._h = h;
    this._n = n;
    this._o = opts;
    this._lport = localPort;
    this._onTm = this._timeout.bind(this);
    this._onRes = this._resolved.bind(this);
  }

  /** The state transition. */
  _to(st: number): void {
    this._st = st;
  }

  _arm(ms: number): void {
    this._h._clock.clearTimeout(this._tm);
    this._tm = this._h._clock.setTimeout(this._onTm, ms);
  }

  /** Resolution finished (the interface's resolve callback). */
  _resolved(err: number, ip: string): void {
    if (this._st !== T_RESOLVING) return;
    if (err) this._end(err === E_NETDOWN ? E_NETDOWN : E_DNS);
    else this._connect(ip);
  }

  /** CLOSE, OPEN in TCP mode, CONNECT (CHIPS.md §1.4 TCP client steps 1–3). */
  _connect(ip: string): void {
    var h = this._h, c = h._chip, n = this._n, b = bsbReg(n);
    c.cmd(n, CMD_CLOSE);
    c.write8(b, SN_IR, 0xff);
    c.write8(b, SN_MR, SN_MR_TCP);
    c.write16(b, SN_PORT, this._lport);
    if (!c.cmd(n, CMD_OPEN) || c.read8(b, SN_SR) !== SR_INIT) return this._end(E_DEVICE);
    var a = ipToBytes(ip), p = this._o.port;
    c.write(b, SN_DIPR, [a.charCodeAt(0), a.charCodeAt(1), a.charCodeAt(2), a.charCodeAt(3), p >> 8, p & 0xff]);
    if (!c.cmd(n, CMD_CONNECT)) return this._end(E_DEVICE);
    this._to(T_CONNECTING);
    this._arm(this._o.timeoutMs || h._times.connectMs);
    h._kick();
  }

  /** One poll: `sir` is this socket's SIR bit. Returns true while the socket wants fast polling. */
  _poll(sir: boolean): boolean {
    var st = this._st;
    if (st === T_RESOLVING) return true;
    if (st >= T_ABORT) return false;
    var h = this._h, c = h._chip, n = this._n, b = bsbReg(n);
    var ir = 0, sr = -1;
    if (sir || st === T_CONNECTING || st === T_CLOSING) {
      var f = c.readFrame(b, SN_IR, 2);
      ir = f[3];
      sr = f[4];
      if (ir) c.write8(b, SN_IR, ir);
    }
    if (st === T_CONNECTING) {
      if (sr === SR_ESTABLISHED || sr === SR_CLOSE_WAIT) {
        // Connection up: read the pointers once (Sn_TX_FSR .. Sn_RX_RD in one frame); tracked afterwards.
        var p = c.readFrame(b, SN_TX_FSR, 10);
        this._fsr = (p[3] << 8) | p[4];
        this._txWr = (p[7] << 8) | p[8];
        this._rxRd = (p[11] << 8) | p[12];
        h._clock.clearTimeout(this._tm);
        this._tm = undefined;
        this._to(T_OPEN);
        if (this._o.onConnect) this._o.onConnect();
        if (this._st !== T_OPEN) return false;
      } else if (ir & IR_TIMEOUT) {
        this._end(E_TIMEOUT);
        return false;
      } else if (sr === SR_CLOSED) {
        this._end(E_REFUSED);
        return false;
      } else return true;
    }
    if (ir & IR_SEND_OK) this._sendAt = -1;
    if ((ir & IR_RECV) || this._rxMore) this._rx();
    st = this._st;
    if (st === T_DONE) return false;
    if ((ir & IR_TIMEOUT) || sr === SR_CLOSED) {
      this._end(st === T_CLOSING ? E_OK : ir & IR_TIMEOUT ? E_TIMEOUT : E_RESET);
      return false;
    }
    if (sr === SR_CLOSE_WAIT && st === T_OPEN) this._to((st = T_PEER_CLOSED));
    if (this._sendAt >= 0 && h._clock.now() - this._sendAt > h._times.sendMs) {
      this._end(E_TIMEOUT);
      return false;
    }
    if (this._sendAt < 0 && this._qn > 0 && st !== T_CLOSING) this._tx();
    st = this._st;
    if ((st === T_PEER_CLOSED || st === T_FLUSH) && this._qn === 0 && this._sendAt < 0 && !this._rxMore) {
      if (!c.cmd(n, CMD_DISCON)) {
        this._end(E_DEVICE);
        return false;
      }
      this._to(T_CLOSING);
      this._arm(h._times.closeMs);
    }
    return this._st !== T_OPEN || this._sendAt >= 0 || this._qn > 0 || this._rxMore;
  }

  /** Moves queued bytes into the TX buffer within Sn_TX_FSR and issues one SEND. */
  _tx(): void {
    var h = this._h, c = h._chip, n = this._n, b = bsbReg(n);
    var sz = h._txSz[n];
    var want = this._qn < sz ? this._qn : sz;
    if (this._fsr < want) {
      var fsr = c.read16Stable(b, SN_TX_FSR);
      if (fsr < 0 || fsr > sz) return this._end(E_DEVICE);
      this._fsr = fsr;
    }
    var len = want < this._fsr ? want : this._fsr;
    if (len <= 0) return;
    c.writeStr(bsbTx(n), this._txWr, this._take(len));
    this._txWr = (this._txWr + len) & 0xffff;
    c.write16(b, SN_TX_WR, this._txWr);
    if (!c.cmd(n, CMD_SEND)) return this._end(E_DEVICE);
    this._sendAt = h._clock.now();
    this._fsr -= len;
    h._cnt.tx += len;
    if (this._wantW && this._qn === 0) {
      this._wantW = false;
      if (this._o.onWritable) this._o.onWritable();
    }
  }

  /** Takes `len` bytes off the front of the queue. */
  _take(len: number): string {
    var q = this._q, s = '';
    while (s.length < len) {
      var need = len - s.length, head = q[0];
      if (head.length <= need) {
        s += head;
        q.shift();
      } else {
        s += head.substr(0, need);
        q[0] = head.substr(need);
      }
    }
    this._qn -= len;
    return s;
  }

  /** Reads what Sn_RX_RSR says is there, in one burst per round, then RX_RD += n and RECV. */
  _rx(): void {
    var h = this._h, c = h._chip, n = this._n, b = bsbReg(n), sz = h._rxSz[n];
    this._rxMore = false;
    for (var r = 0; r < RX_ROUNDS; r++) {
      var rsr = c.read16Stable(b, SN_RX_RSR);
      if (rsr < 0 || rsr > sz) return this._end(E_DEVICE);
      if (rsr === 0) return;
      var d = c.readStr(bsbRx(n), this._rxRd, rsr);
      this._rxRd = (this._rxRd + rsr) & 0xffff;
      c.write16(b, SN_RX_RD, this._rxRd);
      if (!c.cmd(n, CMD_RECV)) return this._end(E_DEVICE);
      h._cnt.rx += rsr;
      var st = this._st;
      if ((st === T_OPEN || st === T_PEER_CLOSED) && this._o.onData) this._o.onData(d);
      if (this._st >= T_ABORT) return;
      if (rsr < sz >> 1) return;
    }
    this._rxMore = true;
  }

  write(data: string): boolean {
    var st = this._st;
    if (st !== T_OPEN && st !== T_PEER_CLOSED) return false;
    // One bound for every write, the first too; a write larger than the whole queue never fits (no
    // onWritable for it: the caller must write in pieces).
    if (this._qn + data.length > this._h._txQMax) {
      if (data.length <= this._h._txQMax) this._wantW = true;
      return false;
    }
    if (!data.length) return true;
    this._q.push(data);
    this._qn += data.length;
    this._h._kick();
    return true;
  }

  close(): void {
    var st = this._st;
    if (st === T_RESOLVING || st === T_CONNECTING) {
      this._to(T_ABORT);
      this._arm(0);
    } else if (st === T_OPEN || st === T_PEER_CLOSED) {
      this._to(T_FLUSH);
      this._arm(this._h._times.closeMs);
      this._h._kick();
    }
  }

  _timeout(): void {
    this._tm = undefined;
    var st = this._st;
    if (st === T_CONNECTING) this._end(E_TIMEOUT);
    else if (st === T_FLUSH || st === T_CLOSING || st === T_ABORT) this._end(E_OK);
  }

  /** The interface went down (or off): finish with `err`. */
  _down(err: number): void {
    this._end(err);
  }

  /** Finishes: CLOSE on the chip, frees the hardware socket, calls onClose once. */
  _end(err: number): void {
    var st = this._st;
    if (st === T_DONE) return;
    this._to(T_DONE);
    var h = this._h, n = this._n;
    h._clock.clearTimeout(this._tm);
    this._tm = undefined;
    if (st !== T_RESOLVING) {
      h._chip.cmd(n, CMD_CLOSE);
      h._chip.write8(bsbReg(n), SN_IR, 0xff);
    }
    this._q = [];
    this._qn = 0;
    this._sendAt = -1;
    h._release(n);
    if (this._o.onClose) this._o.onClose(err);
  }
}
