import { Clock } from '../../hal/clock';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { SimNic } from '../nic';
import { DEFAULT_TCP, NetCore, TcpConfig } from './core';
import { EventLog, EventLogOptions } from './event-log';
import { Rng } from './rng';
import { DIR_DOWN, DIR_UP, Link, LinkOptions } from './link';
import { BROADCAST, Packet } from './packet';
import { Host, HostRouter } from './host';
import { AccessKind, AccessNetwork } from './access-network';
import { NicRouter, WorldNic } from './world-nic';
import { DhcpServer, DhcpServerOptions } from './dhcp-server';
import { DnsServer, DnsServerOptions } from './dns-server';
import { Cloud, CloudOptions, DEFAULT_CLOUD } from './cloud';
import { Airspace, AirspaceOptions } from './wifi-airspace';
import { CellNetworkModel, CellOptions } from './cell-network';
import { TcpDuplex } from './tcp-stream';

/** An access network's addressing and DHCP server. */
export interface LanOptions {
  /** The router's address; the LAN is its /24. */
  routerIp?: string;
  netmask?: string;
  /** DNS server handed out; default the world's. */
  dns?: string;
  /** DHCP server settings, or false for none. */
  dhcp?: Partial<DhcpServerOptions> | false;
}

export interface WorldOptions {
  /** PRNG seed: the same seed (and the same inputs) gives the same run. Default 1. */
  seed?: number;
  /** Default: a new VirtualClock at 0. A RealClock gives the real-time mode. */
  clock?: Clock;
  tcp?: Partial<TcpConfig>;
  log?: EventLogOptions;
  cloud?: Partial<CloudOptions>;
  dns?: { ip?: string; name?: string; latencyMs?: number } & Partial<DnsServerOptions>;
  /** Create the Ethernet NIC now (see ethernetNic). */
  ethernet?: { name?: string; link?: LinkOptions; lan?: LanOptions };
  /** Create the Wi-Fi airspace now (see airspace). `lans` configures Wi-Fi LANs by name (default 'wifi'). */
  wifi?: { name?: string; link?: LinkOptions; lans?: { [name: string]: LanOptions } } & Partial<AirspaceOptions>;
  /** Create the cellular network now (see cellNetwork). */
  cell?: { name?: string; link?: LinkOptions; pdn?: LanOptions } & Partial<CellOptions>;
  /**
   * Rounds of Node's event loop (setImmediate) without stream activity after which the async runner
   * considers aedes/mqtt.js settled. Default 5.
   */
  settleRounds?: number;
}

/** Link defaults per access technology. */
export const DEFAULT_LINKS: { [k in AccessKind]: LinkOptions } = {
  ethernet: { up: true, latencyMs: 1, jitterMs: 0.2, loss: 0, bandwidthBps: 100e6, silent: false },
  wifi: { up: true, latencyMs: 4, jitterMs: 2, loss: 0, bandwidthBps: 20e6, silent: false },
  cellular: { up: true, latencyMs: 40, jitterMs: 10, loss: 0, bandwidthBps: 5e6, silent: false },
};

const DEFAULT_DNS_IP = '198.51.100.53';

/**
 * The simulated world: a star of access networks (an Ethernet LAN, Wi-Fi LANs, a cellular PDN), one per
 * device NIC and each behind that NIC's link model, joined by "the internet" to the cloud host (MQTT
 * broker, UDP echo) and the DNS server. Everything runs on one clock (virtual by default) with one
 * seeded PRNG, and what happens is written to the event log.
 *
 *   const world = new World({ seed: 1 });
 *   const eth = world.ethernetNic('eth0', { latencyMs: 2 });
 *   const wifi = world.airspace({ aps: [{ ssid: 'home', password: 'secret' }] });
 *   const cell = world.cellNetwork({ apn: 'internet' });
 *   await world.run(10000);      // advance virtual time, letting aedes/mqtt.js work in between
 *
 * Routing: a packet from a NIC needs carrier, crosses the link (counted, maybe lost, delayed), reaches
 * the access network's router (its DHCP server is there; broadcasts stop there), then, unless a silent
 * outage holds, the internet (plus the destination host's latency). The way back mirrors it.
 */
export class World implements NetCore, NicRouter, HostRouter {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: EventLog;
  readonly tcp: TcpConfig;
  readonly cloud: Cloud;
  readonly dns: DnsServer;
  readonly seed: number;

  private _hosts: { [ip: string]: Host } = {};
  private _hostNames: { [name: string]: Host } = {};
  private _lans: { [name: string]: AccessNetwork } = {};
  private _nics: { [name: string]: WorldNic } = {};
  private _byAddr: { [ip: string]: WorldNic } = {};
  private _airspace: Airspace | null = null;
  private _cell: CellNetworkModel | null = null;
  private _opts: WorldOptions;
  private _dirty = true;
  private _settleRounds: number;
  private _nicCount = 0;
  private _closed = false;

