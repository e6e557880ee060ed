import { SimNic, SimUdpPort } from '../nic';
import { Clock } from '../../hal/clock';
import { EventLog } from './event-log';
import { Rng } from './rng';
import { BROADCAST } from './packet';
import {
  BOOTREPLY, BOOTREQUEST, decodeDhcp, DHCPACK, DHCPDISCOVER, DhcpMessage, dhcpMessage, DHCPNAK, DHCPOFFER, DHCPRELEASE,
  DHCPREQUEST, dhcpType, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, encodeDhcp, ipBuf, optIp, optIps, optU32, OPT_DNS, OPT_HOSTNAME,
  OPT_LEASE_TIME, OPT_PARAM_LIST, OPT_REQUESTED_IP, OPT_ROUTER, OPT_SERVER_ID, OPT_SUBNET_MASK, OPT_T1, OPT_T2,
} from './dhcp-packet';

/** A lease as the client holds it. */
export interface DhcpLease {
  ip: string;
  netmask: string;
  router: string;
  dns: string[];
  server: string;
  leaseMs: number;
  t1Ms: number;
  t2Ms: number;
  /** When the ACK arrived. */
  boundAt: number;
}

export interface DhcpClientOptions {
  nic: SimNic;
  /** The chaddr, "aa:bb:cc:dd:ee:ff". */
  mac: string;
  clock: Clock;
  log: EventLog;
  rng: Rng;
  /** First retransmission timeout of DISCOVER/REQUEST; doubles up to 64 s (RFC 2131 §4.1). Default 4000. */
  retryMs?: number;
  /** Wait before starting over after a NAK or a failed selection. Default 1000. */
  restartMs?: number;
  hostname?: string;
  /** Sets the NIC's address (default nic.setAddress). */
  assign?: (ip: string | null) => void;
  onLease?: (lease: DhcpLease | null) => void;
}

export const DC_STOPPED = 0;
export const DC_SELECTING = 1;
export const DC_REQUESTING = 2;
export const DC_BOUND = 3;
export const DC_RENEWING = 4;
export const DC_REBINDING = 5;
export const DC_STATE_NAMES = ['stopped', 'selecting', 'requesting', 'bound', 'renewing', 'rebinding'];

/** REQUESTs sent in the requesting state before starting over. */
const REQUEST_TRIES = 4;

/**
 * A DHCP client (RFC 2131 state machine: selecting, requesting, bound, renewing at T1, rebinding at T2,
 * expiry) over a SimNic. The world uses it as the stand-in for the ESP32's built-in client on Wi-Fi;
 * tests use it to exercise the servers.
 */
export class DhcpClient {
  state = DC_STOPPED;
  private _o: DhcpClientOptions;
  private _port: SimUdpPort | null = null;
  private _xid = 0;
  private _timer: any = null;
  private _tries = 0;
  private _offer: DhcpMessage | null = null;
  private _lease: DhcpLease | null = null;
  private _t1: any = null;
  private _t2: any = null;
  private _exp: any = null;

  constructor(opts: DhcpClientOptions) {
    this._o = opts;
  }

  /** The current lease, or null. */
  lease(): DhcpLease | null {
    return this._lease;
  }

  /** Starts from INIT (DISCOVER). */
  start(): void {
    this.stop();
    var self = this;
    this._port = this._o.nic.udpOpen(DHCP_CLIENT_PORT, function (src, sport, data) {
      self._input(data);
    });
    this._discover();
  }

  /** Stops; with `release`, sends a RELEASE first. The address is cleared unless `keepAddress`. */
  stop(release?: boolean, keepAddress?: boolean): void {
    if (release && this._lease && this._port) {
      var m = this._msg(DHCPRELEASE);
      m.ciaddr = this._lease.ip;
      m.options[OPT_SERVER_ID] = ipBuf(this._lease.server);
      this._port.send(this._lease.server, DHCP_SERVER_PORT, encodeDhcp(m));
    }
    this._clearTimers();
    if (this._port) this._port.close();
    this._port = null;
    this.state = DC_STOPPED;
    if (keepAddress) this._lease = null;
    else if (this._lease) this._setLease(null);
  }

  private _msg(type: number): DhcpMessage {
    var m = dhcpMessage(BOOTREQUEST, type, this._xid, this._o.mac);
    m.options[OPT_PARAM_LIST] = Buffer.from([OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS, OPT_LEASE_TIME, OPT_T1, OPT_T2]);
    if (this._o.hostname) m.options[OPT_HOSTNAME] = Buffer.from(this._o.hostname, 'ascii');
    return m;
  }

  private _send(m: DhcpMessage, dst: string): void {
    if (this._port) this._port.send(dst, DHCP_SERVER_PORT, encodeDhcp(m));
  }

  private _retry(): number {
    var base = this._o.retryMs || 4000;
    return Math.min(64000, base * Math.pow(2, Math.max(0, this._tries - 1)));
  }

  private _discover(): void {
    this.state = DC_SELECTING;
    this._xid = this._o.rng.int(0x100000000);
    this._tries = 0;
    this._offer = null;
    this._sendDiscover();
  }

  private _sendDiscover = (): void => {
    this._tries++;
    this._send(this._msg(DHCPDISCOVER), BROADCAST);
    this._arm(this._sendDiscover, this._retry());
  };

