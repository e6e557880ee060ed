import { Clock } from '../clock';
import { NativeSockets, NativeTcp, NativeTcpHandlers, NativeUdp, NativeUdpHandlers, NativeTlsOptions } from '../sockets';
import { SimNic, SimTcpConn, SimTcpHandlers, SimUdpPort, TcpCloseReason } from '../../sim/nic';
import { tlsConnect, TlsSimOptions } from '../../sim/soak/tls-sim';

export interface SimNicSocketsOptions {
  /** The NIC sockets go through now (for Wi-Fi: the radio's current association), or null. */
  nic: () => SimNic | null;
  clock: Clock;
  /**
   * Bytes a TCP socket holds unsent or unacknowledged before `write` reports the buffer full (the data
   * is still taken, as Espruino's net does); "drain" follows once it is below half. Default 4096.
   */
  sendBufMax?: number;
  /**
   * TLS (`connectTls`, Espruino's `tls` module): false leaves it out, as on a runtime without `tls`;
   * otherwise the simulated TLS of sim/soak/tls-sim.ts with these costs (the ESP32's handshake takes
   * about 1.2 s of computation). Default: on.
   */
  tls?: false | Partial<TlsSimOptions>;
}

/** How often a full socket checks whether its buffer drained, ms of virtual time. */
const DRAIN_POLL_MS = 10;

/** Error texts as Espruino's net/dgram would give them; the net/ adapter maps them to E_* codes. */
const ERR_NETDOWN = 'network down';
const ERR_DNS = 'Unable to locate host';

function isDottedQuad(s: string): boolean {
  var p = s.split('.');
  if (p.length !== 4) return false;
  for (var i = 0; i < 4; i++) if (!/^[0-9]+$/.test(p[i]) || +p[i] > 255) return false;
  return true;
}

function closeText(r: TcpCloseReason): string | null {
  if (r === 'closed') return null;
  if (r === 'refused') return 'connection refused';
  if (r === 'reset') return 'connection reset';
  if (r === 'timeout') return 'connection timeout';
  return 'host unreachable';
}

class SimNativeTcp implements NativeTcp {
  _h: NativeTcpHandlers;
  _conn: SimTcpConn | null = null;
  _pending: Buffer[] = [];
  _pendN = 0;
  _ending = false;
  _closed = false;
  _clock: Clock;
  _max: number;
  _dt: any = null;
  /** TLS: the server name to present and (with `_verify`) to check, and the handshake costs; null = plain TCP. */
  _tlsHost: string | null = null;
  _verify = false;
  _tlsOpts: Partial<TlsSimOptions> | undefined;

  constructor(h: NativeTcpHandlers, clock: Clock, max: number) {
    this._h = h;
    this._clock = clock;
    this._max = max;
  }

  /** Opens the transport: plain TCP, or the simulated TLS over it. */
  _dial(nic: SimNic, ip: string, port: number, hd: SimTcpHandlers): SimTcpConn {
    if (this._tlsHost === null) return nic.tcpConnect(ip, port, 0, hd);
    var inner: SimTcpConn | null = null;
    var clock = this._clock;
    var c: any = tlsConnect(function (h2: SimTcpHandlers) {
      inner = nic.tcpConnect(ip, port, 0, h2);
      return inner;
    }, this._tlsHost, this._verify, hd, function (fn, ms) {
      clock.setTimeout(fn, ms);
    }, this._tlsOpts);
    c.pendingBytes = function () {
      var i: any = inner;
      return i && typeof i.pendingBytes === 'function' ? i.pendingBytes() : 0;
    };
    return c;
  }

  /** Bytes not yet acknowledged by the peer (queued before the connect included). */
  _held(): number {
    var c: any = this._conn;
    return this._pendN + (c && typeof c.pendingBytes === 'function' ? c.pendingBytes() : 0);
  }

  /** Full: poll until the buffer is below half, then "drain". */
  _watchDrain(): void {
    if (this._dt !== null) return;
    var self = this;
    this._dt = this._clock.setInterval(function () {
      if (self._closed) return self._stopDrain();
      if (self._held() > self._max / 2) return;
      self._stopDrain();
      self._h.onDrain();
    }, DRAIN_POLL_MS);
  }

  _stopDrain(): void {
    if (this._dt === null) return;
    this._clock.clearInterval(this._dt);
    this._dt = null;
  }

  _open(nic: SimNic, ip: string, port: number): void {
    if (this._closed) return;
    var self = this;
    this._conn = this._dial(nic, ip, port, {
      onConnect: function () {
        if (self._closed) return;
        var q = self._pending;
        self._pending = [];
        self._pendN = 0;
        for (var i = 0; i < q.length; i++) self._conn!.write(q[i]);
        if (self._ending) self._conn!.end();
        self._h.onConnect();
      },
      onData: function (d: Buffer) {
        if (!self._closed) self._h.onData(d.toString('latin1'));
      },
      onEnd: function () {
        // Espruino closes its side once the peer has closed.
        if (self._conn && !self._ending) {
          self._ending = true;
          self._conn.end();
        }
      },
      onClose: function (r: TcpCloseReason) {
        self._fin(closeText(r));
      },
    });
  }