  constructor(opts?: WorldOptions) {
    var o = (this._opts = opts || {});
    this.seed = o.seed === undefined ? 1 : o.seed;
    this.clock = !o.clock ? new VirtualClock(0) : o.clock instanceof VirtualClock ? o.clock : new ClosableClock(o.clock);
    this.rng = new Rng(this.seed);
    this.log = new EventLog(this.clock, o.log);
    this.tcp = Object.assign({}, DEFAULT_TCP, o.tcp || {});
    this._settleRounds = o.settleRounds || 5;
    var d = o.dns || {};
    var dnsHost = this.addHost(d.name || 'dns.sim', d.ip || DEFAULT_DNS_IP, d.latencyMs === undefined ? 5 : d.latencyMs, false);
    this.dns = new DnsServer(this, dnsHost, { records: d.records, ttl: d.ttl, delayMs: d.delayMs, silent: d.silent });
    this.dns.add(dnsHost.name, dnsHost.ip);
    var c = Object.assign({}, DEFAULT_CLOUD, o.cloud || {});
    var cloudHost = this.addHost(c.name, c.ip, c.latencyMs);
    this.cloud = new Cloud(this, cloudHost, c.name, c);
    if (o.ethernet) this.ethernetNic(o.ethernet.name || 'eth0', o.ethernet.link);
    if (o.wifi) this.airspace();
    if (o.cell) this.cellNetwork();
  }

  // ---- building the world ----

  /**
   * The Ethernet NIC `name` (created on first call, cable plugged), on the Ethernet LAN (192.168.1.0/24,
   * DHCP pool .100–.199). `link` changes its link model.
   */
  ethernetNic(name?: string, link?: LinkOptions): WorldNic {
    var n = name || (this._opts.ethernet && this._opts.ethernet.name) || 'eth0';
    var nic = this._nics[n];
    if (!nic) {
      var e = this._opts.ethernet || {};
      nic = this._newNic(n, 'ethernet', Object.assign({}, DEFAULT_LINKS.ethernet, e.link || {}));
      nic.attach(this.lan('eth', 'ethernet', Object.assign({ routerIp: '192.168.1.1' }, e.lan || {})));
    }
    if (link) nic.link.set(link);
    return nic;
  }

  /** The Wi-Fi airspace (created on first call) with its station NIC ('wl0'). `opts.aps` are added. */
  airspace(opts?: Partial<AirspaceOptions>): Airspace {
    if (!this._airspace) {
      var w = this._opts.wifi || {};
      var nic = this._newNic(w.name || 'wl0', 'wifi', Object.assign({}, DEFAULT_LINKS.wifi, w.link || {}));
      var self = this;
      var lans = w.lans || {};
      this._airspace = new Airspace(this, nic, function (lanName) {
        return self._wifiLan(lanName, lans[lanName]);
      }, Object.assign({}, w, { aps: w.aps || [] }));
    }
    if (opts && opts.aps) for (var i = 0; i < opts.aps.length; i++) this._airspace.addAp(opts.aps[i]);
    return this._airspace;
  }

  /** The cellular network (created on first call) with its PDP NIC ('cell0') on the PDN 10.64.0.0/16. */
  cellNetwork(opts?: Partial<CellOptions>): CellNetworkModel {
    if (!this._cell) {
      var c = this._opts.cell || {};
      var nic = this._newNic(c.name || 'cell0', 'cellular', Object.assign({}, DEFAULT_LINKS.cellular, c.link || {}));
      var pdn = this.lan('pdn', 'cellular', Object.assign({ routerIp: '10.64.0.1', netmask: '255.255.0.0', dhcp: false }, c.pdn || {}));
      var co: any = Object.assign({}, c);
      delete co.name;
      delete co.link;
      delete co.pdn;
      this._cell = new CellNetworkModel(this, nic, pdn, co);
    }
    if (opts) this._cell.set(opts);
    return this._cell;
  }

  /** The access network `name`, created with `kind` and `opts` on first call. */
  lan(name: string, kind?: AccessKind, opts?: LanOptions): AccessNetwork {
    var l = this._lans[name];
    if (l) return l;
    if (!kind) throw new Error('world: no access network ' + name);
    var o = opts || {};
    var routerIp = o.routerIp || '192.168.' + (60 + Object.keys(this._lans).length) + '.1';
    l = new AccessNetwork(name, kind, routerIp, o.netmask || '255.255.255.0', o.dns || this.dns.host.ip);
    l.router = new Host(this, this, 'router-' + name, routerIp, 0, l);
    this._lans[name] = l;
    if (o.dhcp !== false && kind !== 'cellular') l.dhcp = new DhcpServer(this, l, o.dhcp || {});
    return l;
  }

