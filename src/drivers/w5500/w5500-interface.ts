import { Spi } from '../../../hal/spi';
import { Clock } from '../../../hal/clock';
import { GpioPin } from '../../../hal/gpio';
import { Log, LOG_WARN, LOG_INFO } from '../../../hal/log';
import { IfBase } from '../../net/if-base';
import { NetInterface, TcpOptions, TcpSocket, UdpOptions, UdpSocket } from '../../net/interface';
import {
  IF_OFF, IF_POWERING_ON, IF_ON, IF_CONNECTING, IF_READY, IF_DISCONNECTING, IF_POWERING_OFF, IF_FAILED,
  R_NO_HARDWARE, R_NO_LINK, R_NO_IP, R_NO_DNS, E_OK, E_NETDOWN,
} from '../../net/types';
import { isIpv4, ipToBytes } from '../../net/ip';
import { DhcpClient, DhcpLease } from '../../net/dhcp-client';
import { DnsClient } from '../../net/dns-client';
import { W5500Chip } from './chip';
import { SockHost, SockTimes } from './sock-host';
import { W5500Tcp } from './tcp-socket';
import { W5500Udp } from './udp-socket';
import {
  BSB_COMMON, MR, MR_RST, GAR, SHAR, SIR, SIMR, RTR, PHYCFGR, PHY_LNK, VERSIONR, W5500_VERSION,
  SN_RXBUF_SIZE, SOCKETS, bsbReg,
} from './regs';

/** Options of the W5500 interface (one object, STYLE.md). Times in milliseconds. */
export interface W5500Options {
  spi: Spi;
  clock: Clock;
  log?: Log;
  /** RSTn (active low). When given, on() pulses it before the soft reset and off() holds it low. */
  rst?: GpioPin;
  /** INTn (active low). When given, a falling edge triggers a poll at once; polling continues regardless. */
  int?: GpioPin;
  /** MAC "aa:bb:cc:dd:ee:ff". Default 02:08:DC:01:02:03 (locally administered): give each board its own. */
  mac?: string;
  /** DHCP host name (option 12). Default "w5500-" + the MAC's last 3 bytes. */
  hostname?: string;
  /** TX / RX buffer KB per socket (0,1,2,4,8,16; sum ≤ 16). Default 4,4,2,2,1,1,1,1: TCP takes sockets from 0 up, UDP from 7 down. */
  txKb?: number[];
  rxKb?: number[];
  /** RTR: first retransmission timeout. Default 200. */
  retryMs?: number;
  /** RCR: retransmissions. Default 5: ARP gives up after 1.2 s, TCP after 200·(1+2+…+32) = 12.6 s. */
  retryCount?: number;
  /** Wait for the PHY link in connect(). Default 8000, then failed(no_link). */
  linkTimeoutMs?: number;
  /** Wait for a DHCP lease. Default 30000, then failed(no_ip). */
  dhcpTimeoutMs?: number;
  /** DHCP first retransmission. Default 2000. */
  dhcpRetryMs?: number;
  /** Default TCP connect bound. Default 10000. */
  connectTimeoutMs?: number;
  /** Graceful close bound (DISCON → CLOSED), then CLOSE. Default 1000. */
  closeTimeoutMs?: number;
  /** Bound on one outstanding SEND. Default 15000 (past the chip's own TCP timeout). */
  sendTimeoutMs?: number;
  /** Poll period while a socket is busy. Default 10. */
  pollMs?: number;
  /** Poll period while sockets are open and idle. Default 50, or 250 with an INT pin. */
  idlePollMs?: number;
  /** PHY link (and chip presence) poll period. Default 250. */
  linkPollMs?: number;
  /** Link lost while ready: false (default) → back to connecting, waiting linkTimeoutMs; true → failed(no_link). */
  linkLossFails?: boolean;
  /** Bytes queued per TCP socket beyond the chip's buffer. Default 2048. */
  txQueueMax?: number;
  /** DNS server used when DHCP gives none. Default none (→ failed(no_dns)). */
  fallbackDns?: string;
  dnsTimeoutMs?: number;
  dnsTries?: number;
  dnsCacheMax?: number;
  /** Binary string → bytes; a board may pass E.toUint8Array (faster than the JS loop). */
  toBytes?: (s: string) => Uint8Array;
}

