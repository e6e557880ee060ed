/**
 * A DHCP client (RFC 2131) over any UdpSocket of the net/ contract: discover, offer, request, ack/nak,
 * renew at T1 (unicast to the server), rebind at T2 (broadcast), lease expiry, hostname option,
 * retransmissions with exponential backoff. It never gives up by itself: the interface that runs it bounds
 * the time it waits for a lease. The UDP socket (port 68) is open only while a message is expected.
 */
import { Clock } from '../../hal/clock';
import { Log, NULL_LOG, LOG_INFO, LOG_DEBUG } from '../../hal/log';
import { UdpOptions, UdpSocket } from './interface';
import {
  DhcpMessage, encodeDhcp, decodeDhcp, optIp, optIps, optU32, u16Opt,
  BOOTREQUEST, BOOTREPLY, DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK, DHCPNAK, FLAG_BROADCAST,
  OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_REQ_IP, OPT_LEASE, OPT_SERVER_ID, OPT_PARAMS,
  OPT_MAX_SIZE, OPT_T1, OPT_T2, OPT_CLIENT_ID,
} from './dhcp-codec';
import { ipToBytes } from './ip';

/** Client states (RFC 2131 figure 5, without INIT-REBOOT: a preferred address goes into DISCOVER). */
export const D_OFF = 0;
export const D_SELECTING = 1;
export const D_REQUESTING = 2;
export const D_BOUND = 3;
export const D_RENEWING = 4;
export const D_REBINDING = 5;

export var DHCP_SERVER_PORT = 67;
export var DHCP_CLIENT_PORT = 68;
var BCAST = '255.255.255.255';
/** Lease time 0xFFFFFFFF means infinite. */
var INFINITE = 0xffffffff;

/** A granted lease. Times in seconds from `at` (clock ms when the granting REQUEST was sent). */
export interface DhcpLease {
  ip: string;
  netmask: string;
  gateway: string;
  dns: string[];
  server: string;
  leaseS: number;
  t1S: number;
  t2S: number;
  at: number;
}

export interface DhcpClientOptions {
  clock: Clock;
  log?: Log;
  /** Client hardware address, 6 raw bytes. */
  mac: string;
  /** Host name sent as option 12 (omitted when empty). */
  hostname?: string;
  /** Opens a UDP socket (the client asks for port 68); null when none is free now. */
  udp: (opts: UdpOptions) => UdpSocket | null;
  /** First retransmission delay (doubles per try). Default 4000 (RFC 2131 §4.1). */
  retryMs?: number;
  /** Cap of the retransmission delay. Default 32000. */
  maxRetryMs?: number;
  /** REQUESTs sent for one offer before discovering again. Default 3. */
  requestTries?: number;
  /** A lease was granted (`renewed`: the same address was extended by a renewal or rebinding). */
  onBound?: (lease: DhcpLease, renewed: boolean) => void;
  /** The lease is gone (expired, or NAKed while renewing). The client goes on discovering. */
  onLost?: () => void;
}

/** The DHCP client state machine. */
export class DhcpClient {
  _o: DhcpClientOptions;
  _clk: Clock;
  _log: Log;
  _st = D_OFF;
  _sock: UdpSocket | null = null;
  _xid = 0;
  _tm: any;
  _tries = 0;
  _delay = 0;
  _t0 = 0;
  _reqAt = 0;
  _offIp = '';
  _offSrv = '';
  _want = '';
  _lease: DhcpLease | null = null;
  _onTm: () => void;
  _onMsg: (data: string, host: string, port: number) => void;
  _onSockClose: (err: number) => void;

  constructor(opts: DhcpClientOptions) {
    if (!opts || typeof opts.udp !== 'function' || !opts.clock || typeof opts.mac !== 'string' || opts.mac.length !== 6)
      throw new TypeError('DhcpClient: clock, udp and a 6-byte mac are required');
    this._o = opts;
    this._clk = opts.clock;
    this._log = opts.log || NULL_LOG;
    this._onTm = this._timer.bind(this);
    this._onMsg = this._msg.bind(this);
    this._onSockClose = this._sockClosed.bind(this);
  }

