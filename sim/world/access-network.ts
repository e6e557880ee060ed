import type { Host } from './host';
import type { DhcpServer } from './dhcp-server';
import type { WorldNic } from './world-nic';

/** Kinds of access network. */
export type AccessKind = 'ethernet' | 'wifi' | 'cellular';

/**
 * The network a device NIC sits on, between its link and the internet: an Ethernet LAN, a Wi-Fi LAN, a
 * cellular PDN. It has a router (which on LANs hosts the DHCP server) and the DNS server it tells clients
 * about. Several NICs may share one.
 */
export class AccessNetwork {
  readonly name: string;
  readonly kind: AccessKind;
  readonly routerIp: string;
  readonly netmask: string;
  /** DNS server handed to clients (DHCP option 6; the NIC's resolver). */
  dns: string;
  /** The router as a host (its UDP ports: the DHCP server); set by the world right after construction. */
  router!: Host;
  dhcp: DhcpServer | null = null;
  readonly nics: WorldNic[] = [];

  constructor(name: string, kind: AccessKind, routerIp: string, netmask: string, dns: string) {
    this.name = name;
    this.kind = kind;
    this.routerIp = routerIp;
    this.netmask = netmask;
    this.dns = dns;
  }

  /** An address of the access network itself (reachable even during a silent upstream outage). */
  isLocal(ip: string): boolean {
    return ip === this.routerIp;
  }
}