/** Static addressing for setConfig; `{dhcp: true}` goes back to DHCP. */
export interface W5500Config {
  dhcp?: boolean;
  ip?: string;
  netmask?: string;
  gateway?: string;
  dns?: string;
}

/** Bring-up steps inside IF_POWERING_ON and IF_CONNECTING. */
var PH_NONE = 0;
var PH_HWRST = 1;
var PH_PLL = 2;
var PH_RESET = 3;
var PH_VERSION = 4;
var PH_LINK = 5;
var PH_DHCP = 6;

/** MR polls (1 ms apart) before the soft reset counts as failed (Arduino: 20). */
var RESET_POLLS = 20;
/** VERSIONR reads (2 ms apart): the first read after reset can be 0 (ESP-IDF #11331). */
var VERSION_READS = 5;
/** How long polling stays fast after a socket was busy. */
var FAST_HOLD_MS = 100;
var DEFAULT_MAC = '02:08:DC:01:02:03';
var ZERO = '0.0.0.0';

function parseMac(s: string): string {
  var p = s.split(':');
  if (p.length !== 6) return '';
  var r = '';
  for (var i = 0; i < 6; i++) {
    var v = parseInt(p[i], 16);
    if (p[i].length !== 2 || !(v >= 0 && v <= 255)) return '';
    r += String.fromCharCode(v);
  }
  return r;
}

function hex2(v: number): string {
  return (v < 16 ? '0' : '') + v.toString(16);
}

function kbOk(a: number[] | undefined): boolean {
  if (!a) return true;
  if (a.length !== SOCKETS) return false;
  var sum = 0;
  for (var i = 0; i < SOCKETS; i++) {
    if ([0, 1, 2, 4, 8, 16].indexOf(a[i]) < 0) return false;
    sum += a[i];
  }
  return sum <= 16;
}

/** The default buffer sizes in bytes (4, 4, 2, 2, 1, 1, 1, 1 KB), shared by TX and RX; never written. */
var DEFAULT_SZ = [4096, 4096, 2048, 2048, 1024, 1024, 1024, 1024];

/** Buffer sizes in bytes from sizes in KB. */
function kbBytes(kb: number[]): number[] {
  var out: number[] = [];
  for (var i = 0; i < SOCKETS; i++) out.push(kb[i] * 1024);
  return out;
}

/**
 * Ethernet through a WIZnet W5500 on SPI: the net/ contract over the chip's 8 hardware sockets, with
 * DHCP and DNS clients of our own. id "eth0", kind "ethernet".
 *
 * Lifecycle: on() = optional RSTn pulse, soft reset (MR.RST polled back to 0, bounded), VERSIONR == 0x04
 * (retried), then MAC, RTR/RCR and buffer sizes → on. An absent chip (MISO all 0x00 or all 0xFF) or another
 * chip → failed(no_hardware) within ~30 ms, no exception. connect(): wait for the PHY link (bounded →
 * failed(no_link)), then DHCP (bounded → failed(no_ip)) or the static setConfig → ready.
 *
 * Link lost while ready: every socket closes with E_NETDOWN and the interface goes back to connecting,
 * waiting `linkTimeoutMs` for the link (then failed(no_link)); when it returns, DHCP runs again asking for
 * the previous address. With `linkLossFails` it goes to failed(no_link) at once. A lost lease (expiry or
 * NAK) also closes the sockets and goes back to connecting. The chip is polled on the clock: SIR every
 * `pollMs` while a socket is busy, every `idlePollMs` while sockets are open, PHYCFGR+VERSIONR every
 * `linkPollMs` (a chip that stops answering → failed(no_hardware)).
 *
 * No TLS: it has no `canTls` (absent means no, see docs/security.md), and `tcp` refuses `tls`.
 */
