import { NetCore } from './core';
import { AccessNetwork } from './access-network';
import { BROADCAST } from './packet';
import { SimUdpPort } from '../nic';
import {
  BOOTREPLY, BOOTREQUEST, decodeDhcp, DHCPACK, DHCPDECLINE, DHCPDISCOVER, DhcpMessage, dhcpMessage, DHCPNAK, DHCPOFFER,
  DHCPRELEASE, DHCPREQUEST, dhcpType, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DHCP_TYPE_NAMES, encodeDhcp, ipBuf, optIp,
  OPT_DNS, OPT_LEASE_TIME, OPT_MESSAGE, OPT_REQUESTED_IP, OPT_ROUTER, OPT_SERVER_ID, OPT_SUBNET_MASK, OPT_T1, OPT_T2, u32Buf,
} from './dhcp-packet';

/** Settings of a LAN's DHCP server. All can change at any time (`set`). */
export interface DhcpServerOptions {
  /** First address of the pool. */
  poolStart: string;
  /** Addresses in the pool. */
  poolSize: number;
  /** Lease time (option 51). */
  leaseMs: number;
  /** Renewal time T1 (option 58); default half the lease. */
  t1Ms: number;
  /** Rebinding time T2 (option 59); default 7/8 of the lease. */
  t2Ms: number;
  /** Router handed out (option 3); default the LAN's router. */
  router: string;
  /** DNS servers handed out (option 6); default the LAN's DNS server. */
  dns: string[];
  /** Processing delay before each reply. */
  delayMs: number;
  /** Drops every request (a dead DHCP server). */
  silent: boolean;
  /** Answers every REQUEST with a NAK. */
  nak: boolean;
}

/** A lease as the server records it. */
export interface DhcpBinding {
  mac: string;
  ip: string;
  /** Offered only, not yet requested. */
  offered: boolean;
  expiresAt: number;
}

/** An OFFER not taken up is held this long. */
const OFFER_HOLD_MS = 60000;

/**
 * An RFC 2131 DHCP server on a LAN's router (UDP 67): DISCOVER → OFFER, REQUEST → ACK or NAK (selecting,
 * init-reboot, renewing, rebinding), DECLINE, RELEASE; lease, T1 and T2 options; replies broadcast to
 * port 68 unless the client already has its address (ciaddr), then unicast.
 */
export class DhcpServer {
  readonly lan: AccessNetwork;
  private _core: NetCore;
  private _o: DhcpServerOptions;
  private _t1Set: boolean;
  private _t2Set: boolean;
  private _bindings: { [mac: string]: DhcpBinding } = {};
  private _declined: { [ip: string]: number } = {};
  private _port: SimUdpPort;

  constructor(core: NetCore, lan: AccessNetwork, opts: Partial<DhcpServerOptions>) {
    this._core = core;
    this.lan = lan;
    var base = lan.routerIp.split('.').slice(0, 3).join('.');
    this._o = {
      poolStart: base + '.100', poolSize: 100, leaseMs: 3600000, t1Ms: 0, t2Ms: 0, router: lan.routerIp, dns: [lan.dns],
      delayMs: 5, silent: false, nak: false,
    };
    this._t1Set = this._t2Set = false;
    this.set(opts, true);
    var self = this;
    this._port = lan.router.udpOpen(DHCP_SERVER_PORT, function (src, sport, data) {
      self._input(data);
    });
  }

  /** Current settings (a copy). */
  options(): DhcpServerOptions {
    var o = Object.assign({}, this._o);
    o.dns = this._o.dns.slice();
    return o;
  }

  /** Changes settings; `silent` and `nak` changes are logged. */
  set(opts: Partial<DhcpServerOptions>, quiet?: boolean): void {
    var o = this._o;
    for (var k in opts) {
      var v = (opts as any)[k];
      if (v === undefined) continue;
      if (!(k in o)) throw new TypeError('dhcp: unknown option ' + k);
      if ((k === 'silent' || k === 'nak') && v !== (o as any)[k] && !quiet) this._core.log.add('dhcp', this.lan.name + ' ' + k + '=' + v);
      (o as any)[k] = k === 'dns' ? (v as string[]).slice() : v;
      if (k === 't1Ms') this._t1Set = true;
      if (k === 't2Ms') this._t2Set = true;
    }
    if (!this._t1Set) o.t1Ms = Math.floor(o.leaseMs / 2);
    if (!this._t2Set) o.t2Ms = Math.floor((o.leaseMs * 7) / 8);
  }

  /** Current bindings (copies), offered ones included. */
  bindings(): DhcpBinding[] {
    var out: DhcpBinding[] = [];
    for (var m in this._bindings) out.push(Object.assign({}, this._bindings[m]));
    return out;
  }

  /** Stops serving (port closed). */
  close(): void {
    this._port.close();
  }