  /** Current D_* state. */
  state(): number {
    return this._st;
  }

  /** The current lease, or null. */
  lease(): DhcpLease | null {
    return this._lease;
  }

  /** Starts (or restarts) discovery; `preferIp` (e.g. the previous lease) goes into DISCOVER as option 50. */
  start(preferIp?: string): void {
    this.stop();
    this._want = preferIp || '';
    this._discover();
  }

  /** Stops everything: timers, socket, lease. No callback. */
  stop(): void {
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    this._lease = null;
    this._to(D_OFF);
  }

  /** The one transition: opens the socket in states that expect replies, closes it otherwise. */
  _to(st: number): void {
    if (st !== this._st) this._log.log(LOG_DEBUG, 'dhcp', 'state ' + this._st + '->' + st);
    this._st = st;
    var need = st !== D_OFF && st !== D_BOUND;
    if (!need && this._sock) {
      var s = this._sock;
      this._sock = null;
      s.close();
    } else if (need && !this._sock) {
      this._sock = this._o.udp({ port: DHCP_CLIENT_PORT, onMessage: this._onMsg, onClose: this._onSockClose });
    }
  }

  _sockClosed(): void {
    this._sock = null;
  }

  _arm(ms: number): void {
    this._clk.clearTimeout(this._tm);
    this._tm = this._clk.setTimeout(this._onTm, ms > 0 ? ms : 0);
  }

  /** Backoff: retryMs, 2×, 4× … capped at maxRetryMs. */
  _backoff(): number {
    var d = this._delay;
    var max = this._o.maxRetryMs || 32000;
    this._delay = d * 2 > max ? max : d * 2;
    return d;
  }

  _newXid(): void {
    this._xid = (Math.floor(Math.random() * 0x7fffffff) ^ (this._clk.now() & 0xffff)) >>> 0;
  }

  _discover(): void {
    this._newXid();
    this._t0 = this._clk.now();
    this._delay = this._o.retryMs || 4000;
    this._tries = 0;
    this._to(D_SELECTING);
    this._send(DHCPDISCOVER, BCAST);
    this._arm(this._backoff());
  }

  /** Builds and sends one message of `type` to `dst`. */
  _send(type: number, dst: string): void {
    if (!this._sock) this._to(this._st);
    if (!this._sock) return;
    var st = this._st, mac = this._o.mac, l = this._lease;
    var secs = Math.floor((this._clk.now() - this._t0) / 1000);
    var m: DhcpMessage = {
      op: BOOTREQUEST, xid: this._xid, secs: secs > 0xffff ? 0xffff : secs,
      flags: st === D_SELECTING || st === D_REQUESTING ? FLAG_BROADCAST : 0,
      ciaddr: (st === D_RENEWING || st === D_REBINDING) && l ? l.ip : '0.0.0.0',
      yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0', chaddr: mac, type: type, opts: {},
    };
    m.opts[OPT_CLIENT_ID] = '\x01' + mac;
    if (this._o.hostname) m.opts[OPT_HOSTNAME] = this._o.hostname;
    m.opts[OPT_PARAMS] = String.fromCharCode(OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_LEASE, OPT_T1, OPT_T2);
    m.opts[OPT_MAX_SIZE] = u16Opt(576);
    if (type === DHCPDISCOVER && this._want) m.opts[OPT_REQ_IP] = ipToBytes(this._want);
    if (type === DHCPREQUEST && st === D_REQUESTING) {
      m.opts[OPT_REQ_IP] = ipToBytes(this._offIp);
      m.opts[OPT_SERVER_ID] = ipToBytes(this._offSrv);
    }
    this._reqAt = this._clk.now();
    this._sock.send(encodeDhcp(m), dst, DHCP_SERVER_PORT);
  }