export class W5500Interface extends IfBase implements NetInterface, SockHost {
  _chip: W5500Chip;
  _clock: Clock;
  _times: SockTimes;
  _txSz: number[];
  _rxSz: number[];
  _txQMax: number;
  _o: W5500Options;
  _mac: string;
  /** The socket on each hardware socket number; a slot is filled when a socket opens there. */
  _s: Array<W5500Tcp | W5500Udp | null> = [];
  _nOpen = 0;
  _ph = PH_NONE;
  _n = 0;
  _tm: any;
  _pt: any;
  _pDue = 0;
  _fastUntil = 0;
  _linkDue = 0;
  _link = false;
  _seen = false;
  _up = false;
  _want = false;
  /** Static addressing from setConfig; absent or null for DHCP. */
  _static?: W5500Config | null;
  /** The last leased address, asked for again after a link or lease loss (absent before the first). */
  _lastIp?: string;
  _port = 0;
  _unwatch: (() => void) | null = null;
  /** DHCP and DNS clients: made when the chip first answers (_clients), absent before. */
  _dhcp?: DhcpClient;
  _dns?: DnsClient;
  _onTm: () => void;
  /** _tick bound for the clock, made when the chip is first polled (a board without a W5500 makes none). */
  _onTick?: () => void;

  constructor(opts: W5500Options) {
    super('eth0', 'ethernet', opts && opts.log);
    if (!opts || !opts.spi || !opts.clock) throw new TypeError('W5500Interface: spi and clock are required');
    var mac = parseMac(opts.mac || DEFAULT_MAC);
    if (!mac) throw new TypeError('W5500Interface: mac must be "aa:bb:cc:dd:ee:ff"');
    if (!kbOk(opts.txKb) || !kbOk(opts.rxKb)) throw new TypeError('W5500Interface: txKb/rxKb: 8 sizes of 0,1,2,4,8,16 KB, sum <= 16');
    this._o = opts;
    this._clock = opts.clock;
    this._chip = new W5500Chip(opts.spi, opts.toBytes);
    this._mac = mac;
    this._txSz = opts.txKb ? kbBytes(opts.txKb) : DEFAULT_SZ;
    this._rxSz = opts.rxKb ? kbBytes(opts.rxKb) : DEFAULT_SZ;
    this._times = {
      connectMs: opts.connectTimeoutMs || 10000,
      closeMs: opts.closeTimeoutMs || 1000,
      sendMs: opts.sendTimeoutMs || 15000,
    };
    this._txQMax = opts.txQueueMax || 2048;
    this._port = 49152 + Math.floor(Math.random() * 16000);
    this._info.mac = opts.mac ? opts.mac.toUpperCase() : DEFAULT_MAC;
    this._onTm = this._step.bind(this);
  }

  /** The DHCP and DNS clients, made once: only a chip that answered needs them. */
  _clients(): void {
    var opts = this._o, mac = this._mac, self = this;
    var udp = this._udpOpen.bind(this);
    var host = opts.hostname || 'w5500-' + hex2(mac.charCodeAt(3)) + hex2(mac.charCodeAt(4)) + hex2(mac.charCodeAt(5));
    this._dhcp = new DhcpClient({
      clock: opts.clock, log: opts.log, mac: mac, hostname: host, udp: udp, retryMs: opts.dhcpRetryMs || 2000,
      maxRetryMs: 8000, onBound: this._bound.bind(this), onLost: this._lost.bind(this),
    });
    this._dns = new DnsClient({
      clock: opts.clock, log: opts.log, udp: udp, timeoutMs: opts.dnsTimeoutMs, tries: opts.dnsTries,
      cacheMax: opts.dnsCacheMax,
      servers: function () {
        return [self._info.dns];
      },
    });
  }

  /** Detection: the chip answered VERSIONR = 0x04 (the API combines this with FEATURE_ETHERNET_DETECTION). */
  configured(): boolean {
    return this._seen;
  }