  private _input(data: Buffer): void {
    var m = decodeDhcp(data);
    if (!m || m.op !== BOOTREQUEST) return;
    var type = dhcpType(m);
    var log = this._core.log;
    var name = this.lan.name;
    if (this._o.silent) {
      log.add('dhcp', name + ' ' + DHCP_TYPE_NAMES[type] + ' from ' + m.chaddr + ' ignored (silent)');
      return;
    }
    var now = this._core.clock.now();
    var b = this._bindings[m.chaddr];
    if (b && b.expiresAt <= now) {
      delete this._bindings[m.chaddr];
      b = undefined as any;
    }
    var me = this.lan.routerIp;
    if (type === DHCPDISCOVER) {
      var ip = b ? b.ip : this._allocate(optIp(m, OPT_REQUESTED_IP), now);
      if (!ip) {
        log.add('dhcp', name + ' DISCOVER from ' + m.chaddr + ': pool exhausted');
        return;
      }
      if (!b) this._bindings[m.chaddr] = { mac: m.chaddr, ip: ip, offered: true, expiresAt: now + OFFER_HOLD_MS };
      this._reply(m, DHCPOFFER, ip);
      return;
    }
    if (type === DHCPREQUEST) {
      var sid = optIp(m, OPT_SERVER_ID);
      var req = optIp(m, OPT_REQUESTED_IP);
      if (sid && sid !== me) {
        // The client chose another server's offer.
        if (b && b.offered) delete this._bindings[m.chaddr];
        return;
      }
      if (this._o.nak) {
        this._reply(m, DHCPNAK, null, 'configured to NAK');
        return;
      }
      var want = m.ciaddr !== '0.0.0.0' ? m.ciaddr : req;
      if (!want) {
        this._reply(m, DHCPNAK, null, 'no address requested');
        return;
      }
      if (b && b.ip === want) {
        b.offered = false;
        b.expiresAt = now + this._o.leaseMs;
        this._reply(m, DHCPACK, want);
        return;
      }
      // INIT-REBOOT without a record: grant it if it is ours to give, else NAK.
      if (!b && !sid && this._inPool(want) && this._free(want, now)) {
        this._bindings[m.chaddr] = { mac: m.chaddr, ip: want, offered: false, expiresAt: now + this._o.leaseMs };
        this._reply(m, DHCPACK, want);
        return;
      }
      this._reply(m, DHCPNAK, null, 'address not available');
      return;
    }
    if (type === DHCPDECLINE) {
      var bad = optIp(m, OPT_REQUESTED_IP);
      if (bad) this._declined[bad] = now + this._o.leaseMs;
      if (b) delete this._bindings[m.chaddr];
      log.add('dhcp', name + ' DECLINE ' + bad + ' from ' + m.chaddr);
      return;
    }
    if (type === DHCPRELEASE) {
      if (b && b.ip === m.ciaddr) delete this._bindings[m.chaddr];
      log.add('dhcp', name + ' RELEASE ' + m.ciaddr + ' from ' + m.chaddr);
    }
  }

  private _reply(req: DhcpMessage, type: number, ip: string | null, why?: string): void {
    var o = this._o;
    var r = dhcpMessage(BOOTREPLY, type, req.xid, req.chaddr);
    r.flags = req.flags;
    r.giaddr = req.giaddr;
    r.options[OPT_SERVER_ID] = ipBuf(this.lan.routerIp);
    if (type === DHCPNAK) {
      if (why) r.options[OPT_MESSAGE] = Buffer.from(why, 'ascii');
    } else {
      r.yiaddr = ip!;
      r.ciaddr = req.ciaddr;
      r.options[OPT_LEASE_TIME] = u32Buf(Math.floor(o.leaseMs / 1000));
      r.options[OPT_T1] = u32Buf(Math.floor(o.t1Ms / 1000));
      r.options[OPT_T2] = u32Buf(Math.floor(o.t2Ms / 1000));
      r.options[OPT_SUBNET_MASK] = ipBuf(this.lan.netmask);
      r.options[OPT_ROUTER] = ipBuf(o.router);
      r.options[OPT_DNS] = Buffer.concat(o.dns.map(ipBuf));
    }
    // A client that has its address gets a unicast; everyone else (and every NAK) a broadcast.
    var dst = type !== DHCPNAK && req.ciaddr !== '0.0.0.0' ? req.ciaddr : BROADCAST;
    var data = encodeDhcp(r);
    var self = this;
    this._core.log.add('dhcp', this.lan.name + ' ' + DHCP_TYPE_NAMES[type] + (ip ? ' ' + ip : '') + ' to ' + req.chaddr + (why ? ' (' + why + ')' : ''));
    this._core.clock.setTimeout(function () {
      self._port.send(dst, DHCP_CLIENT_PORT, data);
    }, o.delayMs);
  }

  private _poolIndex(ip: string): number {
    var a = ip.split('.').map(Number);
    var s = this._o.poolStart.split('.').map(Number);
    if (a[0] !== s[0] || a[1] !== s[1] || a[2] !== s[2]) return -1;
    return a[3] - s[3];
  }

  private _inPool(ip: string): boolean {
    var i = this._poolIndex(ip);
    return i >= 0 && i < this._o.poolSize;
  }

  private _free(ip: string, now: number): boolean {
    if (this._declined[ip] && this._declined[ip] > now) return false;
    for (var m in this._bindings) {
      var b = this._bindings[m];
      if (b.ip === ip && b.expiresAt > now) return false;
    }
    return true;
  }

  private _allocate(wanted: string | null, now: number): string | null {
    if (wanted && this._inPool(wanted) && this._free(wanted, now)) return wanted;
    var s = this._o.poolStart.split('.').map(Number);
    for (var i = 0; i < this._o.poolSize && s[3] + i < 255; i++) {
      var ip = s[0] + '.' + s[1] + '.' + s[2] + '.' + (s[3] + i);
      if (this._free(ip, now)) return ip;
    }
    return null;
  }
}
