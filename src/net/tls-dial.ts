import { NetInterface, TcpOptions, TcpSocket } from './interface';

/**
 * What the MQTT client dials through when the cloud must be reached over TLS: every `tcp` call becomes a
 * TLS connection to the broker's TLS port, by name (the name is the TLS server name the certificate is
 * checked against), and is refused (null) on an interface without TLS. Nothing ever goes out in plain text.
 *
 *   client.connect(new TlsDial(iface, 'cloud.example.com', 8883), 'cloud.example.com', 8883)
 */
export class TlsDial {
  _i: NetInterface;
  _h: string;
  _p: number;

  constructor(iface: NetInterface, serverName: string, tlsPort: number) {
    this._i = iface;
    this._h = serverName;
    this._p = tlsPort;
  }

  tcp(o: TcpOptions): TcpSocket | null {
    if (!canTls(this._i)) return null;
    return this._i.tcp({
      host: this._h, port: this._p, tls: true, timeoutMs: o.timeoutMs,
      onConnect: o.onConnect, onData: o.onData, onClose: o.onClose, onWritable: o.onWritable,
    });
  }
}

/** True when `iface` can open TLS sockets. */
export function canTls(iface: NetInterface | null | undefined): boolean {
  return !!iface && typeof iface.canTls === 'function' && iface.canTls();
}