  /** PHY link as last polled. */
  linkUp(): boolean {
    return this._link;
  }

  /**
   * Static addressing ({ip, netmask, gateway, dns}) or DHCP ({dhcp: true}). Applied at once when connecting
   * or ready (sockets close with E_NETDOWN), otherwise at the next connect(). Throws TypeError on bad input.
   */
  setConfig(cfg: W5500Config): void {
    if (!cfg || typeof cfg !== 'object') throw new TypeError('setConfig: object expected');
    if (cfg.dhcp) this._static = null;
    else {
      var ip = cfg.ip, nm = cfg.netmask || '255.255.255.0', gw = cfg.gateway || ZERO, dns = cfg.dns || '';
      if (typeof ip !== 'string' || !isIpv4(ip) || ip === ZERO || !isIpv4(nm) || !isIpv4(gw) || (dns && !isIpv4(dns)))
        throw new TypeError('setConfig: ip, netmask, gateway, dns must be dotted quads');
      this._static = { ip: ip, netmask: nm, gateway: gw, dns: dns };
    }
    var st = this._st;
    if (st === IF_CONNECTING || st === IF_READY) {
      this._netDown();
      this._set(IF_CONNECTING);
      this._waitLink();
    }
  }

  on(): void {
    var st = this._st;
    if (st !== IF_OFF && st !== IF_FAILED) return;
    this._stopAll();
    this._seen = false;
    this._set(IF_POWERING_ON);
    var rst = this._o.rst;
    if (rst) {
      rst.write(false);
      this._go(PH_HWRST, 1);
    } else this._softReset();
  }

  off(): void {
    this._want = false;
    if (this._st === IF_OFF) return;
    var chip = this._up;
    this._set(IF_POWERING_OFF);
    this._netDown();
    this._stopAll();
    if (chip) this._chip.write8(BSB_COMMON, MR, MR_RST);
    if (this._o.rst) this._o.rst.write(false);
    this._set(IF_OFF);
  }

  connect(): void {
    this._want = true;
    var st = this._st;
    if (st === IF_OFF || (st === IF_FAILED && !this._up)) this.on();
    else if (st === IF_ON || st === IF_FAILED) {
      this._set(IF_CONNECTING);
      this._waitLink();
    }
  }

  disconnect(): void {
    this._want = false;
    var st = this._st;
    if (st !== IF_CONNECTING && st !== IF_READY && !(st === IF_FAILED && this._up)) return;
    this._set(IF_DISCONNECTING);
    this._netDown();
    this._set(IF_ON);
  }

  tcp(opts: TcpOptions): TcpSocket | null {
    if (!opts || typeof opts.host !== 'string' || !opts.host || !(opts.port > 0 && opts.port < 65536 && opts.port % 1 === 0))
      throw new TypeError('tcp: host and port 1-65535 required');
    // The W5500 has no TLS, and this driver none in software: never fall back to plain text.
    if (opts.tls || this._st !== IF_READY) return null;
    var n = this._alloc(true);
    if (n < 0) return null;
    var s = new W5500Tcp(this, n, opts, this._ephemeral());
    this._s[n] = s;
    this._nOpen++;
    this.resolve(opts.host, s._onRes);
    return s;
  }

  udp(opts: UdpOptions): UdpSocket | null {
    if (!opts || typeof opts !== 'object') throw new TypeError('udp: options object required');
    if (this._st !== IF_READY) return null;
    return this._udpOpen(opts);
  }

  resolve(host: string, cb: (err: number, ip: string) => void): void {
    if (isIpv4(host) || this._st !== IF_READY) {
      var err = isIpv4(host) ? E_OK : E_NETDOWN;
      this._clock.setTimeout(function () {
        cb(err, err ? '' : host);
      }, 0);
      return;
    }
    this._dns!.resolve(host, cb);
  }