  /** Adds an internet host, with a DNS record for `name` unless `dnsRecord` is false. */
  addHost(name: string, ip: string, latencyMs?: number, dnsRecord?: boolean): Host {
    if (this._hosts[ip]) throw new Error('world: address ' + ip + ' is taken');
    var h = new Host(this, this, name, ip, latencyMs === undefined ? 10 : latencyMs, null);
    this._hosts[ip] = h;
    this._hostNames[name] = h;
    if (dnsRecord !== false && this.dns) this.dns.add(name, ip);
    return h;
  }

  /** An internet host by address or name. */
  host(ipOrName: string): Host | undefined {
    return this._hosts[ipOrName] || this._hostNames[ipOrName];
  }

  /** A device NIC by name ('eth0', 'wl0', 'cell0'). */
  nic(name: string): WorldNic | undefined {
    return this._nics[name];
  }

  /** All device NICs, in creation order. */
  nics(): WorldNic[] {
    var out: WorldNic[] = [];
    for (var k in this._nics) out.push(this._nics[k]);
    return out;
  }

  /** The link of NIC `name`; throws when there is none. */
  link(name: string): Link {
    var n = this._nics[name];
    if (!n) throw new Error('world: no NIC ' + name);
    return n.link;
  }

  /** The access network `name`, or undefined. */
  findLan(name: string): AccessNetwork | undefined {
    return this._lans[name];
  }

  // ---- time ----

  now(): number {
    return this.clock.now();
  }

  /**
   * Advances time by `ms`. Between timers it lets Node's event loop turn whenever a Node stream
   * (aedes, mqtt.js) was touched, so that the broker answers at the virtual time its input arrived.
   * With a real clock it simply waits.
   */
  run(ms: number): Promise<void> {
    return this.runUntil(function () {
      return false;
    }, ms).then(function () {});
  }

  /** Advances until `cond()` holds (checked after each timer) or `maxMs` passed; resolves whether it held. */
  async runUntil(cond: () => boolean, maxMs: number): Promise<boolean> {
    var vc = this.clock instanceof VirtualClock ? this.clock : null;
    if (!vc) return this._realUntil(cond, maxMs);
    var end = vc.now() + maxMs;
    for (;;) {
      if (this._dirty) await this.settle();
      if (cond()) return true;
      var d = vc.nextDue();
      if (d === undefined || d > end) {
        vc.advanceTo(end);
        if (this._dirty) await this.settle();
        return cond();
      }
      vc.advanceTo(d);
    }
  }

  /** Synchronous advance for worlds without Node-stream users (no broker traffic). */
  advance(ms: number): void {
    if (!(this.clock instanceof VirtualClock)) throw new Error('world: advance() needs a VirtualClock');
    this.clock.advance(ms);
  }

  /** Lets Node's event loop turn until aedes and mqtt.js have nothing more to do at this instant. */
  async settle(): Promise<void> {
    var quiet = 0;
    while (quiet < this._settleRounds) {
      this._dirty = false;
      await new Promise<void>(function (r) {
        setImmediate(r);
      });
      if (this._dirty) quiet = 0;
      else quiet++;
    }
    this._dirty = false;
  }

  touch(): void {
    this._dirty = true;
  }

  // ---- helpers ----

  /** A Node Duplex over a TCP connection from `nic` (for mqtt.js and other Node clients). */
  tcpStream(nic: SimNic, ip: string, port: number): TcpDuplex {
    var self = this;
    return TcpDuplex.connect(nic, ip, port, function () {
      self._dirty = true;
    });
  }

  /** A timer for mqtt.js' `timerVariant` option: its keepalive then runs on the world's clock. */
  mqttTimer(): { set: (fn: () => void, ms: number) => any; clear: (id: any) => void } {
    var self = this;
    return {
      set: function (fn, ms) {
        return self.clock.setInterval(function () {
          self._dirty = true;
          fn();
        }, ms);
      },
      clear: function (id) {
        self.clock.clearInterval(id);
      },
    };
  }

  /** The event log as lines (optionally one kind). */
  events(kind?: string): string[] {
    return this.log.lines(kind);
  }

  /** Closes the broker and real ports; in real-time mode also cancels every pending world timer. */
  close(): Promise<void> {
    if (this._closed) return Promise.resolve();
    this._closed = true;
    var clock = this.clock;
    return this.cloud.close().then(function () {
      if (clock instanceof ClosableClock) clock.cancelAll();
    });
  }

  // ---- routing (NicRouter, HostRouter) ----

