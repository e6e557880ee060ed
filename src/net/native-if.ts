import { TlsSockets, hasTls } from './tls-sockets';
import { Clock } from '../../hal/clock';
import { Log } from '../../hal/log';
import { NativeSockets } from '../../hal/sockets';
import { IfBase } from './if-base';
import { IfInfo, NetInterface, TcpOptions, TcpSocket, UdpOptions, UdpSocket } from './interface';
import { IfKind, IF_OFF, IF_FAILED, IF_POWERING_ON, IF_ON, IF_CONNECTING, IF_READY, IF_DISCONNECTING, IF_POWERING_OFF,
  E_OK, E_NETDOWN, E_DNS } from './types';
import { isIpv4 } from './ip';
import { NativeTcpSocket, NativeUdpSocket } from './native-sockets';

export interface NativeIfOptions {
  sockets: NativeSockets;
  clock: Clock;
  log?: Log;
  /** Default "eth0". */
  id?: string;
  /** Default "ethernet". */
  kind?: IfKind;
  /** Addressing to report (the native stack owns it); unknown fields stay 0.0.0.0. */
  info?: { ip?: string; netmask?: string; gateway?: string; dns?: string; mac?: string };
  /** Most sockets open at once; default 8. */
  maxSockets?: number;
}

/**
 * A NetInterface over the runtime's own stack (Node's net/dgram on a PC, Espruino's net/dgram on a Linux
 * board). It cannot see the link, so it is ready as soon as it is connected, and stays ready until told
 * otherwise. Going down closes every open socket with E_NETDOWN.
 */
export class NativeIf extends IfBase implements NetInterface {
  _ns: NativeSockets;
  _ck: Clock;
  _max: number;
  _socks: Array<NativeTcpSocket | NativeUdpSocket> = [];
  _onGone: (s: NativeTcpSocket | NativeUdpSocket) => void;

  constructor(o: NativeIfOptions) {
    super(o.id || 'eth0', o.kind || 'ethernet', o.log);
    var self = this;
    this._ns = o.sockets;
    this._ck = o.clock;
    this._max = o.maxSockets || 8;
    var i = o.info || {};
    var inf: IfInfo = this._info;
    if (i.ip) inf.ip = i.ip;
    if (i.netmask) inf.netmask = i.netmask;
    if (i.gateway) inf.gateway = i.gateway;
    if (i.dns) inf.dns = i.dns;
    if (i.mac) inf.mac = i.mac;
    this._onGone = function (s) {
      var k = self._socks.indexOf(s);
      if (k >= 0) self._socks.splice(k, 1);
    };
  }

  configured(): boolean {
    return true;
  }

  on(): void {
    if (this._st !== IF_OFF && this._st !== IF_FAILED) return;
    this._set(IF_POWERING_ON);
    this._set(IF_ON);
  }

  off(): void {
    if (this._st === IF_OFF) return;
    this._set(IF_POWERING_OFF);
    this._kill();
    this._set(IF_OFF);
  }

  connect(): void {
    var self = this;
    this.on();
    if (this._st !== IF_ON) return;
    this._set(IF_CONNECTING);
    this._ck.setTimeout(function () {
      if (self._st === IF_CONNECTING) self._set(IF_READY);
    }, 0);
  }

  disconnect(): void {
    if (this._st !== IF_READY && this._st !== IF_CONNECTING) return;
    this._set(IF_DISCONNECTING);
    this._kill();
    this._set(IF_ON);
  }

  /** TLS when the runtime's stack has a TLS connect (Espruino's `tls` module). */
  canTls(): boolean {
    return hasTls(this._ns);
  }

  tcp(opts: TcpOptions): TcpSocket | null {
    if (this._st !== IF_READY || this._socks.length >= this._max) return null;
    // A TLS request is never downgraded to plain text: without a TLS connect there is no socket.
    if (opts.tls && !hasTls(this._ns)) return null;
    var ns = opts.tls ? new TlsSockets(this._ns) : this._ns;
    var s = new NativeTcpSocket(ns, opts, this._ck, this._cnt, this._onGone);
    this._socks.push(s);
    return s;
  }

  udp(opts: UdpOptions): UdpSocket | null {
    if (this._st !== IF_READY || this._socks.length >= this._max) return null;
    var s = new NativeUdpSocket(this._ns, opts, this._cnt, this._onGone);
    this._socks.push(s);
    return s;
  }

  /** A dotted quad, or a name without `NativeSockets.resolve`, comes back as is: the stack resolves at connect. */
  resolve(host: string, cb: (err: number, ip: string) => void): void {
    var ns = this._ns;
    var ready = this._st === IF_READY;
    if (ready && !isIpv4(host) && ns.resolve) {
      ns.resolve(host, function (ip) {
        cb(ip ? E_OK : E_DNS, ip || '');
      });
      return;
    }
    this._ck.setTimeout(function () {
      cb(ready ? E_OK : E_NETDOWN, ready ? host : '');
    }, 0);
  }

  _kill(): void {
    var s = this._socks;
    this._socks = [];
    for (var i = 0; i < s.length; i++) s[i].kill(E_NETDOWN);
  }
}
