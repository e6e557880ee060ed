import { IfKind, IF_OFF, IF_CONNECTING, IF_POWERING_ON, IF_READY } from '../net/types';
import { NetInterface } from '../net/interface';
import { IfMetrics, ManagerMetrics } from '../connection/manager';
import { Runtime } from './runtime';
import { NetworkInterfaceConfig } from './network-config';
import { has } from './extensions';
import { NETWORK_CREDENTIALS_ADDED, NETWORK_CREDENTIALS_CLEARED } from './constants';

/**
 * The method `fn` bound to `o`, made on the first read of `o[name]` and kept there as `o`'s own property.
 * For the facade methods a sketch may pass on their own (`waitFor(Particle.connected, ...)`): each facade
 * gets its bound copy only when one is read, not every facade at start-up (memory on the board).
 */
export function boundOnce(o: any, name: string, fn: Function): any {
  var f = fn.bind(o);
  Object.defineProperty(o, name, { value: f });
  return f;
}

function isConnecting(this: NetworkClass): boolean {
  return !this.ready() && (this._any(IF_CONNECTING) || this._any(IF_POWERING_ON));
}

function isReady(this: NetworkClass): boolean {
  return this._any(IF_READY);
}

function isListening(this: NetworkClass): boolean {
  return this._h.runtime().listening();
}

/** What the facades need of their binding (api/binding.ts). */
export interface FacadeHost {
  runtime(): Runtime;
}

/**
 * Particle's NetworkClass: one shape for Network (all interfaces), Ethernet, WiFi and Cellular, so any of
 * them can be passed where a NetworkClass is expected (`Particle.connect(Ethernet)`, `withNetwork(WiFi)`).
 * Calls on an interface the board lacks do nothing (ready() is false).
 */
export class NetworkClass {
  readonly _h: FacadeHost;
  /** null: every interface (Network). */
  readonly kind: IfKind | null;

  constructor(host: FacadeHost, kind: IfKind | null) {
    this._h = host;
    this.kind = kind;
  }

  /** The interface behind this class (null for Network or when the board lacks it). */
  iface(): NetInterface | null {
    return this.kind === null ? null : this._h.runtime().iface(this.kind);
  }

  /** Id for the manager: null = all; undefined = the board lacks it. */
  _id(): string | null | undefined {
    if (this.kind === null) return null;
    var i = this.iface();
    return i ? i.id : undefined;
  }

  _ifs(): NetInterface[] {
    return this._h.runtime().ifaces(this.kind);
  }

  _any(st: number): boolean {
    var l = this._ifs();
    for (var i = 0; i < l.length; i++) if (l[i].state() === st) return true;
    return false;
  }

  /** Powers on (no connection). */
  on(): void {
    var id = this._id();
    if (id !== undefined) this._h.runtime().mgr.networkOn(id);
  }

  /** Powers off; the system will not bring it back until on(), connect() or Particle.connect(). */
  off(): void {
    var id = this._id();
    if (id !== undefined) this._h.runtime().mgr.networkOff(id);
  }

  /** Connects (and keeps connecting after a drop). */
  connect(): void {
    var id = this._id();
    if (id !== undefined) this._h.runtime().mgr.networkConnect(id);
  }

  /** Disconnects and holds it down until connect(). */
  disconnect(): void {
    var id = this._id();
    if (id !== undefined) this._h.runtime().mgr.networkDisconnect(id);
  }

  /** Coming up (powering on or connecting), not yet ready. Works unbound too: waitFor(WiFi.connecting, ...). */
  get connecting(): () => boolean {
    return boundOnce(this, 'connecting', isConnecting);
  }

  /** Ready: link, address, DNS (any interface, for Network). Works unbound too: waitFor(WiFi.ready, ...). */
  get ready(): () => boolean {
    return boundOnce(this, 'ready', isReady);
  }

  /** Not off (any interface, for Network). */
  isOn(): boolean {
    var l = this._ifs();
    for (var i = 0; i < l.length; i++) if (l[i].state() !== IF_OFF) return true;
    return false;
  }

  isOff(): boolean {
    return !this.isOn();
  }

  /** Listening (setup) mode; system-wide as on Particle. `listen(false)` ends it. */
  listen(on?: boolean): void {
    if (on !== undefined && typeof on !== 'boolean') throw new TypeError('listen: a boolean is required');
    this._h.runtime().listen(on !== false);
  }

  /** Works unbound too: waitFor(WiFi.listening, ...). */
  get listening(): () => boolean {
    return boundOnce(this, 'listening', isListening);
  }

  /** Listening mode ends by itself after `seconds` (0 = never). */
  setListenTimeout(seconds: number): void {
    if (typeof seconds !== 'number' || !(seconds >= 0)) throw new TypeError('setListenTimeout: seconds must be a number ≥ 0');
    this._h.runtime().setListenTimeout(seconds * 1000);
  }

  getListenTimeout(): number {
    return this._h.runtime().getListenTimeout() / 1000;
  }

  /** Static address or DHCP; stored. Returns 0 (Particle's SYSTEM_ERROR_NONE), -1 when the board lacks it. */
  setConfig(conf: NetworkInterfaceConfig): number {
    if (!(conf instanceof NetworkInterfaceConfig)) throw new TypeError('setConfig: a NetworkInterfaceConfig is required');
    if (this.kind === null) throw new TypeError('setConfig: call it on Ethernet, WiFi or Cellular');
    var c = conf.toIpConfig();
    var i = this.iface();
    if (!i) return -1;
    this._h.runtime().setIpConfig(i, c);
    return 0;
  }

