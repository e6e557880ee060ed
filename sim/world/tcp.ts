import { SimTcpConn, SimTcpHandlers, TcpCloseReason } from '../nic';
import { NetCore } from './core';
import { F_ACK, F_FIN, F_RST, F_SYN, Packet, TCP_OVERHEAD } from './packet';

/** The stack an endpoint lives in (a device NIC or a host). */
export interface TcpOwner {
  readonly core: NetCore;
  /** Sends a packet from this stack into the world. */
  output(pkt: Packet): void;
  /** The endpoint is finished: forget it. */
  tcpRemove(ep: TcpEndpoint): void;
  /** A passive endpoint completed its handshake: hand it to the listener. */
  tcpAccepted(ep: TcpEndpoint): void;
  /** Name used in the event log. */
  label(): string;
}

/** Endpoint states. Half-closes are flags on ST_OPEN. */
export const ST_SYN_SENT = 1;
export const ST_SYN_RCVD = 2;
export const ST_OPEN = 3;
export const ST_CLOSED = 4;

interface Seg {
  seq: number;
  data: Buffer;
  flags: number;
  /** Sequence space taken: data length, +1 for SYN, +1 for FIN. */
  len: number;
  tx: number;
  firstTx: number;
  lastTx: number;
}

var NO_HANDLERS: SimTcpHandlers = {
  onConnect: function () {},
  onData: function () {},
  onEnd: function () {},
  onClose: function () {},
};

/**
 * One end of a modelled TCP connection: a reliable, in-order byte stream per direction over the
 * world's lossy links. Segments (one per write, cut at the MSS) are retransmitted on an RFC 6298 RTO with
 * exponential backoff; after an RTO the holes are refilled one per ACK. A SYN unanswered for
 * `connectTimeoutMs` fails with 'timeout'; data unacknowledged for `userTimeoutMs` aborts with 'timeout';
 * an RST gives 'reset' (or 'refused' during the handshake). FIN is a half-close: `onEnd` on the other side,
 * `onClose('closed')` on each side once both FINs are acknowledged.
 *
 * Local `destroy()` sends an RST and does not call the local `onClose`: the caller knows.
 */
export class TcpEndpoint implements SimTcpConn {
  readonly owner: TcpOwner;
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  state: number;
  h: SimTcpHandlers;

  private _q: Buffer[] = [];
  private _flight: Seg[] = [];
  private _flightBytes = 0;
  private _sndNxt = 0;
  private _rcvNxt = 0;
  private _ooo: { [seq: number]: Packet } = {};
  private _finQueued = false;
  private _finSent = false;
  private _finAcked = false;
  private _peerFin = false;
  private _rto: number;
  private _srtt = -1;
  private _rttvar = 0;
  private _recoverAt = -1;
  private _rtoTimer: any = null;
  private _ackTimer: any = null;
  private _unacked = 0;
  private _dupAcks = 0;

  constructor(owner: TcpOwner, localIp: string, localPort: number, remoteIp: string, remotePort: number, h: SimTcpHandlers | null) {
    this.owner = owner;
    this.localIp = localIp;
    this.localPort = localPort;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.h = h || NO_HANDLERS;
    this.state = ST_CLOSED;
    this._rto = owner.core.tcp.initialRtoMs;
  }

  /** Demultiplexing key within the owning stack. */
  key(): string {
    return this.localPort + '|' + this.remoteIp + '|' + this.remotePort;
  }

  /** "192.168.1.100:49152>203.0.113.10:1883" */
  describe(): string {
    return this.localIp + ':' + this.localPort + '>' + this.remoteIp + ':' + this.remotePort;
  }

  /** Active open: sends the SYN. */
  open(): void {
    this.state = ST_SYN_SENT;
    this._queueCtl(F_SYN);
  }

  /** Passive open: a SYN arrived; answers SYN-ACK. */
  accept(syn: Packet): void {
    this.state = ST_SYN_RCVD;
    this._rcvNxt = syn.seq + 1;
    this._queueCtl(F_SYN | F_ACK);
  }

  write(data: Buffer): void {
    if (this.state === ST_CLOSED || this._finQueued || !data || !data.length) return;
    var mss = this.owner.core.tcp.mss;
    for (var off = 0; off < data.length; off += mss) this._q.push(data.subarray(off, Math.min(data.length, off + mss)));
    this._pump();
  }

  end(): void {
    if (this.state === ST_CLOSED || this._finQueued) return;
    this._finQueued = true;
    this._pump();
  }

  destroy(): void {
    if (this.state === ST_CLOSED) return;
    this._send(F_RST | F_ACK, this._sndNxt, Buffer.alloc(0));
    this._finish(null);
  }

  /** Bytes written but not yet acknowledged by the peer. */
  pendingBytes(): number {
    var n = this._flightBytes;
    for (var i = 0; i < this._q.length; i++) n += this._q[i].length;
    return n;
  }