  _fin(err: string | null): void {
    if (this._closed) return;
    this._closed = true;
    this._stopDrain();
    this._conn = null;
    this._h.onClose(err);
  }

  write(data: string): boolean {
    if (this._closed || this._ending) return false;
    var b = Buffer.from(data, 'latin1');
    if (this._conn) this._conn.write(b);
    else {
      this._pending.push(b);
      this._pendN += b.length;
    }
    if (this._held() < this._max) return true;
    this._watchDrain();
    return false;
  }

  end(): void {
    if (this._closed || this._ending) return;
    this._ending = true;
    if (this._conn) this._conn.end();
  }
}

class SimNativeUdp implements NativeUdp {
  _nic: SimNic;
  _port: SimUdpPort;
  _h: NativeUdpHandlers;
  _closed = false;

  constructor(nic: SimNic, localPort: number, h: NativeUdpHandlers) {
    this._nic = nic;
    this._h = h;
    var self = this;
    this._port = nic.udpOpen(localPort, function (src: string, sport: number, data: Buffer) {
      if (!self._closed) self._h.onMessage(data.toString('latin1'), src, sport);
    });
  }

  send(data: string, address: string, port: number): void {
    if (this._closed) return;
    var b = Buffer.from(data, 'latin1');
    if (isDottedQuad(address)) {
      this._port.send(address, port, b);
      return;
    }
    var self = this;
    this._nic.resolve(address, function (ip) {
      if (self._closed) return;
      if (ip) self._port.send(ip, port, b);
      else self._h.onError(ERR_DNS);
    });
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._port.close();
  }
}

/**
 * NativeSockets over a simulated NIC: the host's stand-in for Espruino's `net`/`dgram` on the ESP32
 * Wi-Fi. Host names are resolved by the NIC's own resolver (a DNS query across the Wi-Fi link), as the
 * ESP32's lwIP would. Without a NIC (not associated) sockets fail with "network down".
 */
export class SimNicSockets implements NativeSockets {
  _nic: () => SimNic | null;
  _clock: Clock;
  _max: number;
  /** Simulated TLS settings; undefined when this runtime has no TLS. */
  _tls: Partial<TlsSimOptions> | undefined;
  connectTls?: (host: string, port: number, h: NativeTcpHandlers, tls?: NativeTlsOptions) => NativeTcp;

  constructor(opts: SimNicSocketsOptions) {
    this._nic = opts.nic;
    this._clock = opts.clock;
    this._max = opts.sendBufMax || 4096;
    if (opts.tls !== false) {
      this._tls = opts.tls || {};
      this.connectTls = this._connectTls;
    }
  }

  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp {
    return this._connect(host, port, h, null, false);
  }

  /**
   * A TLS connection (simulated, see sim/soak/tls-sim.ts): the handshake presents `host` as the server
   * name; with a CA configured the server's certificate must carry that name.
   */
  _connectTls(host: string, port: number, h: NativeTcpHandlers, tls?: NativeTlsOptions): NativeTcp {
    return this._connect(host, port, h, host, !!(tls && tls.ca));
  }

  _connect(host: string, port: number, h: NativeTcpHandlers, tlsHost: string | null, verify: boolean): NativeTcp {
    var t = new SimNativeTcp(h, this._clock, this._max);
    t._tlsHost = tlsHost;
    t._verify = verify;
    t._tlsOpts = this._tls;
    var nic = this._nic();
    if (!nic || !nic.address()) {
      this._clock.setTimeout(function () {
        t._fin(ERR_NETDOWN);
      }, 0);
      return t;
    }
    if (isDottedQuad(host)) {
      t._open(nic, host, port);
    } else {
      nic.resolve(host, function (ip) {
        if (ip) t._open(nic!, ip, port);
        else t._fin(ERR_DNS);
      });
    }
    return t;
  }

  /** Resolves through the NIC's resolver (a DNS query across the Wi-Fi link); `cb(null)` when not associated. */
  resolve(host: string, cb: (ip: string | null) => void): void {
    var nic = this._nic();
    if (isDottedQuad(host)) {
      this._clock.setTimeout(function () {
        cb(host);
      }, 0);
    } else if (!nic || !nic.address()) {
      this._clock.setTimeout(function () {
        cb(null);
      }, 0);
    } else {
      nic.resolve(host, cb);
    }
  }

  udp(port: number, h: NativeUdpHandlers): NativeUdp {
    var nic = this._nic();
    if (!nic || !nic.address()) {
      this._clock.setTimeout(function () {
        h.onError(ERR_NETDOWN);
      }, 0);
      return { send: function () {}, close: function () {} };
    }
    return new SimNativeUdp(nic, port, h);
  }
}
