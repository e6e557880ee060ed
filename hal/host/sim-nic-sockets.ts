import { Clock } from '../clock';
import { NativeSockets, NativeTcp, NativeTcpHandlers, NativeUdp, NativeUdpHandlers } from '../sockets';
import { SimNic, SimTcpConn, SimUdpPort, TcpCloseReason } from '../../sim/nic';

export interface SimNicSocketsOptions {
  /** The NIC sockets go through now (for Wi-Fi: the radio's current association), or null. */
  nic: () => SimNic | null;
  clock: Clock;
}

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
  _ending = false;
  _closed = false;

  constructor(h: NativeTcpHandlers) {
    this._h = h;
  }

  _open(nic: SimNic, ip: string, port: number): void {
    if (this._closed) return;
    var self = this;
    this._conn = nic.tcpConnect(ip, port, 0, {
      onConnect: function () {
        if (self._closed) return;
        var q = self._pending;
        self._pending = [];
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
    this._conn = null;
    this._h.onClose(err);
  }

  write(data: string): boolean {
    if (this._closed || this._ending) return false;
    var b = Buffer.from(data, 'latin1');
    if (this._conn) this._conn.write(b);
    else this._pending.push(b);
    return true;
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

  constructor(opts: SimNicSocketsOptions) {
    this._nic = opts.nic;
    this._clock = opts.clock;
  }

  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp {
    var t = new SimNativeTcp(h);
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