  /** A UDP socket in any state where the chip runs (DHCP needs one while connecting). */
  _udpOpen(opts: UdpOptions): UdpSocket | null {
    if (!this._up) return null;
    var port = opts.port || this._ephemeral();
    for (var i = 0; i < SOCKETS; i++) {
      var o = this._s[i];
      if (o && o instanceof W5500Udp && o._port === port) return null;
    }
    var n = this._alloc(false);
    if (n < 0) return null;
    var s = new W5500Udp(this, n, opts, port);
    this._s[n] = s;
    this._nOpen++;
    if (!s._start()) {
      this._release(n);
      return null;
    }
    this._kick();
    return s;
  }

  /** A free hardware socket with buffers: TCP from 0 up, UDP from 7 down; -1 when none. */
  _alloc(tcp: boolean): number {
    for (var k = 0; k < SOCKETS; k++) {
      var n = tcp ? k : SOCKETS - 1 - k;
      if (!this._s[n] && this._txSz[n] && this._rxSz[n]) return n;
    }
    return -1;
  }

  /** The next local port in 49152–65535 not used by an open socket. */
  _ephemeral(): number {
    for (var tries = 0; tries < 16; tries++) {
      var p = this._port++;
      if (this._port > 65535) this._port = 49152;
      var used = false;
      for (var i = 0; i < SOCKETS; i++) {
        var s: any = this._s[i];
        if (s && (s._port === p || s._lport === p)) used = true;
      }
      if (!used) return p;
    }
    return this._port;
  }

  _release(n: number): void {
    if (this._s[n]) {
      this._s[n] = null;
      this._nOpen--;
    }
  }

  // ---- bring-up ----

  /** Enters bring-up step `ph` with its timer. */
  _go(ph: number, ms: number): void {
    this._ph = ph;
    this._clock.clearTimeout(this._tm);
    this._tm = ms >= 0 ? this._clock.setTimeout(this._onTm, ms) : undefined;
  }

  _softReset(): void {
    this._chip.write8(BSB_COMMON, MR, MR_RST);
    this._n = 0;
    this._go(PH_RESET, 1);
  }

  /** The bring-up timer: one step of the current phase. */
  _step(): void {
    this._tm = undefined;
    var ph = this._ph, c = this._chip;
    if (ph === PH_HWRST) {
      if (this._o.rst) this._o.rst.write(true);
      this._go(PH_PLL, 2);
    } else if (ph === PH_PLL) {
      this._softReset();
    } else if (ph === PH_RESET) {
      if (c.read8(BSB_COMMON, MR) === 0) {
        this._n = 0;
        this._ph = PH_VERSION;
        this._step();
      } else if (++this._n >= RESET_POLLS) this._noChip('MR.RST never cleared');
      else this._go(PH_RESET, 1);
    } else if (ph === PH_VERSION) {
      var v = c.read8(BSB_COMMON, VERSIONR);
      if (v === W5500_VERSION) this._init();
      else if (++this._n >= VERSION_READS) this._noChip('VERSIONR=0x' + hex2(v));
      else this._go(PH_VERSION, 2);
    } else if (ph === PH_LINK) {
      this._fail(R_NO_LINK);
    } else if (ph === PH_DHCP) {
      this._fail(R_NO_IP);
    }
  }

  _noChip(why: string): void {
    this._log.log(LOG_WARN, this.id, 'no W5500: ' + why);
    this._up = false;
    this._fail(R_NO_HARDWARE);
  }

  /** Chip found: MAC, RTR/RCR, buffer sizes, SIMR; then on, and on to connect if wanted. */
  _init(): void {
    var c = this._chip, o = this._o, m = this._mac;
    c.write(BSB_COMMON, SHAR, [m.charCodeAt(0), m.charCodeAt(1), m.charCodeAt(2), m.charCodeAt(3), m.charCodeAt(4), m.charCodeAt(5)]);
    var rtr = Math.round((o.retryMs || 200) * 10);
    if (rtr > 0xffff) rtr = 0xffff;
    var rcr = o.retryCount === undefined ? 5 : o.retryCount;
    c.write(BSB_COMMON, RTR, [rtr >> 8, rtr & 0xff, rcr & 0xff]);
    for (var i = 0; i < SOCKETS; i++) c.write(bsbReg(i), SN_RXBUF_SIZE, [this._rxSz[i] >> 10, this._txSz[i] >> 10]);
    if (o.int) {
      c.write8(BSB_COMMON, SIMR, 0xff);
      this._unwatch = o.int.watch(this._kick.bind(this), 'falling', 0);
    }
    if (!this._dhcp) this._clients();
    this._seen = true;
    this._up = true;
    this._link = false;
    this._ph = PH_NONE;
    this._set(IF_ON);
    this._linkDue = 0;
    this._tick();
    if (this._want && this._st === IF_ON) {
      this._set(IF_CONNECTING);
      this._waitLink();
    }
  }

