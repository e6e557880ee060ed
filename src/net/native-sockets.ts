import { Clock, TimerId } from '../../hal/clock';
import { NativeSockets, NativeTcp, NativeUdp } from '../../hal/sockets';
import { TcpOptions, TcpSocket, UdpOptions, UdpSocket, IfCounters } from './interface';
import { E_OK, E_REFUSED, E_TIMEOUT, E_RESET, E_NETDOWN, E_DNS, E_DEVICE, E_INVALID } from './types';

/** Largest UDP payload sent: Ethernet MTU 1500 − IPv4 20 − UDP 8. */
var UDP_MAX = 1472;

/** Socket states. */
var S_OPENING = 0;
var S_OPEN = 1;
var S_FULL = 2;
var S_DONE = 3;

/**
 * Maps a runtime's socket error message (Node: "connect ECONNREFUSED …", Espruino: "connection refused",
 * "no route" …) to an E_* code; null or empty → E_OK.
 */
export function nativeError(msg: string | null): number {
  if (!msg) return E_OK;
  var m = ('' + msg).toLowerCase();
  if (m.indexOf('refused') >= 0) return E_REFUSED;
  if (m.indexOf('time') >= 0) return E_TIMEOUT;
  if (m.indexOf('unreach') >= 0 || m.indexOf('route') >= 0 || m.indexOf('netdown') >= 0 || m.indexOf('network') >= 0) return E_NETDOWN;
  if (m.indexOf('notfound') >= 0 || m.indexOf('not found') >= 0 || m.indexOf('eai_') >= 0 || m.indexOf('host') >= 0) return E_DNS;
  return E_RESET;
}

/**
 * A net/ TcpSocket over a runtime's native TCP socket (hal/sockets.ts). The runtime queues what it is
 * given; once it reports its buffer full, `write` refuses until the drain (`onWritable`). Bytes are
 * counted in `cnt`. `onGone` tells the owning interface the socket is finished.
 */
export class NativeTcpSocket implements TcpSocket {
  _o: TcpOptions;
  _ck: Clock;
  _cnt: IfCounters;
  _n: NativeTcp | null = null;
  _st = S_OPENING;
  _t: TimerId;
  _gone: ((s: NativeTcpSocket) => void) | undefined;

  constructor(ns: NativeSockets, o: TcpOptions, clock: Clock, cnt: IfCounters, onGone?: (s: NativeTcpSocket) => void) {
    var self = this;
    this._o = o;
    this._ck = clock;
    this._cnt = cnt;
    this._gone = onGone;
    this._t = clock.setTimeout(function () {
      self._close(E_TIMEOUT, false, false);
    }, o.timeoutMs || 15000);
    try {
      this._n = ns.connect(o.host, o.port, {
        onConnect: function () {
          if (self._st !== S_OPENING) return;
          self._st = S_OPEN;
          clock.clearTimeout(self._t);
          if (o.onConnect) o.onConnect();
        },
        onData: function (d) {
          if (self._st !== S_OPEN && self._st !== S_FULL) return;
          cnt.rx += d.length;
          if (o.onData) o.onData(d);
        },
        onClose: function (e) {
          var c = nativeError(e);
          self._close(c || self._st !== S_OPENING ? c : E_REFUSED, true, false);
        },
        onDrain: function () {
          if (self._st !== S_FULL) return;
          self._st = S_OPEN;
          if (o.onWritable) o.onWritable();
        },
      });
    } catch (x) {
      this._close(E_INVALID, true, true);
    }
  }

  write(data: string): boolean {
    if (this._st !== S_OPEN) return false;
    this._cnt.tx += data.length;
    if (!this._n!.write(data)) this._st = S_FULL;
    return true;
  }

  close(): void {
    this._close(E_OK, false, true);
  }

  /** Ends the socket from the interface's side (interface down): `onClose(err)` follows. */
  kill(err: number): void {
    this._close(err, false, true);
  }

  /** The one way out: `gone` when the native socket already closed, `defer` to call onClose later. */
  _close(err: number, gone: boolean, defer: boolean): void {
    var o = this._o;
    if (this._st === S_DONE) return;
    this._st = S_DONE;
    this._ck.clearTimeout(this._t);
    var n = this._n;
    this._n = null;
    if (n && !gone) n.end();
    if (this._gone) this._gone(this);
    if (!o.onClose) return;
    if (!defer) return o.onClose(err);
    this._ck.setTimeout(function () {
      o.onClose!(err);
    }, 0);
  }
}

/** A net/ UdpSocket over a runtime's native UDP socket. A native error ends it (`onClose(E_DEVICE)`). */
export class NativeUdpSocket implements UdpSocket {
  _o: UdpOptions;
  _cnt: IfCounters;
  _n: NativeUdp | null = null;
  _gone: ((s: NativeUdpSocket) => void) | undefined;

  constructor(ns: NativeSockets, o: UdpOptions, cnt: IfCounters, onGone?: (s: NativeUdpSocket) => void) {
    var self = this;
    this._o = o;
    this._cnt = cnt;
    this._gone = onGone;
    this._n = ns.udp(o.port || 0, {
      onMessage: function (d, host, port) {
        if (!self._n) return;
        cnt.rx += d.length;
        if (o.onMessage) o.onMessage(d, host, port);
      },
      onError: function () {
        self.kill(E_DEVICE);
      },
    });
  }

  send(data: string, host: string, port: number): boolean {
    if (!this._n || data.length > UDP_MAX || !(port > 0 && port < 65536)) return false;
    try {
      this._n.send(data, host, port);
    } catch (x) {
      return false;
    }
    this._cnt.tx += data.length;
    return true;
  }

  close(): void {
    var n = this._n;
    if (!n) return;
    this._n = null;
    n.close();
    if (this._gone) this._gone(this);
  }

  /** Ends the socket from the interface's side: `onClose(err)` follows. */
  kill(err: number): void {
    if (!this._n) return;
    this.close();
    if (this._o.onClose) this._o.onClose(err);
  }
}

export interface NativeNetOptions {
  sockets: NativeSockets;
  clock: Clock;
  /** Where bytes are counted; a fresh pair (readable as `cnt`) when omitted. */
  counters?: IfCounters;
}

/**
 * A socket factory over NativeSockets for interfaces built on the runtime's own stack (the ESP32 Wi-Fi
 * driver, NativeIf): net/ sockets in, native sockets out, bytes counted in `cnt`.
 */
export class NativeNet {
  _ns: NativeSockets;
  _ck: Clock;
  cnt: IfCounters;

  constructor(o: NativeNetOptions) {
    this._ns = o.sockets;
    this._ck = o.clock;
    this.cnt = o.counters || { tx: 0, rx: 0 };
  }

  /** A TCP socket (connecting); never null, a failure to open arrives as `onClose`. */
  tcp(opts: TcpOptions): TcpSocket | null {
    return new NativeTcpSocket(this._ns, opts, this._ck, this.cnt);
  }

  udp(opts: UdpOptions): UdpSocket | null {
    return new NativeUdpSocket(this._ns, opts, this.cnt);
  }
}
