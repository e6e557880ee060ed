import { NativeSockets, NativeTcp, NativeTcpHandlers, NativeUdp, NativeUdpHandlers, NativeTlsOptions } from '../../hal/sockets';

/**
 * NativeSockets whose `connect` is the runtime's TLS connect (`connectTls`, e.g. Espruino's
 * `require("tls").connect`): what a driver built on native sockets (the ESP32 Wi-Fi) hands to its socket
 * class for `tcp({tls: true})`, so that one socket class serves both. UDP and name lookups go to the
 * plain stack. Build it only when `ns.connectTls` exists.
 */
export class TlsSockets implements NativeSockets {
  _ns: NativeSockets;
  _t: NativeTlsOptions | undefined;

  /** `tls`: CA / client certificate settings passed to every TLS connect. */
  constructor(ns: NativeSockets, tls?: NativeTlsOptions) {
    if (!ns || typeof ns.connectTls !== 'function') throw new TypeError('TlsSockets: the sockets have no connectTls');
    this._ns = ns;
    this._t = tls;
  }

  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp {
    return this._ns.connectTls!(host, port, h, this._t);
  }

  udp(port: number, h: NativeUdpHandlers): NativeUdp {
    return this._ns.udp(port, h);
  }
}

/** True when `ns` can open TLS connections. */
export function hasTls(ns: NativeSockets | null | undefined): boolean {
  return !!ns && typeof ns.connectTls === 'function';
}