  /** A segment for this endpoint arrived. */
  input(p: Packet): void {
    if (this.state === ST_CLOSED) return;
    var f = p.flags;
    if (f & F_RST) {
      if (this.state === ST_SYN_SENT) this._finish('refused');
      else if (this._finSent && this._peerFin) this._finish('closed');
      else this._finish('reset');
      return;
    }
    if (f & F_SYN) {
      if (this.state === ST_SYN_SENT && f & F_ACK && p.ack === 1) {
        this._rcvNxt = p.seq + 1;
        this._ackUpTo(1);
        if (this._srtt < 0) this._rto = this.owner.core.tcp.initialRtoMs;
        this.state = ST_OPEN;
        this.owner.core.log.add('tcp', this.owner.label() + ' ' + this.describe() + ' established');
        this.h.onConnect();
        if (this.state !== ST_OPEN) return;
        this._pump();
        if (!this._q.length && !this._flight.length) this._sendAck();
        return;
      }
      // A retransmitted SYN or SYN-ACK: our answer was lost.
      if (this.state === ST_SYN_RCVD && this._flight.length) this._retransmit(this._flight[0]);
      else this._sendAck();
      return;
    }
    if (f & F_ACK) {
      if (this.state === ST_SYN_RCVD && p.ack >= 1) {
        this._ackUpTo(p.ack);
        this.state = ST_OPEN;
        this.owner.tcpAccepted(this);
        if (this.state !== ST_OPEN) return;
      } else {
        this._ackUpTo(p.ack, !p.data.length && !(f & F_FIN));
      }
      if (this.state === ST_CLOSED) return;
    }
    if (p.data.length || f & F_FIN) this._receive(p);
  }

  // ---- receiving ----

  private _receive(p: Packet): void {
    if (this.state !== ST_OPEN) return;
    if (p.seq > this._rcvNxt) {
      this._ooo[p.seq] = p;
      this._sendAck();
      return;
    }
    if (p.seq + p.data.length + (p.flags & F_FIN ? 1 : 0) <= this._rcvNxt) {
      this._sendAck();
      return;
    }
    var cur: Packet | undefined = p;
    var fin = false;
    while (cur) {
      var skip = this._rcvNxt - cur.seq;
      var data = skip > 0 ? cur.data.subarray(skip) : cur.data;
      this._rcvNxt += data.length;
      if (cur.flags & F_FIN) {
        this._rcvNxt++;
        fin = true;
      }
      if (data.length) {
        this._unacked++;
        this.h.onData(data);
        if (this.state !== ST_OPEN) return;
      }
      if (fin) break;
      cur = this._ooo[this._rcvNxt];
      if (cur) delete this._ooo[cur.seq];
    }
    if (fin) {
      this._peerFin = true;
      this._ooo = {};
      this._sendAck();
      this.h.onEnd();
      this._maybeClosed();
      return;
    }
    var delay = this.owner.core.tcp.ackDelayMs;
    if (delay <= 0 || this._unacked >= 2) this._sendAck();
    else if (!this._ackTimer) this._ackTimer = this.owner.core.clock.setTimeout(this._onAckTimer, delay);
  }

  private _onAckTimer = (): void => {
    this._ackTimer = null;
    if (this.state !== ST_CLOSED) this._sendAck();
  };

  private _sendAck(): void {
    this._send(F_ACK, this._sndNxt, Buffer.alloc(0));
  }

  // ---- sending ----

  private _queueCtl(flags: number): void {
    var seg: Seg = { seq: this._sndNxt, data: Buffer.alloc(0), flags: flags, len: 1, tx: 0, firstTx: 0, lastTx: 0 };
    this._sndNxt += 1;
    this._flight.push(seg);
    this._retransmit(seg);
  }

  private _pump(): void {
    if (this.state !== ST_OPEN) return;
    var win = this.owner.core.tcp.windowBytes;
    while (this._q.length && (this._flightBytes + this._q[0].length <= win || !this._flight.length)) {
      var data = this._q.shift()!;
      var seg: Seg = { seq: this._sndNxt, data: data, flags: F_ACK, len: data.length, tx: 0, firstTx: 0, lastTx: 0 };
      if (!this._q.length && this._finQueued && !this._finSent) {
        seg.flags |= F_FIN;
        seg.len++;
        this._finSent = true;
      }
      this._sndNxt += seg.len;
      this._flightBytes += data.length;
      this._flight.push(seg);
      this._retransmit(seg);
    }
    if (!this._q.length && this._finQueued && !this._finSent) {
      this._finSent = true;
      var fin: Seg = { seq: this._sndNxt, data: Buffer.alloc(0), flags: F_ACK | F_FIN, len: 1, tx: 0, firstTx: 0, lastTx: 0 };
      this._sndNxt += 1;
      this._flight.push(fin);
      this._retransmit(fin);
    }
  }

  /** (Re)sends one segment of the flight and makes sure the RTO timer runs. */
  private _retransmit(seg: Seg): void {
    var now = this.owner.core.clock.now();
    seg.tx++;
    if (seg.tx === 1) seg.firstTx = now;
    seg.lastTx = now;
    this._send(seg.flags, seg.seq, seg.data);
    if (!this._rtoTimer) this._armRto();
  }

