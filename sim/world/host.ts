import { NetCore } from './core';
import { Packet } from './packet';
import { Stack } from './stack';
import type { AccessNetwork } from './access-network';

/** How a host's packets enter the world. */
export interface HostRouter {
  fromHost(h: Host, p: Packet): void;
}

/**
 * A machine in the world with one address: an internet host (the cloud, the DNS server, anything a test
 * adds) or an access network's own router (its DHCP server). It has UDP ports and TCP listeners like any
 * stack.
 */
export class Host extends Stack {
  readonly name: string;
  readonly ip: string;
  /** One-way delay between this host and the access networks' routers (the internet core), ms. */
  latencyMs: number;
  /** Set for an access network's router; null for internet hosts. */
  readonly lan: AccessNetwork | null;
  private _router: HostRouter;

  constructor(core: NetCore, router: HostRouter, name: string, ip: string, latencyMs: number, lan: AccessNetwork | null) {
    super(core);
    this.name = name;
    this.ip = ip;
    this.latencyMs = latencyMs;
    this.lan = lan;
    this._router = router;
  }

  localIp(): string {
    return this.ip;
  }

  output(pkt: Packet): void {
    this._router.fromHost(this, pkt);
  }

  label(): string {
    return this.name;
  }
}
