import { NetworkClass, FacadeHost, boundOnce } from './network-class';
import { CloudApi, has } from './extensions';
import { Runtime } from './runtime';

/** What Particle needs of its binding: the runtime and the network facades. */
export interface ParticleHost extends FacadeHost {
  readonly Network: NetworkClass;
  readonly Ethernet: NetworkClass;
  readonly WiFi: NetworkClass;
  readonly Cellular: NetworkClass;
}

function isConnected(this: ParticleClass): boolean {
  return this._h.runtime().mgr.connected();
}

function isDisconnected(this: ParticleClass): boolean {
  return !this.connected();
}

function checkName(what: string, name: any): void {
  if (typeof name !== 'string' || !name.length) throw new TypeError('Particle.' + what + ': a non-empty name is required');
}

/**
 * Particle: the cloud connection (connect, disconnect, state, which interface) and the cloud calls
 * (publish, subscribe, function, variable) forwarded to the cloud session.
 */
export class ParticleClass {
  readonly _h: ParticleHost;

  constructor(host: ParticleHost) {
    this._h = host;
  }

  /**
   * Connects to the cloud and keeps it connected. `connect()` / `connect(Network)`: automatic selection;
   * `connect(X)`: over X only, no fallback, until `connect()` again.
   */
  connect(network?: NetworkClass): void {
    var h = this._h;
    if (network !== undefined && !(network instanceof NetworkClass && network._h === h)) {
      throw new TypeError('Particle.connect: Network, Ethernet, WiFi or Cellular expected');
    }
    var forced: string | null = null;
    if (network && network.kind !== null) {
      var i = network.iface();
      // An interface the board lacks: forced to a name nothing carries, so the cloud stays down (no fallback).
      forced = i ? i.id : 'absent:' + network.kind;
    }
    this._h.runtime().mgr.connect(forced);
  }

  /** Closes the cloud session; the system does not reconnect until connect(). */
  disconnect(): void {
    this._h.runtime().mgr.disconnect();
  }

  /** Works unbound too: waitFor(Particle.connected, ...). */
  get connected(): () => boolean {
    return boundOnce(this, 'connected', isConnected);
  }

  /** Works unbound too: waitFor(Particle.disconnected, ...). */
  get disconnected(): () => boolean {
    return boundOnce(this, 'disconnected', isDisconnected);
  }

  /** The NetworkClass carrying the session (Network when none). */
  connectionInterface(): NetworkClass {
    var h = this._h;
    var i = this._h.runtime().mgr.cloudIface();
    if (!i) return h.Network;
    return i.kind === 'ethernet' ? h.Ethernet : i.kind === 'wifi' ? h.WiFi : h.Cellular;
  }

  /** Idle time before a liveness ping, on every interface (also passed to the cloud session). */
  keepAlive(seconds: number): void {
    if (typeof seconds !== 'number' || !(seconds > 0)) throw new TypeError('Particle.keepAlive: seconds must be a number > 0');
    var rt = this._h.runtime();
    rt.mgr.setKeepAlive(seconds * 1000);
    var c = rt.dev.cloud as CloudApi;
    if (has(c, 'keepAlive')) c.keepAlive!(seconds);
  }

  /** Runs the cloud session's pending work (MANUAL mode sketches call it from loop()). */
  process(): void {
    var c = this._h.runtime().dev.cloud as CloudApi;
    if (has(c, 'process')) c.process!();
  }

  _cloud(what: string): CloudApi {
    var c = this._h.runtime().dev.cloud as any;
    if (!has(c, what)) throw new Error('Particle.' + what + ' is not supported by this cloud session');
    return c;
  }

  /** Publishes an event (forwarded; see the cloud session for options and the callback). */
  publish(name: string, data?: any, options?: any, cb?: any): any {
    checkName('publish', name);
    return this._cloud('publish').publish!(name, data, options, cb);
  }

  subscribe(prefix: string, handler: any, options?: any): any {
    checkName('subscribe', prefix);
    if (typeof handler !== 'function') throw new TypeError('Particle.subscribe: a handler function is required');
    return this._cloud('subscribe').subscribe!(prefix, handler, options);
  }

  unsubscribe(): any {
    return this._cloud('unsubscribe').unsubscribe!();
  }

  function(name: string, fn: any): any {
    checkName('function', name);
    if (typeof fn !== 'function') throw new TypeError('Particle.function: a function is required');
    return this._cloud('function').function!(name, fn);
  }

  variable(name: string, getter: any, type?: any): any {
    checkName('variable', name);
    return this._cloud('variable').variable!(name, getter, type);
  }

  /** The device id the cloud session uses ('' when it has none). */
  deviceID(): string {
    var c = this._h.runtime().dev.cloud as CloudApi;
    return has(c, 'deviceId') ? c.deviceId!() : has(c, 'deviceID') ? c.deviceID!() : '';
  }
}