  /** Connecting: wait for the link (bounded), then address. */
  _waitLink(): void {
    this._go(PH_LINK, this._o.linkTimeoutMs || 8000);
    if (this._link) this._addr();
  }

  /** Link is up: static addressing, or DHCP (bounded). */
  _addr(): void {
    var s = this._static;
    if (s) {
      this._apply(s.ip!, s.netmask!, s.gateway!, s.dns || this._o.fallbackDns || '');
      this._ready();
      return;
    }
    this._go(PH_DHCP, this._o.dhcpTimeoutMs || 30000);
    this._apply(ZERO, ZERO, ZERO, '');
    this._dhcp!.start(this._lastIp || undefined);
  }

  /** GAR, SUBR, SHAR, SIPR are contiguous (0x0001–0x0012): one 18-byte frame. */
  _apply(ip: string, nm: string, gw: string, dns: string): void {
    var s = ipToBytes(gw) + ipToBytes(nm) + this._mac + ipToBytes(ip);
    this._chip.writeStr(BSB_COMMON, GAR, s);
    var i = this._info;
    i.ip = ip;
    i.netmask = nm;
    i.gateway = gw;
    i.dns = dns || ZERO;
  }

  _ready(): void {
    if (this._info.dns === ZERO) return this._fail(R_NO_DNS);
    this._go(PH_NONE, -1);
    this._set(IF_READY);
    this.events.emit('info', this._info);
  }

  _bound(l: DhcpLease, renewed: boolean): void {
    var dns = l.dns.length ? l.dns[0] : this._o.fallbackDns || '';
    if (this._st === IF_READY) {
      var i = this._info;
      if (!renewed) this._closeSockets(E_NETDOWN, true);
      this._lastIp = l.ip;
      if (!renewed || i.netmask !== l.netmask || i.gateway !== l.gateway || i.dns !== (dns || ZERO)) {
        this._apply(l.ip, l.netmask, l.gateway, dns);
        this.events.emit('info', i);
      }
      return;
    }
    if (this._st !== IF_CONNECTING || this._ph !== PH_DHCP) return;
    this._log.log(LOG_INFO, this.id, 'lease ' + l.ip + ' gw ' + l.gateway + ' dns ' + dns);
    this._lastIp = l.ip;
    this._apply(l.ip, l.netmask, l.gateway, dns);
    this._ready();
  }

  _lost(): void {
    if (this._st !== IF_READY) return;
    this._closeSockets(E_NETDOWN, true);
    this._dns!.reset();
    this._apply(ZERO, ZERO, ZERO, '');
    this.events.emit('info', this._info);
    this._set(IF_CONNECTING);
    this._go(PH_DHCP, this._o.dhcpTimeoutMs || 30000);
  }

  _fail(r: number): void {
    this._netDown();
    this._go(PH_NONE, -1);
    if (r === R_NO_HARDWARE) this._stopAll();
    this._set(IF_FAILED, r);
  }

  /** Leaves addressing: sockets closed (E_NETDOWN), DHCP stopped, DNS reset, addresses cleared. */
  _netDown(): void {
    this._go(PH_NONE, -1);
    if (this._dhcp) {
      this._dhcp.stop();
      this._dns!.reset();
    }
    this._closeSockets(E_NETDOWN, false);
    var i = this._info, had = i.ip !== ZERO;
    if (this._up && had) this._apply(ZERO, ZERO, ZERO, '');
    i.ip = i.netmask = i.gateway = i.dns = ZERO;
    if (had) this.events.emit('info', i);
  }

