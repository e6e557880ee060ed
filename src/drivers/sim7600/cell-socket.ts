import { TcpSocket, UdpSocket, TcpOptions, UdpOptions } from '../../net/interface';
import { E_OK } from '../../net/types';

/** Socket states. */
export const SK_OPENING = 0;
export const SK_OPEN = 1;
export const SK_CLOSING = 2;
export const SK_CLOSED = 3;

/** Operation in flight on the socket's link (one at a time). */
export const OP_NONE = 0;
export const OP_OPEN = 1;
export const OP_READ = 2;
export const OP_SEND = 3;
export const OP_CLOSE = 4;
export const OP_DNS = 5;

/** Most UDP datagrams queued per socket. */
export const UDP_QUEUE = 4;

/** Peer-close marker: none yet. */
export const PC_NONE = -2;

/** What a socket asks of the interface that owns it. */
export interface CellSocketHost {
  /** Something changed on `s`: run its next operation. */
  _kick(s: CellSocket): void;
}

/**
 * One modem link (0–9) seen as a net/ TcpSocket or UdpSocket. It holds only the socket's state and
 * buffers; the interface runs its operations (AT+CIPOPEN/CIPSEND/CIPRXGET/CIPCLOSE), one at a time.
 */
export class CellSocket implements TcpSocket, UdpSocket {
  /** Link number. */
  l: number;
  /** UDP (true) or TCP. */
  u: boolean;
  /** TLS: an SSL session of the modem (AT+CCH…) rather than a CIP link. */
  t = false;
  /** SK_* state. */
  st = SK_OPENING;
  /** OP_* in flight. */
  op = OP_NONE;
  /** TCP bytes waiting to be sent. */
  tx = '';
  /** UDP datagrams waiting: [data, host, port] flattened in threes. */
  dq: any[] = [];
  /** Data waiting in the modem (a +CIPRXGET: 1 or a non-zero rest). */
  rxp = false;
  /** Peer-close reason from +IPCLOSE (PC_NONE until then). */
  pc = PC_NONE;
  /** onWritable owed. */
  ww = false;
  /** CIPSEND retries of the current chunk. */
  rt = 0;
  /** UDP local port. */
  lp = 0;
  /** Error to report when the link close completes. */
  er = E_OK;
  _h: CellSocketHost;
  _o: TcpOptions & UdpOptions;
  _max: number;

  constructor(h: CellSocketHost, l: number, udp: boolean, o: TcpOptions | UdpOptions, maxTx: number) {
    this._h = h;
    this.l = l;
    this.u = udp;
    this._o = o as TcpOptions & UdpOptions;
    this._max = maxTx;
  }

  /** TCP: queues bytes; false (nothing taken) when not connected or the buffer is full. */
  write(data: string): boolean {
    if (this.st !== SK_OPEN || this.u) return false;
    if (this.tx.length + data.length > this._max) {
      this.ww = true;
      return false;
    }
    if (!data.length) return true;
    this.tx += data;
    this._h._kick(this);
    return true;
  }

  /** UDP: queues one datagram (≤ 1500 bytes); false when too big, the queue is full, or closed. */
  send(data: string, host: string, port: number): boolean {
    if (!this.u || this.st === SK_CLOSING || this.st === SK_CLOSED) return false;
    if (data.length > 1500 || !(port > 0 && port < 65536) || this.dq.length >= UDP_QUEUE * 3) return false;
    this.dq.push(data, host, port);
    this._h._kick(this);
    return true;
  }

  /** Graceful close: queued TCP data is sent first; `onClose(E_OK)` follows. Safe to call twice. */
  close(): void {
    if (this.st === SK_CLOSING || this.st === SK_CLOSED) return;
    this.st = SK_CLOSING;
    if (this.u) this.dq = [];
    this._h._kick(this);
  }

  /** Connected (TCP) or bound (UDP). */
  _opened(): void {
    if (this.st !== SK_OPENING) return;
    this.st = SK_OPEN;
    if (this._o.onConnect) this._o.onConnect();
  }

  /** Delivers received bytes. */
  _data(d: string, ip?: string, port?: number): void {
    if (this.st === SK_CLOSED || !d.length) return;
    if (this.u) {
      if (this._o.onMessage) this._o.onMessage(d, ip || '', port || 0);
    } else if (this._o.onData) this._o.onData(d);
  }

  /** Sent bytes accepted; tells a waiting writer there is room again. */
  _room(): void {
    if (this.ww && this.st === SK_OPEN && this.tx.length < this._max) {
      this.ww = false;
      if (this._o.onWritable) this._o.onWritable();
    }
  }

  /** Finishes the socket (once): buffers dropped, `onClose(err)`. */
  _end(err: number): void {
    if (this.st === SK_CLOSED) return;
    this.st = SK_CLOSED;
    this.tx = '';
    this.dq = [];
    this.rxp = false;
    if (this._o.onClose) this._o.onClose(err);
  }
}