  _timer(): void {
    this._tm = undefined;
    var st = this._st, now = this._clk.now(), l = this._lease;
    if (st === D_SELECTING) {
      this._send(DHCPDISCOVER, BCAST);
      this._arm(this._backoff());
    } else if (st === D_REQUESTING) {
      if (++this._tries >= (this._o.requestTries || 3)) return this._discover();
      this._send(DHCPREQUEST, BCAST);
      this._arm(this._backoff());
    } else if (l && (st === D_BOUND || st === D_RENEWING || st === D_REBINDING)) {
      var t2 = l.at + l.t2S * 1000, end = l.at + l.leaseS * 1000;
      if (now >= end) {
        this._log.log(LOG_INFO, 'dhcp', 'lease expired');
        this._lost();
        return;
      }
      if (now >= t2 && st !== D_REBINDING) {
        this._newXid();
        this._to(D_REBINDING);
      } else if (st === D_BOUND) {
        this._newXid();
        this._t0 = now;
        this._to(D_RENEWING);
      }
      st = this._st;
      var until = st === D_RENEWING ? t2 : end;
      this._send(DHCPREQUEST, st === D_RENEWING ? l.server : BCAST);
      var wait = (until - now) / 2, min = this._o.retryMs || 4000;
      if (wait < min) wait = min;
      if (wait > until - now) wait = until - now;
      this._arm(wait);
    }
  }

  _msg(data: string, host: string): void {
    var m = decodeDhcp(data);
    if (!m || m.op !== BOOTREPLY || m.xid !== this._xid || m.chaddr.substr(0, 6) !== this._o.mac) return;
    var st = this._st;
    if (st === D_SELECTING && m.type === DHCPOFFER && m.yiaddr !== '0.0.0.0') {
      this._offIp = m.yiaddr;
      this._offSrv = optIp(m, OPT_SERVER_ID) || host;
      this._tries = 0;
      this._delay = this._o.retryMs || 4000;
      this._to(D_REQUESTING);
      this._send(DHCPREQUEST, BCAST);
      this._arm(this._backoff());
    } else if (st === D_REQUESTING || st === D_RENEWING || st === D_REBINDING) {
      if (m.type === DHCPACK) this._bind(m, host);
      else if (m.type === DHCPNAK) {
        this._log.log(LOG_INFO, 'dhcp', 'NAK');
        this._want = '';
        if (st === D_REQUESTING) this._discover();
        else this._lost();
      }
    }
  }

  /** The lease is gone: tell the owner (address first cleared there), then discover again unless stopped. */
  _lost(): void {
    this._lease = null;
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    if (this._o.onLost) this._o.onLost();
    if (this._st !== D_OFF) this._discover();
  }

  _bind(m: DhcpMessage, host: string): void {
    var ip = m.yiaddr !== '0.0.0.0' ? m.yiaddr : m.ciaddr;
    if (ip === '0.0.0.0') return;
    var old = this._lease;
    var ls = optU32(m, OPT_LEASE);
    if (ls < 0) ls = 3600;
    var t1 = optU32(m, OPT_T1), t2 = optU32(m, OPT_T2);
    var l: DhcpLease = {
      ip: ip,
      netmask: optIp(m, OPT_SUBNET) || '255.255.255.0',
      gateway: optIp(m, OPT_ROUTER) || '0.0.0.0',
      dns: optIps(m, OPT_DNS),
      server: optIp(m, OPT_SERVER_ID) || (old ? old.server : '') || host,
      leaseS: ls,
      t1S: t1 >= 0 && t1 < ls ? t1 : Math.floor(ls / 2),
      t2S: t2 >= 0 && t2 < ls ? t2 : Math.floor((ls * 7) / 8),
      at: this._reqAt,
    };
    if (l.t2S < l.t1S) l.t2S = l.t1S;
    this._lease = l;
    this._want = ip;
    this._to(D_BOUND);
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    if (ls !== INFINITE) this._arm(l.at + l.t1S * 1000 - this._clk.now());
    this._log.log(LOG_INFO, 'dhcp', 'bound ' + ip + ' for ' + ls + ' s');
    if (this._o.onBound) this._o.onBound(l, !!old && old.ip === ip);
  }
}
