import { SimNic, SimNicLease } from '../nic';
import { isIpv4 } from '../../src/net/ip';
import { NetCore } from './core';
import { AccessKind, AccessNetwork } from './access-network';
import { Link } from './link';
import { Packet } from './packet';
import { Stack } from './stack';
import { decodeDns, dnsQuery, DNS_PORT, RCODE_OK, TYPE_A } from './dns-packet';

/** How a NIC's packets enter the world, and how the world learns its address. */
export interface NicRouter {
  fromNic(n: WorldNic, p: Packet): void;
  addressChanged(n: WorldNic, old: string | null, ip: string | null): void;
}

/** The NIC's built-in resolver (the modem's or the OS's): per-try timeout and number of tries. */
export interface ResolverConfig {
  timeoutMs: number;
  tries: number;
}

export const DEFAULT_RESOLVER: ResolverConfig = { timeoutMs: 2500, tries: 2 };

/**
 * A device network interface in the world: what a chip model holds (sim/nic.ts SimNic). Its carrier is
 * "attached to an access network (cable in, associated, PDP up) and the link is up". Everything it sends
 * crosses its link model.
 */
export class WorldNic extends Stack implements SimNic {
  readonly name: string;
  readonly kind: AccessKind;
  readonly link: Link;
  /** MAC address "02:00:00:00:00:01" (DHCP chaddr of the stand-in clients). */
  readonly mac: string;
  /** The access network it is attached to, or null. */
  lan: AccessNetwork | null = null;
  /** Radio transmits into nothing (the AP vanished, the station has not noticed yet). */
  blackhole = false;
  /** Called when someone other than the world's own stand-in DHCP client sets the address. */
  onExternalAddress: ((ip: string | null) => void) | null = null;
  resolver: ResolverConfig;

  private _router: NicRouter;
  private _attached = false;
  private _carrier = false;
  private _addr: string | null = null;
  private _linkCbs: Array<(up: boolean) => void> = [];
  private _addrCbs: Array<(ip: string | null) => void> = [];
  private _dnsId = 0;

  constructor(core: NetCore, router: NicRouter, name: string, kind: AccessKind, link: Link, mac: string) {
    super(core);
    this.name = name;
    this.kind = kind;
    this.link = link;
    this.mac = mac;
    this._router = router;
    this.resolver = Object.assign({}, DEFAULT_RESOLVER);
    var self = this;
    link.onChange(function () {
      self._updateCarrier();
    });
  }

  linkUp(): boolean {
    return this._carrier;
  }

  onLink(cb: (up: boolean) => void): () => void {
    return subscribe(this._linkCbs, cb);
  }

  setAddress(ip: string | null): void {
    this.assignAddress(ip);
    if (this.onExternalAddress) this.onExternalAddress(ip);
  }

  /** Sets the address without telling `onExternalAddress` (the world's own DHCP stand-in, PDP activation). */
  assignAddress(ip: string | null): void {
    if (ip !== null && !isIpv4(ip)) throw new TypeError(this.name + ': bad address ' + ip);
    if (ip === '0.0.0.0') ip = null;
    if (ip === this._addr) return;
    var old = this._addr;
    this._addr = ip;
    this.core.log.add('nic', this.name + ' address ' + (ip || 'none'));
    this._router.addressChanged(this, old, ip);
    var cbs = this._addrCbs.slice();
    for (var i = 0; i < cbs.length; i++) cbs[i](ip);
  }

  address(): string | null {
    return this._addr;
  }

  onAddress(cb: (ip: string | null) => void): () => void {
    return subscribe(this._addrCbs, cb);
  }

  lease(): SimNicLease | null {
    if (!this._addr || !this.lan) return null;
    return { ip: this._addr, netmask: this.lan.netmask, gateway: this.lan.routerIp, dns: this.lan.dns };
  }

  /** Plugs into an access network (cable in, associated, PDP up). */
  attach(lan: AccessNetwork): void {
    if (this.lan === lan && this._attached) return;
    if (this.lan) this.detach();
    this.lan = lan;
    lan.nics.push(this);
    this._attached = true;
    this.blackhole = false;
    this._updateCarrier();
  }

  /** Unplugs (cable out, disassociated, PDP down). The address stays until someone clears it. */
  detach(): void {
    if (this.lan) {
      var i = this.lan.nics.indexOf(this);
      if (i >= 0) this.lan.nics.splice(i, 1);
    }
    this._attached = false;
    this.blackhole = false;
    this._updateCarrier();
  }

  /** Attached to an access network (whatever the link says). */
  attached(): boolean {
    return this._attached;
  }

  localIp(): string | null {
    return this._addr;
  }

  output(pkt: Packet): void {
    this._router.fromNic(this, pkt);
  }

  label(): string {
    return this.name;
  }

  resolve(name: string, cb: (ip: string | null) => void): void {
    var clock = this.core.clock;
    if (isIpv4(name)) {
      clock.setTimeout(function () {
        cb(name);
      }, 0);
      return;
    }
    if (!this._addr || !this.lan) {
      clock.setTimeout(function () {
        cb(null);
      }, 0);
      return;
    }
    var self = this;
    var server = this.lan.dns;
    var id = (this._dnsId = (this._dnsId + 1) & 0xffff);
    var cfg = this.resolver;
    var tries = 0;
    var done = false;
    var timer: any = null;
    var port = this.udpOpen(0, function (src, sport, data) {
      if (done || src !== server || sport !== DNS_PORT) return;
      var m = decodeDns(data);
      if (!m || !m.qr || m.id !== id) return;
      var ip: string | null = null;
      if (m.rcode === RCODE_OK) {
        for (var i = 0; i < m.answers.length; i++) {
          if (m.answers[i].type === TYPE_A && typeof m.answers[i].data === 'string') {
            ip = m.answers[i].data as string;
            break;
          }
        }
      }
      finish(ip);
    });
    function send(): void {
      tries++;
      port.send(server, DNS_PORT, dnsQuery(id, name));
      timer = clock.setTimeout(function () {
        timer = null;
        if (tries < cfg.tries) send();
        else finish(null);
      }, cfg.timeoutMs);
    }
    function finish(ip: string | null): void {
      if (done) return;
      done = true;
      if (timer) clock.clearTimeout(timer);
      port.close();
      self.core.log.add('dns', self.name + ' resolve ' + name + ' ' + (ip || 'failed'));
      cb(ip);
    }
    send();
  }

  private _updateCarrier(): void {
    var c = this._attached && this.link.up;
    if (c === this._carrier) return;
    this._carrier = c;
    this.core.log.add('nic', this.name + ' carrier ' + (c ? 'up' : 'down'));
    var cbs = this._linkCbs.slice();
    for (var i = 0; i < cbs.length; i++) cbs[i](c);
  }
}

function subscribe<T>(list: T[], cb: T): () => void {
  list.push(cb);
  return function () {
    var i = list.indexOf(cb);
    if (i >= 0) list.splice(i, 1);
  };
}
