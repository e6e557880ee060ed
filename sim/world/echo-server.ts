import { NetCore } from './core';
import { Host } from './host';
import { SimUdpPort } from '../nic';

export interface EchoServerOptions {
  port: number;
  /** Drops everything (no echo service). */
  silent: boolean;
  /** Processing delay before each echo. */
  delayMs: number;
}

/** RFC 862 UDP echo: every datagram goes back to its sender unchanged. */
export class EchoServer {
  readonly host: Host;
  private _core: NetCore;
  private _o: EchoServerOptions;
  private _port: SimUdpPort | null = null;
  /** Datagrams echoed so far. */
  echoed = 0;

  constructor(core: NetCore, host: Host, opts?: Partial<EchoServerOptions>) {
    this._core = core;
    this.host = host;
    this._o = { port: 7, silent: false, delayMs: 0 };
    this.set(opts || {});
  }

  /** Current settings (a copy). */
  options(): EchoServerOptions {
    return Object.assign({}, this._o);
  }

  get port(): number {
    return this._o.port;
  }

  /** Changes settings (a new port re-binds). */
  set(opts: Partial<EchoServerOptions>): void {
    if (opts.silent !== undefined && opts.silent !== this._o.silent) {
      this._o.silent = opts.silent;
      if (this._port) this._core.log.add('echo', 'silent=' + opts.silent);
    }
    if (opts.delayMs !== undefined) this._o.delayMs = opts.delayMs;
    var rebind = !this._port || (opts.port !== undefined && opts.port !== this._o.port);
    if (opts.port !== undefined) this._o.port = opts.port;
    if (rebind) {
      if (this._port) this._port.close();
      var self = this;
      var port = (this._port = this.host.udpOpen(this._o.port, function (src, sport, data) {
        if (self._o.silent) return;
        self.echoed++;
        if (self._o.delayMs > 0) {
          self._core.clock.setTimeout(function () {
            port.send(src, sport, data);
          }, self._o.delayMs);
        } else {
          port.send(src, sport, data);
        }
      }));
    }
  }
}