  fromNic(n: WorldNic, p: Packet): void {
    if (!n.linkUp()) return;
    var d = n.link.transit(DIR_UP, p.size);
    if (d < 0 || n.blackhole) return;
    var self = this;
    this.clock.setTimeout(function () {
      self._atRouter(n, p);
    }, d);
  }

  fromHost(h: Host, p: Packet): void {
    var self = this;
    if (h.lan) {
      var lan = h.lan;
      for (var i = 0; i < lan.nics.length; i++) {
        var n = lan.nics[i];
        if (p.dst === BROADCAST || n.address() === p.dst) this._down(n, p);
      }
      return;
    }
    var h2 = this._hosts[p.dst];
    if (h2) {
      this.clock.setTimeout(function () {
        h2.receive(p);
      }, h.latencyMs + h2.latencyMs);
      return;
    }
    var nic = this._byAddr[p.dst];
    if (!nic) return;
    this.clock.setTimeout(function () {
      // At the access network's router: the NIC must still own the address, and no outage may hold.
      if (nic.address() !== p.dst || nic.link.silent) return;
      self._down(nic, p);
    }, h.latencyMs);
  }

  addressChanged(n: WorldNic, old: string | null, ip: string | null): void {
    if (old && this._byAddr[old] === n) delete this._byAddr[old];
    if (ip) this._byAddr[ip] = n;
  }

  private _atRouter(n: WorldNic, p: Packet): void {
    var lan = n.lan;
    if (!lan || !n.linkUp()) return;
    if (p.dst === BROADCAST || lan.isLocal(p.dst)) {
      lan.router.receive(p);
      return;
    }
    if (n.link.silent) return;
    var h = this._hosts[p.dst];
    if (!h) return;
    this.clock.setTimeout(function () {
      h.receive(p);
    }, h.latencyMs);
  }

  private _down(n: WorldNic, p: Packet): void {
    if (!n.linkUp() || n.blackhole) return;
    var d = n.link.transit(DIR_DOWN, p.size);
    if (d < 0) return;
    this.clock.setTimeout(function () {
      if (!n.linkUp()) return;
      if (p.dst !== BROADCAST && n.address() !== p.dst) return;
      n.receive(p);
    }, d);
  }

  private _newNic(name: string, kind: AccessKind, link: LinkOptions): WorldNic {
    if (this._nics[name]) throw new Error('world: NIC ' + name + ' exists');
    this._nicCount++;
    var l = new Link(name, this.clock, this.rng.fork('link:' + name), this.log, link);
    var mac = '02:00:00:00:00:' + (this._nicCount < 16 ? '0' : '') + this._nicCount.toString(16);
    var nic = new WorldNic(this, this, name, kind, l, mac);
    this._nics[name] = nic;
    return nic;
  }

  private _wifiLan(name: string, opts?: LanOptions): AccessNetwork {
    if (this._lans[name]) return this._lans[name];
    var o = Object.assign({ routerIp: name === 'wifi' ? '192.168.50.1' : undefined }, opts || {});
    return this.lan(name, 'wifi', o);
  }

  private async _realUntil(cond: () => boolean, maxMs: number): Promise<boolean> {
    var end = this.clock.now() + maxMs;
    while (!cond()) {
      var left = end - this.clock.now();
      if (left <= 0) return cond();
      await new Promise<void>(function (r) {
        setTimeout(r, Math.min(10, left));
      });
    }
    return true;
  }
}

/**
 * A real clock whose timers can all be cancelled at once (World.close in real-time mode), so that a
 * closed world leaves nothing running.
 */
class ClosableClock implements Clock {
  private _inner: Clock;
  private _live: Set<any> = new Set();

  constructor(inner: Clock) {
    this._inner = inner;
  }

  now(): number {
    return this._inner.now();
  }

  setTimeout(fn: () => void, ms: number): any {
    var live = this._live;
    var box: { id: any } = { id: null };
    box.id = this._inner.setTimeout(function () {
      live.delete(box.id);
      fn();
    }, ms);
    live.add(box.id);
    return box.id;
  }

  clearTimeout(id: any): void {
    this._live.delete(id);
    this._inner.clearTimeout(id);
  }

  setInterval(fn: () => void, ms: number): any {
    var id = this._inner.setInterval(fn, ms);
    this._live.add(id);
    return id;
  }

  clearInterval(id: any): void {
    this._live.delete(id);
    this._inner.clearInterval(id);
  }

  /** Cancels every pending timer and interval. */
  cancelAll(): void {
    var self = this;
    this._live.forEach(function (id) {
      self._inner.clearTimeout(id);
      self._inner.clearInterval(id);
    });
    this._live.clear();
  }
}