  /** Closes every socket with `err` (those of the DHCP client too, unless `keepDhcp`). */
  _closeSockets(err: number, keepDhcp: boolean): void {
    var dh = this._dhcp && this._dhcp._sock;
    for (var n = 0; n < SOCKETS; n++) {
      var s = this._s[n];
      if (s && !(keepDhcp && s === dh)) s._down(err);
    }
  }

  /** Stops polling and the bring-up timer, forgets the INT watch. */
  _stopAll(): void {
    this._go(PH_NONE, -1);
    this._clock.clearTimeout(this._pt);
    this._pt = undefined;
    if (this._unwatch) this._unwatch();
    this._unwatch = null;
    this._up = false;
  }

  // ---- polling ----

  /** PHYCFGR .. VERSIONR in one frame: link bit, and a chip that still answers. */
  _pollLink(): void {
    var f = this._chip.readFrame(BSB_COMMON, PHYCFGR, VERSIONR - PHYCFGR + 1);
    if (f[3 + VERSIONR - PHYCFGR] !== W5500_VERSION) return this._noChip('lost (VERSIONR)');
    var up = (f[3] & PHY_LNK) !== 0;
    if (up === this._link) return;
    this._link = up;
    this._log.log(LOG_INFO, this.id, 'link ' + (up ? 'up' : 'down'));
    this.events.emit('link', up);
    var st = this._st;
    if (up) {
      if (st === IF_CONNECTING && this._ph === PH_LINK) this._addr();
    } else if (st === IF_READY) {
      if (this._o.linkLossFails) return this._fail(R_NO_LINK);
      this._netDown();
      this._set(IF_CONNECTING);
      this._waitLink();
    } else if (st === IF_CONNECTING && this._ph === PH_DHCP) {
      this._dhcp!.stop();
      this._closeSockets(E_NETDOWN, false);
      this._waitLink();
    }
  }

  _tick(): void {
    this._pt = undefined;
    if (!this._up) return;
    var now = this._clock.now();
    if (now >= this._linkDue) {
      this._linkDue = now + (this._o.linkPollMs || 250);
      this._pollLink();
      if (!this._up) return;
    }
    if (this._nOpen > 0) {
      var sir = this._chip.read8(BSB_COMMON, SIR), busy = false;
      for (var n = 0; n < SOCKETS && this._up; n++) {
        var s = this._s[n];
        if (!s) continue;
        try {
          if (s._poll((sir & (1 << n)) !== 0)) busy = true;
        } catch (e) {
          this.events.emit('error', e);
        }
      }
      if (busy) this._fastUntil = now + FAST_HOLD_MS;
    }
    if (!this._up) return;
    // Arms the poll timer for the next due poll (never later than one already armed).
    now = this._clock.now();
    var o = this._o;
    var ms = this._nOpen > 0 ? (now < this._fastUntil ? o.pollMs || 10 : o.idlePollMs || (o.int ? 250 : 50)) : o.linkPollMs || 250;
    var due = now + ms;
    if (due > this._linkDue) due = this._linkDue;
    if (this._pt !== undefined && this._pDue <= due) return;
    this._clock.clearTimeout(this._pt);
    this._pDue = due;
    this._pt = this._clock.setTimeout(this._onTick || (this._onTick = this._tick.bind(this)), due - now);
  }

  /** A poll as soon as possible (data queued, INTn fell). */
  _kick(): void {
    if (!this._up) return;
    var now = this._clock.now();
    this._fastUntil = now + FAST_HOLD_MS;
    if (this._pt !== undefined && this._pDue <= now) return;
    this._clock.clearTimeout(this._pt);
    this._pDue = now;
    this._pt = this._clock.setTimeout(this._onTick || (this._onTick = this._tick.bind(this)), 0);
  }
}
