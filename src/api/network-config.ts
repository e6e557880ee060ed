import { isIpv4 } from '../net/ip';
import { CONFIG_SOURCE_NONE, CONFIG_SOURCE_DHCP, CONFIG_SOURCE_STATIC } from './constants';
import { IpConfig } from './extensions';

function checkIp(what: string, v: any): string {
  if (typeof v !== 'string' || !isIpv4(v)) throw new TypeError('NetworkInterfaceConfig.' + what + ': a dotted quad is required');
  return v;
}

/**
 * Particle's NetworkInterfaceConfig builder: an address source (DHCP or static) and, for static, address,
 * netmask, gateway and DNS. Setters return the object; the same methods without arguments read back:
 *
 *   new NetworkInterfaceConfig().source(CONFIG_SOURCE_STATIC)
 *     .address('192.168.1.20', '255.255.255.0').gateway('192.168.1.1').dns('192.168.1.1')
 */
export class NetworkInterfaceConfig {
  _src = CONFIG_SOURCE_DHCP;
  _ip = '';
  _mask = '';
  _gw = '';
  _dns = '';

  /** CONFIG_SOURCE_DHCP or CONFIG_SOURCE_STATIC. */
  source(): number;
  source(s: number): NetworkInterfaceConfig;
  source(s?: number): any {
    if (s === undefined) return this._src;
    if (s !== CONFIG_SOURCE_DHCP && s !== CONFIG_SOURCE_STATIC) throw new TypeError('NetworkInterfaceConfig.source: DHCP or STATIC');
    this._src = s;
    return this;
  }

  /** The static address and its netmask. */
  address(): string;
  address(ip: string, netmask: string): NetworkInterfaceConfig;
  address(ip?: string, netmask?: string): any {
    if (ip === undefined) return this._ip;
    this._ip = checkIp('address', ip);
    this._mask = checkIp('address (netmask)', netmask);
    return this;
  }

  netmask(): string {
    return this._mask;
  }

  gateway(): string;
  gateway(gw: string): NetworkInterfaceConfig;
  gateway(gw?: string): any {
    if (gw === undefined) return this._gw;
    this._gw = checkIp('gateway', gw);
    return this;
  }

  dns(): string;
  dns(d: string): NetworkInterfaceConfig;
  dns(d?: string): any {
    if (d === undefined) return this._dns;
    this._dns = checkIp('dns', d);
    return this;
  }

  /** The driver's shape; throws a TypeError for a static config without address, netmask or gateway. */
  toIpConfig(): IpConfig {
    if (this._src !== CONFIG_SOURCE_STATIC) return { dhcp: true };
    if (!this._ip || !this._mask || !this._gw) throw new TypeError('setConfig: a static config needs address, netmask and gateway');
    return { dhcp: false, ip: this._ip, netmask: this._mask, gateway: this._gw, dns: this._dns || this._gw };
  }

  /** From the driver's shape (undefined → source NONE). */
  static fromIpConfig(c: IpConfig | undefined | null): NetworkInterfaceConfig {
    var n = new NetworkInterfaceConfig();
    if (!c) {
      n._src = CONFIG_SOURCE_NONE;
      return n;
    }
    if (c.dhcp) return n;
    n._src = CONFIG_SOURCE_STATIC;
    n._ip = c.ip || '';
    n._mask = c.netmask || '';
    n._gw = c.gateway || '';
    n._dns = c.dns || '';
    return n;
  }
}
