import { NativeSockets, NativeTcp, NativeTcpHandlers, NativeUdp, NativeUdpHandlers, NativeTlsOptions } from '../sockets';

/** Espruino's `tls` module: `connect` takes the `net` options plus ca / key / cert (PEM or Storage file names). */
interface EspruinoTlsModule {
  connect(options: { host: string; port: number; ca?: string; key?: string; cert?: string }, callback?: () => void): EspruinoNetSocket;
}

/** Bytes written since the last "drain" before `write` reports the buffer full (Espruino keeps the data). */
export const SEND_BUF_MAX = 2048;

/** An error event's details as text ("connection refused", or "error -2"). */
function errorText(e: any): string {
  if (e && e.message) return String(e.message);
  if (e && e.code !== undefined) return 'error ' + e.code;
  return String(e);
}

/**
 * A TCP connection over Espruino's `net` (or a TLS one over its `tls`: same socket, same events). Espruino
 * reports a failure as an "error" event followed by "close" (or, on some builds, throws from `connect`);
 * `onClose` is called once, with the error's message when there was one.
 * Espruino's own `socket.write` always returns false, so `write` here counts what the runtime holds: true
 * until SEND_BUF_MAX bytes were written since its last "drain" (the runtime emptied its buffer), then false
 * (the data is still taken) so the caller waits for `onDrain`. That bounds what Espruino queues for us.
 */
export class EspruinoTcp implements NativeTcp {
  _s: EspruinoNetSocket | null = null;
  _h: NativeTcpHandlers;
  _err: string | null = null;
  _closed = false;
  _held = 0;

  /** `mod` is `net` (or `tls`), `o` its connect options. */
  constructor(mod: EspruinoNetModule | EspruinoTlsModule, o: { host: string; port: number }, h: NativeTcpHandlers) {
    var self = this;
    this._h = h;
    var s: EspruinoNetSocket;
    try {
      s = mod.connect(o, function () {
        if (!self._closed) h.onConnect();
      });
    } catch (e) {
      // Some builds (Linux) fail a refused connect at once, by throwing: report it as a close, later.
      this._err = errorText(e);
      setTimeout(function () { self._close(); }, 0);
      return;
    }
    this._s = s;
    s.on('data', function (d: string) {
      if (!self._closed) h.onData(d);
    });
    s.on('drain', function () {
      self._held = 0;
      if (!self._closed) h.onDrain();
    });
    s.on('error', function (e: any) {
      if (self._err === null) self._err = errorText(e);
    });
    s.on('close', function () {
      self._close();
    });
  }

  write(data: string): boolean {
    if (this._closed || !this._s) return true;
    this._s.write(data);
    this._held += data.length;
    return this._held < SEND_BUF_MAX;
  }

  end(): void {
    if (!this._closed && this._s) this._s.end();
  }

  _close(): void {
    if (this._closed) return;
    this._closed = true;
    this._h.onClose(this._err);
  }
}

/**
 * A UDP socket over Espruino's `dgram`. A socket for a local port is bound to it; with port 0 it stays
 * unbound and receives the replies to what it sent. The send callback is never used: Espruino never
 * calls it.
 */
export class EspruinoUdp implements NativeUdp {
  _s: EspruinoDgramSocket;
  _closed = false;

  constructor(dgram: EspruinoDgramModule, port: number, h: NativeUdpHandlers) {
    var self = this;
    this._s = dgram.createSocket('udp4');
    this._s.on('message', function (msg: string, rinfo: any) {
      if (!self._closed) h.onMessage(msg, rinfo ? rinfo.address : '', rinfo ? rinfo.port : 0);
    });
    this._s.on('error', function (e: any) {
      if (!self._closed) h.onError(errorText(e));
    });
    if (port) this._s.bind(port);
  }

  send(data: string, address: string, port: number): void {
    if (!this._closed) this._s.send(data, 0, data.length, port, address);
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._s.close();
  }
}

/** Native sockets through Espruino's `net`, `tls` and `dgram` (the runtime's one active network). */
export class EspruinoSockets implements NativeSockets {
  _net: EspruinoNetModule | undefined;
  _tls: EspruinoTlsModule | undefined;
  _dgram: EspruinoDgramModule | undefined;

  /** `net` / `tls` / `dgram` replace `require("net")` … (tests); loaded on first use otherwise. */
  constructor(o?: { net?: EspruinoNetModule; tls?: EspruinoTlsModule; dgram?: EspruinoDgramModule }) {
    this._net = o && o.net;
    this._tls = o && o.tls;
    this._dgram = o && o.dgram;
  }

  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp {
    if (!this._net) this._net = require('net');
    return new EspruinoTcp(this._net!, { host: host, port: port }, h);
  }

  /**
   * TLS through Espruino's `tls` module (ESP32 builds have it; mbedTLS needs about 40 KB of heap during the
   * handshake). A runtime without it throws from `require`: that becomes a close with the error.
   */
  connectTls(host: string, port: number, h: NativeTcpHandlers, t?: NativeTlsOptions): NativeTcp {
    if (!this._tls) {
      try {
        this._tls = require('tls');
      } catch (e) {
        this._tls = { connect: function () { throw new Error('no tls module'); } };
      }
    }
    var o: any = { host: host, port: port };
    if (t && t.ca) o.ca = t.ca;
    if (t && t.cert) o.cert = t.cert;
    if (t && t.key) o.key = t.key;
    return new EspruinoTcp(this._tls!, o, h);
  }

  udp(port: number, h: NativeUdpHandlers): NativeUdp {
    if (!this._dgram) this._dgram = require('dgram');
    return new EspruinoUdp(this._dgram, port, h);
  }
}