  private _send(flags: number, seq: number, data: Buffer): void {
    if (flags & F_ACK) {
      this._unacked = 0;
      if (this._ackTimer) {
        this.owner.core.clock.clearTimeout(this._ackTimer);
        this._ackTimer = null;
      }
    }
    this.owner.output({
      proto: 'tcp', src: this.localIp, sport: this.localPort, dst: this.remoteIp, dport: this.remotePort,
      data: data, size: data.length + TCP_OVERHEAD, flags: flags, seq: seq, ack: flags & F_ACK ? this._rcvNxt : 0,
    });
  }

  private _limitMs(): number {
    var c = this.owner.core.tcp;
    return this.state === ST_OPEN ? c.userTimeoutMs : c.connectTimeoutMs;
  }

  private _armRto(): void {
    var clock = this.owner.core.clock;
    if (this._rtoTimer) clock.clearTimeout(this._rtoTimer);
    this._rtoTimer = null;
    if (!this._flight.length) return;
    // Fire at the abort deadline if that comes before the next retransmission.
    var left = this._flight[0].firstTx + this._limitMs() - clock.now();
    this._rtoTimer = clock.setTimeout(this._onRto, left < 1e-6 ? 0 : Math.min(this._rto, left));
  }

  private _onRto = (): void => {
    this._rtoTimer = null;
    if (this.state === ST_CLOSED || !this._flight.length) return;
    var c = this.owner.core.tcp;
    var now = this.owner.core.clock.now();
    var oldest = this._flight[0];
    // (A small tolerance: the deadline timer's due time is a float sum and may land a hair early.)
    if (now - oldest.firstTx >= this._limitMs() - 1e-6) {
      this._finish('timeout');
      return;
    }
    this._rto = Math.min(this._rto * 2, c.maxRtoMs);
    this._recoverAt = now;
    this._retransmit(oldest);
  };

  private _ackUpTo(ack: number, pure?: boolean): void {
    var fl = this._flight;
    if (!fl.length || ack < fl[0].seq) return;
    var now = this.owner.core.clock.now();
    if (ack === fl[0].seq) {
      // Fast retransmit on the third duplicate ACK (RFC 5681), then NewReno-style hole filling below.
      if (pure && ++this._dupAcks === 3) {
        this._recoverAt = now;
        this._retransmit(fl[0]);
      }
      return;
    }
    this._dupAcks = 0;
    var sample = -1;
    var retransmitted = false;
    while (fl.length && fl[0].seq + fl[0].len <= ack) {
      var s = fl.shift()!;
      this._flightBytes -= s.data.length;
      if (s.tx === 1) sample = now - s.firstTx;
      else retransmitted = true;
      if (s.flags & F_FIN) this._finAcked = true;
    }
    // Karn: no sample from an ACK that covers a retransmission (it may have waited for a hole).
    if (retransmitted) sample = -1;
    var c = this.owner.core.tcp;
    if (sample >= 0) {
      // RFC 6298 (Karn: retransmitted segments give no sample).
      if (this._srtt < 0) {
        this._srtt = sample;
        this._rttvar = sample / 2;
      } else {
        this._rttvar = 0.75 * this._rttvar + 0.25 * Math.abs(this._srtt - sample);
        this._srtt = 0.875 * this._srtt + 0.125 * sample;
      }
    }
    if (this._srtt >= 0) this._rto = Math.min(c.maxRtoMs, Math.max(c.minRtoMs, this._srtt + 4 * this._rttvar));
    if (this._rtoTimer) {
      this.owner.core.clock.clearTimeout(this._rtoTimer);
      this._rtoTimer = null;
    }
    // After a timeout, refill the next hole at once (slow-start style) instead of waiting for another RTO.
    if (fl.length && fl[0].lastTx < this._recoverAt) this._retransmit(fl[0]);
    else if (fl.length) this._armRto();
    this._pump();
    this._maybeClosed();
  }

  private _maybeClosed(): void {
    if (this.state !== ST_CLOSED && this._finAcked && this._peerFin) this._finish('closed');
  }

  /** The end: timers off, forgotten by the stack, `onClose` unless `reason` is null (local destroy). */
  private _finish(reason: TcpCloseReason | null): void {
    if (this.state === ST_CLOSED) return;
    var passivePending = this.state === ST_SYN_RCVD;
    this.state = ST_CLOSED;
    var clock = this.owner.core.clock;
    if (this._rtoTimer) clock.clearTimeout(this._rtoTimer);
    if (this._ackTimer) clock.clearTimeout(this._ackTimer);
    this._rtoTimer = this._ackTimer = null;
    this._q = [];
    this._flight = [];
    this._flightBytes = 0;
    this._ooo = {};
    this.owner.tcpRemove(this);
    this.owner.core.log.add('tcp', this.owner.label() + ' ' + this.describe() + ' ' + (reason || 'abort'));
    // A passive handshake that never completed has no user to tell.
    if (reason && !passivePending) this.h.onClose(reason);
  }
}