  getConfig(): NetworkInterfaceConfig {
    var i = this.iface();
    return NetworkInterfaceConfig.fromIpConfig(i ? this._h.runtime().getIpConfig(i) : null);
  }

  /**
   * Prefers this interface (one at a time: it replaces any other preference); `prefer(false)` clears it if
   * this one is preferred; `Network.prefer()` clears every preference. Takes effect at the next
   * evaluation; never forces an interface that is not available.
   */
  prefer(prefer?: boolean): NetworkClass {
    if (prefer !== undefined && typeof prefer !== 'boolean') throw new TypeError('prefer: a boolean is required');
    var mgr = this._h.runtime().mgr;
    var id = this._id();
    if (id === null) mgr.prefer(null, false);
    else if (id !== undefined) mgr.prefer(id, prefer !== false);
    return this;
  }

  /** Network: true when no interface is preferred. */
  isPreferred(): boolean {
    var p = this._h.runtime().mgr.preferred();
    var id = this._id();
    if (id === null) return p === null;
    return id !== undefined && p === id;
  }

  /** The interface's address (Network: the one carrying the cloud, else the first ready one). */
  localIP(): string {
    var i = this.iface();
    if (this.kind === null) {
      i = this._h.runtime().mgr.cloudIface();
      var l = this._ifs();
      for (var k = 0; k < l.length && !i; k++) if (l[k].state() === IF_READY) i = l[k];
    }
    return i && i.state() === IF_READY ? i.info().ip : '0.0.0.0';
  }

  /** Metrics: Network gives everything; an interface its own record (undefined when absent). */
  metrics(): ManagerMetrics | IfMetrics | undefined {
    var m = this._h.runtime().mgr.metrics();
    var id = this._id();
    if (id === null) return m;
    for (var i = 0; i < m.ifs.length; i++) if (m.ifs[i].id === id) return m.ifs[i];
    return undefined;
  }

  /** "Why is the cloud on this interface?" */
  why(): string {
    return this._h.runtime().mgr.why();
  }
}

/** Network: all interfaces, plus the failover sequence. */
export class NetworkAllClass extends NetworkClass {
  constructor(host: FacadeHost) {
    super(host, null);
  }

  /**
   * impOS's failover sequence: ids "ethernet" | "wifi" | "cell" or "eth0" | "wl0" | "cell0", in order; the
   * default order follows for the rest. Stored; [] restores the default. Applies from the next attempt.
   */
  setServerInterfaces(list: string[]): void {
    this._h.runtime().mgr.setSequence(list);
  }

  /** The stored, normalised list (generic ids). */
  getServerInterfaces(): string[] {
    return this._h.runtime().mgr.getSequence();
  }
}

/** WiFi: credentials forwarded to the Wi-Fi driver. */
export class WiFiClass extends NetworkClass {
  constructor(host: FacadeHost) {
    super(host, 'wifi');
  }

  /**
   * `setCredentials(ssid, password?, security?)` or `setCredentials({ssid, password, security, hidden})`.
   * Returns false when the board has no Wi-Fi or the driver keeps no credentials.
   */
  setCredentials(ssid: any, password?: string, security?: string): boolean {
    var c: any = ssid;
    if (typeof ssid === 'string') {
      if (password !== undefined && typeof password !== 'string') throw new TypeError('setCredentials: password must be a string');
      c = { ssid: ssid, password: password, security: security };
    }
    if (!c || typeof c !== 'object' || typeof c.ssid !== 'string' || !c.ssid.length) throw new TypeError('setCredentials: an ssid is required');
    var i = this.iface();
    if (!i || !has(i, 'setCredentials')) return false;
    var ok = !!(i as any).setCredentials(c);
    if (ok) {
      var rt = this._h.runtime();
      rt.events.emit('network_credentials', 'network_credentials', NETWORK_CREDENTIALS_ADDED);
      rt.mgr.refresh();
    }
    return ok;
  }

  clearCredentials(): boolean {
    var i = this.iface();
    if (!i || !has(i, 'clearCredentials')) return false;
    (i as any).clearCredentials();
    this._h.runtime().events.emit('network_credentials', 'network_credentials', NETWORK_CREDENTIALS_CLEARED);
    return true;
  }

  hasCredentials(): boolean {
    var i = this.iface();
    if (!i) return false;
    return has(i, 'hasCredentials') ? !!(i as any).hasCredentials() : i.configured();
  }
}

/** Cellular: APN settings forwarded to the modem driver. */
export class CellularClass extends NetworkClass {
  constructor(host: FacadeHost) {
    super(host, 'cell');
  }

  /** `setCredentials(apn, user?, password?)`. Returns false when the board or driver cannot take them. */
  setCredentials(apn: string, user?: string, password?: string): boolean {
    if (typeof apn !== 'string') throw new TypeError('Cellular.setCredentials: apn must be a string');
    if ((user !== undefined && typeof user !== 'string') || (password !== undefined && typeof password !== 'string')) {
      throw new TypeError('Cellular.setCredentials: user and password must be strings');
    }
    var i = this.iface();
    if (!i) return false;
    if (has(i, 'setApn')) (i as any).setApn(apn, user, password);
    else if (has(i, 'setCredentials')) (i as any).setCredentials(apn, user, password);
    else return false;
    this._h.runtime().mgr.refresh();
    return true;
  }
}
