import { Duplex } from 'stream';
import { SimNic, SimTcpConn, SimTcpHandlers, TcpCloseReason } from '../nic';

/** Node error codes for the ways a modelled connection can end badly. */
const ERR_CODES: { [r: string]: string } = {
  reset: 'ECONNRESET',
  refused: 'ECONNREFUSED',
  timeout: 'ETIMEDOUT',
  unreachable: 'EHOSTUNREACH',
};

/**
 * A Node Duplex over a modelled TCP connection, so that Node libraries (aedes, mqtt.js) can use the
 * world's virtual TCP: written chunks (or a corked batch) become one write, i.e. one segment up to the
 * MSS. Like a kernel socket, `destroy()` closes gracefully (FIN) and `resetAndDestroy()` sends an RST.
 * `onActivity` is called whenever something a Node stream listens to happens, so that the world's
 * async runner lets the event loop turn.
 */
export class TcpDuplex extends Duplex {
  conn: SimTcpConn | null = null;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  connecting = true;
  private _gone = false;
  private _reset = false;
  private _activity: () => void;

  constructor(onActivity: () => void) {
    super({ allowHalfOpen: true });
    this._activity = onActivity;
  }

  /** Opens a connection across `nic` and returns its stream (it emits 'connect' when established). */
  static connect(nic: SimNic, ip: string, port: number, onActivity: () => void): TcpDuplex {
    var s = new TcpDuplex(onActivity);
    s.remoteAddress = ip;
    s.remotePort = port;
    s.conn = nic.tcpConnect(ip, port, 0, s.handlers());
    return s;
  }

  /** The handlers to give the connection. */
  handlers(): SimTcpHandlers {
    var self = this;
    return {
      onConnect: function () {
        self.connecting = false;
        self._activity();
        self.emit('connect');
      },
      onData: function (d: Buffer) {
        if (self.destroyed) return;
        self._activity();
        self.push(Buffer.from(d));
      },
      onEnd: function () {
        if (self.destroyed) return;
        self._activity();
        self.push(null);
      },
      onClose: function (reason: TcpCloseReason) {
        self._gone = true;
        self._activity();
        if (self.destroyed) return;
        if (reason === 'closed') {
          self.destroy();
          return;
        }
        var e: any = new Error('connection ' + reason);
        e.code = ERR_CODES[reason] || 'ECONNRESET';
        self.destroy(e);
      },
    };
  }

  /** Aborts with an RST (net.Socket#resetAndDestroy). */
  resetAndDestroy(): this {
    this._reset = true;
    this.destroy();
    return this;
  }

  _read(): void {}

  _write(chunk: Buffer, enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.conn && !this._gone) {
      this.conn.write(chunk);
      this._activity();
    }
    cb();
  }

  _writev(chunks: Array<{ chunk: any; encoding: BufferEncoding }>, cb: (err?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map(function (c) {
      return Buffer.isBuffer(c.chunk) ? c.chunk : Buffer.from(c.chunk, c.encoding);
    })), 'binary' as BufferEncoding, cb);
  }

  _final(cb: (err?: Error | null) => void): void {
    if (this.conn && !this._gone) this.conn.end();
    this._activity();
    cb();
  }

  _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.conn && !this._gone) {
      this._gone = true;
      if (this._reset) this.conn.destroy();
      else this.conn.end();
    }
    this._activity();
    cb(err);
  }
}