  private _sendRequest = (): void => {
    if (this._tries >= REQUEST_TRIES) {
      this._restart();
      return;
    }
    this._tries++;
    var m = this._msg(DHCPREQUEST);
    m.options[OPT_REQUESTED_IP] = ipBuf(this._offer!.yiaddr);
    m.options[OPT_SERVER_ID] = ipBuf(optIp(this._offer!, OPT_SERVER_ID)!);
    this._send(m, BROADCAST);
    this._arm(this._sendRequest, this._retry());
  };

  private _renew = (): void => {
    if (!this._lease) return;
    var rebinding = this.state === DC_REBINDING;
    var m = this._msg(DHCPREQUEST);
    m.ciaddr = this._lease.ip;
    this._send(m, rebinding ? BROADCAST : this._lease.server);
    // RFC 2131 §4.4.5: retransmit after half the time left until T2 (rebinding: until expiry), at least 60 s.
    var now = this._o.clock.now();
    var until = this._lease.boundAt + (rebinding ? this._lease.leaseMs : this._lease.t2Ms);
    var wait = Math.max(60000, (until - now) / 2);
    if (now + wait < until) this._arm(this._renew, wait);
  };

  private _input(data: Buffer): void {
    var m = decodeDhcp(data);
    if (!m || m.op !== BOOTREPLY || m.xid !== this._xid || m.chaddr !== this._o.mac) return;
    var type = dhcpType(m);
    if (type === DHCPOFFER && this.state === DC_SELECTING) {
      this._offer = m;
      this.state = DC_REQUESTING;
      this._tries = 0;
      this._sendRequest();
      return;
    }
    if (type === DHCPACK && (this.state === DC_REQUESTING || this.state === DC_RENEWING || this.state === DC_REBINDING)) {
      this._bound(m);
      return;
    }
    if (type === DHCPNAK && (this.state === DC_REQUESTING || this.state === DC_RENEWING || this.state === DC_REBINDING)) {
      this._o.log.add('dhcp', this._o.nic.name + ' client NAK in ' + DC_STATE_NAMES[this.state]);
      this._setLease(null);
      this._restart();
    }
  }

  private _bound(m: DhcpMessage): void {
    var now = this._o.clock.now();
    var leaseS = optU32(m, OPT_LEASE_TIME) || 3600;
    var t1 = optU32(m, OPT_T1);
    var t2 = optU32(m, OPT_T2);
    var lease: DhcpLease = {
      ip: m.yiaddr, netmask: optIp(m, OPT_SUBNET_MASK) || '255.255.255.0', router: optIp(m, OPT_ROUTER) || '0.0.0.0',
      dns: optIps(m, OPT_DNS), server: optIp(m, OPT_SERVER_ID) || '0.0.0.0', leaseMs: leaseS * 1000,
      t1Ms: (t1 === null ? leaseS / 2 : t1) * 1000, t2Ms: (t2 === null ? (leaseS * 7) / 8 : t2) * 1000, boundAt: now,
    };
    var renewed = this.state !== DC_REQUESTING;
    this._clearTimers();
    this.state = DC_BOUND;
    this._o.log.add('dhcp', this._o.nic.name + ' client ' + (renewed ? 'renewed ' : 'bound ') + lease.ip + ' lease ' + leaseS + 's');
    var self = this;
    var clock = this._o.clock;
    this._t1 = clock.setTimeout(function () {
      self._t1 = null;
      self.state = DC_RENEWING;
      self._renew();
    }, lease.t1Ms);
    this._t2 = clock.setTimeout(function () {
      self._t2 = null;
      self.state = DC_REBINDING;
      if (self._timer) clock.clearTimeout(self._timer);
      self._timer = null;
      self._renew();
    }, lease.t2Ms);
    this._exp = clock.setTimeout(function () {
      self._exp = null;
      self._o.log.add('dhcp', self._o.nic.name + ' client lease expired');
      self._setLease(null);
      self._restart();
    }, lease.leaseMs);
    this._setLease(lease);
  }

  private _restart(): void {
    this._clearTimers();
    this.state = DC_SELECTING;
    var self = this;
    this._arm(function () {
      self._discover();
    }, this._o.restartMs === undefined ? 1000 : this._o.restartMs);
  }

  private _setLease(l: DhcpLease | null): void {
    var changed = (l ? l.ip : null) !== (this._lease ? this._lease.ip : null);
    this._lease = l;
    if (changed) {
      var ip = l ? l.ip : null;
      if (this._o.assign) this._o.assign(ip);
      else this._o.nic.setAddress(ip);
    }
    if (this._o.onLease) this._o.onLease(l);
  }

  private _arm(fn: () => void, ms: number): void {
    var clock = this._o.clock;
    if (this._timer) clock.clearTimeout(this._timer);
    var self = this;
    this._timer = clock.setTimeout(function () {
      self._timer = null;
      fn();
    }, ms);
  }

  private _clearTimers(): void {
    var clock = this._o.clock;
    if (this._timer) clock.clearTimeout(this._timer);
    if (this._t1) clock.clearTimeout(this._t1);
    if (this._t2) clock.clearTimeout(this._t2);
    if (this._exp) clock.clearTimeout(this._exp);
    this._timer = this._t1 = this._t2 = this._exp = null;
  }
}
