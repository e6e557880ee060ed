import { IfBase } from '../../net/if-base';
import { NetInterface, IfInfo, TcpOptions, TcpSocket, UdpOptions, UdpSocket } from '../../net/interface';
import {
  IF_OFF, IF_POWERING_ON, IF_ON, IF_CONNECTING, IF_READY, IF_DISCONNECTING, IF_POWERING_OFF, IF_FAILED,
  R_NONE, R_NO_HARDWARE, R_NO_LINK, R_NO_IP, R_NOT_AUTHORISED, REASONS,
  E_OK, E_NETDOWN, E_INVALID, E_DNS,
} from '../../net/types';
import { isIpv4 } from '../../net/ip';
import { Clock } from '../../../hal/clock';
import { Storage } from '../../../hal/storage';
import { Log, LOG_INFO, LOG_WARN, LOG_DEBUG } from '../../../hal/log';
import { WifiRadio, WifiApInfo } from '../../../hal/wifi-radio';
import { NativeSockets, NativeTlsOptions } from '../../../hal/sockets';
import { TlsSockets, hasTls } from '../../net/tls-sockets';
import { WifiCredentials, WifiCredentialEntry, WifiCredentialInput, WifiCredentialInfo } from './credentials';
import { disconnectKind, DK_AUTH, DK_NO_AP, DK_LEAVE } from './disconnect-kind';
import { NativeTcpSocket, NativeUdpSocket } from '../../net/native-sockets';
import { nameAt } from '../../util/names';

/** Storage file of the address configuration (static or DHCP). */
export const WIFI_IP_FILE = 'wl0.ip';

/** Address configuration: `{dhcp: true}` or a static address. */
export interface WifiIpConfig {
  dhcp: boolean;
  ip?: string;
  netmask?: string;
  gateway?: string;
  dns?: string;
}

export interface WifiInterfaceOptions {
  /** The radio; null when the board has none (the interface then fails with no_hardware). */
  radio: WifiRadio | null;
  /** The runtime's own TCP/IP stack behind the radio (Espruino's net/dgram). */
  sockets: NativeSockets;
  clock: Clock;
  storage: Storage;
  log?: Log;
  /** Networks kept in Storage (default 5). */
  maxNetworks?: number;
  /** Longest wait for a scan (default 10 s). */
  scanTimeoutMs?: number;
  /** Longest wait from `radio.connect` to "associated" (default 20 s). */
  joinTimeoutMs?: number;
  /** Longest wait from "associated" to an address (DHCP, default 15 s). */
  ipTimeoutMs?: number;
  /** Delay before the first retry of a failed round; doubles per failure (default 5 s). */
  retryBaseMs?: number;
  /** Cap of the retry delay (default 60 s). */
  retryMaxMs?: number;
  /** Rounds (scan + join) per `connect()` call or link loss before the interface stays failed (default 5). */
  maxRounds?: number;
  /** Delay before rejoining after the link was lost (default 1 s). */
  rejoinDelayMs?: number;
  /** Most sockets open at once (default 8; lwIP on the ESP32 has 10). */
  maxSockets?: number;
  /** TLS settings (CA, client certificate) for `tcp({tls: true})`; TLS needs `sockets.connectTls`. */
  tls?: NativeTlsOptions;
}

/** Phases of a connection (one numeric state, every change through `_phase`). */
const P_IDLE = 0;
/** Waiting for the next round (retry backoff or rejoin delay). */
const P_WAIT = 1;
const P_SCAN = 2;
/** `radio.connect` issued, waiting for "associated". */
const P_JOIN = 3;
/** Associated, waiting for "connected" (an address). */
const P_DHCP = 4;
const P_UP = 5;
/** `radio.disconnect` issued, waiting for it to finish. */
const P_LEAVE = 6;

/** How specific a round's failure reason is: the most specific of its candidates wins. */
function reasonRank(r: number): number {
  return r === R_NOT_AUTHORISED ? 3 : r === R_NO_IP ? 2 : r === R_NO_LINK ? 1 : 0;
}

interface Candidate {
  e: WifiCredentialEntry;
  rssi: number;
  /** Position in the stored list (most recent first): breaks RSSI ties. */
  i: number;
}

/** Most callers waiting for one shared scan; more get `null` (no result) at once. */
export const SCAN_WAITERS_MAX = 8;

/**
 * The ESP32's own Wi-Fi as a net/ interface (`wl0`): joins the strongest visible stored network, falls
 * back to the next, reports association, address and loss; sockets go through the runtime's native
 * stack. Retries are bounded: a `connect()` call (or a link loss) runs at most `maxRounds` rounds,
 * spaced by an exponential delay with a cap that only a success or new credentials reset.
 *
 * Events (besides IfBase's "state", "link", "info"): "associated" (ssid), "disconnected"
 * ({ssid, reason: R_*, cause: radio's text}). Passwords never appear in logs or events.
 */
export class WifiInterface extends IfBase implements NetInterface {
  _radio: WifiRadio | null;
  _clock: Clock;
  _st2: Storage;
  _ns: NativeSockets;
  /** The TLS face of `_ns` (null: the runtime has no TLS). */
  _tls: TlsSockets | null;
  creds: WifiCredentials;
  _cfg: WifiIpConfig;
  _ph = P_IDLE;
  _tm: any;
  _cands: Candidate[] = [];
  _ci = 0;
  _cur?: WifiCredentialEntry | null;
  _rr = R_NONE;
  /** Rounds run in this series. */
  _n = 0;
  /** Failed rounds since the last success or credential change (sets the backoff). */
  _fails = 0;
  /** No round starts before this time (clock.now()). */
  _next = 0;
  /** Credential generation at the last failure. */
  _gen = 0;
  _link = false;
  /** Connect again once the current disconnect finishes. */
  _again = false;
  _socks: Array<NativeTcpSocket | NativeUdpSocket> = [];
  _scq: Array<(aps: WifiApInfo[] | null) => void> = [];
  _scTm: any;
  _scanTo: number;
  _joinTo: number;
  _ipTo: number;
  _base: number;
  _cap: number;
  _max: number;
  _rejoin: number;
  _maxSocks: number;
  _onEv!: (ev: string, d: any) => void;
  _onRoundScan!: (aps: WifiApInfo[] | null) => void;
  _onTimer!: () => void;
  _onScanTo!: () => void;
  _onScanDone!: (aps: any) => void;
  _onLeft!: () => void;
  _onGone!: (s: NativeTcpSocket | NativeUdpSocket) => void;

  constructor(opts: WifiInterfaceOptions) {
    super('wl0', 'wifi', opts.log);
    if (!opts.clock || !opts.storage || !opts.sockets) throw new TypeError('WifiInterface: clock, storage and sockets required');
    this._radio = opts.radio || null;
    this._clock = opts.clock;
    this._st2 = opts.storage;
    this._ns = opts.sockets;
    this._tls = hasTls(opts.sockets) ? new TlsSockets(opts.sockets, opts.tls) : null;
    this.creds = new WifiCredentials({ storage: opts.storage, log: opts.log, max: opts.maxNetworks });
    this._scanTo = opts.scanTimeoutMs || 10000;
    this._joinTo = opts.joinTimeoutMs || 20000;
    this._ipTo = opts.ipTimeoutMs || 15000;
    this._base = opts.retryBaseMs || 5000;
    this._cap = opts.retryMaxMs || 60000;
    this._max = opts.maxRounds || 5;
    this._rejoin = opts.rejoinDelayMs === undefined ? 1000 : opts.rejoinDelayMs;
    this._maxSocks = opts.maxSockets || 8;
    var c = this._st2.readJSON(WIFI_IP_FILE);
    this._cfg = c && c.dhcp === false && isIpv4(c.ip) ? c : { dhcp: true };
  }

  /**
   * Makes the callbacks the radio, the clock and the sockets get, and subscribes to the radio's events,
   * on the first scan or round: an interface that never scans or joins makes none. Radio events before
   * the first join are ignored by `_event` anyway (it acts only while joining or up).
   */
  _fns(): void {
    if (this._onTimer !== undefined) return;
    var self = this;
    this._onEv = function (ev: string, d: any) {
      self._event(ev, d);
    };
    this._onRoundScan = function (aps: WifiApInfo[] | null) {
      self._scanned(aps);
    };
    this._onTimer = function () {
      self._timeout();
    };
    this._onScanTo = function () {
      self._scanEnd(null);
    };
    this._onScanDone = function (aps: any) {
      self._scanEnd(aps || []);
    };
    this._onLeft = function () {
      self._left();
    };
    this._onGone = function (s: NativeTcpSocket | NativeUdpSocket) {
      var i = self._socks.indexOf(s);
      if (i >= 0) self._socks.splice(i, 1);
    };
    if (this._radio) this._radio.onEvent(this._onEv);
  }


  // ---- credentials (forwarded to the store; new credentials lift the retry backoff) ----

  /** Stores a network; see WifiCredentials.setCredentials. */
  setCredentials(c: WifiCredentialInput): boolean {
    return this.creds.setCredentials(c);
  }
  clearCredentials(): void {
    this.creds.clearCredentials();
  }
  hasCredentials(): boolean {
    return this.creds.hasCredentials();
  }
  getCredentials(): WifiCredentialInfo[] {
    return this.creds.getCredentials();
  }

  /** DESIGN.md §4: Wi-Fi is configured when at least one network is stored. */
  configured(): boolean {
    return this.creds.hasCredentials();
  }

  // ---- lifecycle ----

  on(): void {
    if (!this._radio) {
      this._set(IF_FAILED, R_NO_HARDWARE);
      return;
    }
    if (this._st === IF_OFF) {
      this._set(IF_POWERING_ON);
      this._set(IF_ON);
    } else if (this._st === IF_FAILED && this._ph === P_IDLE) {
      this._set(IF_ON);
    }
  }

  off(): void {
    if (this._st === IF_OFF) return;
    var joined = this._ph >= P_JOIN && this._ph <= P_UP;
    this._stop();
    this._again = false;
    this._down(E_NETDOWN);
    if (joined && this._radio) this._radio.disconnect();
    this._set(IF_POWERING_OFF);
    this._set(IF_OFF);
  }

  connect(): void {
    if (!this._radio) {
      this._set(IF_FAILED, R_NO_HARDWARE);
      return;
    }
    if (this._ph === P_LEAVE) {
      this._again = true;
      return;
    }
    if (this._ph === P_WAIT && this.creds.gen !== this._gen) {
      // New credentials while backing off: try them now.
      this._fails = 0;
      this._next = 0;
      this._gen = this.creds.gen;
      this._wait(0);
      return;
    }
    if (this._ph !== P_IDLE) return;
    if (this._st === IF_OFF) this.on();
    if (!this.creds.hasCredentials()) {
      this._log.log(LOG_WARN, this.id, 'no credentials');
      this._set(IF_FAILED, R_NO_LINK);
      return;
    }
    if (this.creds.gen !== this._gen) {
      this._fails = 0;
      this._next = 0;
    }
    this._n = 0;
    this._wait(this._next - this._clock.now());
    this._set(IF_CONNECTING);
  }

  disconnect(): void {
    var ph = this._ph;
    this._again = false;
    if (ph === P_LEAVE) return;
    if (ph === P_IDLE && this._st !== IF_READY && this._st !== IF_CONNECTING) return;
    this._stop();
    this._down(E_NETDOWN);
    this._set(IF_DISCONNECTING);
    if (ph >= P_JOIN && ph <= P_UP && this._radio) {
      this._phase(P_LEAVE);
      this._tm = this._clock.setTimeout(this._onLeft, 3000);
      this._radio.disconnect(this._onLeft);
    } else {
      this._set(IF_ON);
    }
  }

  // ---- scan and RSSI ----

  /** Scans for access points; `cb` gets the list ([] when the radio is absent or the scan timed out). */
  scan(cb: (aps: WifiApInfo[]) => void): void {
    if (typeof cb !== 'function') throw new TypeError('scan: callback required');
    this._scan(function (aps: WifiApInfo[] | null) {
      cb(aps || []);
    });
  }

  /** RSSI of the current association in dBm, undefined when not associated. */
  rssi(): number | undefined {
    if (!this._radio || !this._link) return undefined;
    var r = this._radio.getRssi();
    return typeof r === 'number' ? r : undefined;
  }

  /** Addressing, with the RSSI read fresh while associated. */
  info(): IfInfo {
    if (this._link) this._info.rssi = this.rssi();
    return this._info;
  }

  // ---- address configuration ----

  /**
   * `{dhcp: true}` or a static `{ip, netmask, gateway, dns}` (dns defaults to the gateway). Stored, and
   * applied at the next join. Throws a TypeError for an address that is not a dotted quad.
   */
  setConfig(c: { dhcp?: boolean; ip?: string; netmask?: string; gateway?: string; dns?: string }): void {
    if (!c || typeof c !== 'object') throw new TypeError('setConfig: an object is required');
    var cfg: WifiIpConfig;
    if (c.dhcp === true) {
      if (c.ip !== undefined) throw new TypeError('setConfig: dhcp and a static ip are exclusive');
      cfg = { dhcp: true };
    } else {
      var dns = c.dns === undefined ? c.gateway : c.dns;
      if (typeof c.ip !== 'string' || !isIpv4(c.ip)) throw new TypeError('setConfig: ip must be a dotted quad');
      if (typeof c.netmask !== 'string' || !isIpv4(c.netmask)) throw new TypeError('setConfig: netmask must be a dotted quad');
      if (typeof c.gateway !== 'string' || !isIpv4(c.gateway)) throw new TypeError('setConfig: gateway must be a dotted quad');
      if (typeof dns !== 'string' || !isIpv4(dns)) throw new TypeError('setConfig: dns must be a dotted quad');
      cfg = { dhcp: false, ip: c.ip, netmask: c.netmask, gateway: c.gateway, dns: dns };
    }
    this._cfg = cfg;
    if (cfg.dhcp) this._st2.erase(WIFI_IP_FILE);
    else this._st2.writeJSON(WIFI_IP_FILE, cfg);
    this._log.log(LOG_INFO, this.id, cfg.dhcp ? 'address by DHCP' : 'static address ' + cfg.ip);
  }

  /** The address configuration as set (a copy). */
  getConfig(): WifiIpConfig {
    var c = this._cfg;
    return c.dhcp ? { dhcp: true } : { dhcp: false, ip: c.ip, netmask: c.netmask, gateway: c.gateway, dns: c.dns };
  }

  // ---- sockets ----

  /** TLS through the runtime's `tls` module (Espruino on the ESP32 has it). */
  canTls(): boolean {
    return !!this._tls;
  }

  tcp(opts: TcpOptions): TcpSocket | null {
    if (!opts || typeof opts.host !== 'string' || !opts.host.length) throw new TypeError('tcp: host required');
    if (!(opts.port > 0 && opts.port < 65536)) throw new TypeError('tcp: port out of range');
    if (this._st !== IF_READY || this._socks.length >= this._maxSocks || (opts.tls && !this._tls)) return null;
    var s = new NativeTcpSocket(opts.tls ? this._tls! : this._ns, opts, this._clock, this._cnt, this._onGone);
    this._socks.push(s);
    return s;
  }

  udp(opts: UdpOptions): UdpSocket | null {
    opts = opts || {};
    if (opts.port !== undefined && !(opts.port >= 0 && opts.port < 65536)) throw new TypeError('udp: port out of range');
    if (this._st !== IF_READY || this._socks.length >= this._maxSocks) return null;
    var s = new NativeUdpSocket(this._ns, opts, this._cnt, this._onGone);
    this._socks.push(s);
    return s;
  }

  /**
   * A dotted quad is itself. A name goes to the native resolver when the sockets have one (the ESP32's
   * `Wifi.getHostByName`); otherwise it passes through unchanged and the stack resolves it at connect.
   */
  resolve(host: string, cb: (err: number, ip: string) => void): void {
    var err = typeof host !== 'string' || !host.length ? E_INVALID : this._st !== IF_READY ? E_NETDOWN : E_OK;
    if (!err && !isIpv4(host) && this._ns.resolve) {
      this._ns.resolve(host, function (ip: string | null) {
        cb(ip ? E_OK : E_DNS, ip || '');
      });
      return;
    }
    this._clock.setTimeout(function () {
      cb(err, err ? '' : host);
    }, 0);
  }

  // ---- the connection machine ----

  _phase(p: number): void {
    if (p === this._ph) return;
    this._ph = p;
    this._clock.clearTimeout(this._tm);
    this._tm = undefined;
  }

  /** Cancels whatever the machine was doing. */
  _stop(): void {
    this._phase(P_IDLE);
    this._cands = [];
    this._cur = null;
  }

  /** Waits `ms` (at least 0), then runs a round. */
  _wait(ms: number): void {
    this._fns();
    this._phase(P_WAIT);
    this._tm = this._clock.setTimeout(this._onTimer, ms > 0 ? ms : 0);
  }

  _timeout(): void {
    var ph = this._ph;
    this._tm = undefined;
    if (ph === P_WAIT) {
      // One round: scan, then try the stored networks in the order of their signal.
      this._n++;
      this._rr = R_NONE;
      this._phase(P_SCAN);
      this._set(IF_CONNECTING);
      var c = this._cfg;
      this._radio!.setIP(c.dhcp ? undefined : { ip: c.ip!, netmask: c.netmask!, gw: c.gateway! });
      this._scan(this._onRoundScan);
    } else if (ph === P_JOIN) this._candFail(R_NO_LINK, 'join timeout');
    else if (ph === P_DHCP) this._candFail(R_NO_IP, 'no address');
  }

  _scanned(aps: WifiApInfo[] | null): void {
    if (this._ph !== P_SCAN) return;
    var list = this.creds.entries();
    var cands: Candidate[] = [];
    for (var i = 0; i < list.length; i++) {
      var e = list[i];
      var best = -1000;
      var seen = false;
      if (aps) {
        for (var j = 0; j < aps.length; j++) {
          if (aps[j].ssid === e.s) {
            seen = true;
            if (aps[j].rssi > best) best = aps[j].rssi;
          }
        }
      }
      // Without a scan result every stored network is tried; hidden ones always are, last.
      if (seen || !aps || e.h) cands.push({ e: e, rssi: seen ? best : -1000, i: i });
    }
    cands.sort(function (a, b) {
      return b.rssi - a.rssi || a.i - b.i;
    });
    this._cands = cands;
    this._ci = 0;
    if (!cands.length) {
      this._log.log(LOG_INFO, this.id, 'no stored network in range');
      this._roundFail(R_NO_LINK);
    } else {
      this._join();
    }
  }

  _join(): void {
    var c = this._cands[this._ci];
    this._cur = c.e;
    this._phase(P_JOIN);
    this._tm = this._clock.setTimeout(this._onTimer, this._joinTo);
    this._log.log(LOG_INFO, this.id, 'joining "' + c.e.s + '"' + (c.rssi > -1000 ? ' (' + c.rssi + ' dBm)' : ''));
    var self = this;
    var cur = c.e;
    this._radio!.connect(cur.s, { password: cur.p }, function (err: string | null) {
      if (err && self._ph === P_JOIN && self._cur === cur) self._candFail(R_NO_LINK, String(err));
    });
  }

  /** The current candidate failed with `r`: try the next one, or end the round. */
  _candFail(r: number, cause: string): void {
    var ssid = this._cur ? this._cur.s : '';
    var joined = this._ph === P_JOIN || this._ph === P_DHCP;
    this._phase(P_IDLE);
    if (joined && this._radio) this._radio.disconnect();
    if (this._link) {
      this._link = false;
      this.events.emit('link', false);
    }
    this._log.log(LOG_WARN, this.id, 'join "' + ssid + '" failed: ' + nameAt(REASONS, r) + ' (' + cause + ')');
    this.events.emit('disconnected', { ssid: ssid, reason: r, cause: cause });
    if (reasonRank(r) > reasonRank(this._rr)) this._rr = r;
    this._ci++;
    if (this._ci < this._cands.length) this._join();
    else this._roundFail(this._rr);
  }

  /** A round failed: back off, retry while the series allows, and report failed meanwhile. */
  _roundFail(r: number): void {
    this._cands = [];
    this._cur = null;
    this._fails++;
    var d = this._base;
    for (var i = 1; i < this._fails && d < this._cap; i++) d *= 2;
    if (d > this._cap) d = this._cap;
    this._next = this._clock.now() + d;
    this._gen = this.creds.gen;
    if (this._n < this._max) {
      this._wait(d);
      this._log.log(LOG_WARN, this.id, 'connect failed (' + nameAt(REASONS, r) + '), round ' + this._n + '/' + this._max + ', next in ' + Math.round(d / 1000) + ' s');
    } else {
      this._phase(P_IDLE);
      this._log.log(LOG_WARN, this.id, 'connect failed (' + nameAt(REASONS, r) + '), giving up after ' + this._n + ' rounds');
    }
    this._set(IF_FAILED, r);
  }

  _event(ev: string, d: any): void {
    var ph = this._ph;
    var cur = this._cur;
    // Events about another network (a late one from an abandoned join) are not ours.
    if (d && d.ssid && cur && d.ssid !== cur.s && ev !== 'connected') return;
    if (ev === 'associated') {
      if (ph !== P_JOIN) return;
      this._phase(P_DHCP);
      this._tm = this._clock.setTimeout(this._onTimer, this._ipTo);
      this._link = true;
      this._log.log(LOG_INFO, this.id, 'associated with "' + (cur ? cur.s : '') + '"');
      this.events.emit('link', true);
      this.events.emit('associated', cur ? cur.s : '');
    } else if (ev === 'connected') {
      if (ph === P_JOIN || ph === P_DHCP) this._up(d);
      else if (ph === P_UP && d && d.ip && d.ip !== this._info.ip) this._address(d);
    } else if (ev === 'disconnected') {
      var k = disconnectKind(d && d.reason);
      var cause = d ? String(d.msg || d.reason) : '';
      if (ph === P_JOIN || ph === P_DHCP) {
        if (k === DK_LEAVE) return;
        this._candFail(k === DK_AUTH ? R_NOT_AUTHORISED : R_NO_LINK, cause);
      } else if (ph === P_UP) {
        this._lost(k === DK_AUTH ? R_NOT_AUTHORISED : R_NO_LINK, cause);
      }
    } else if (ev === 'dhcp_timeout') {
      if (ph === P_DHCP) this._candFail(R_NO_IP, 'dhcp timeout');
    }
  }

  /** Got an address: ready. */
  _up(d: any): void {
    this._phase(P_UP);
    this._fails = 0;
    this._next = 0;
    if (!this._link) {
      this._link = true;
      this.events.emit('link', true);
    }
    this._address(d);
    this._set(IF_READY);
  }

  _address(d: any): void {
    var c = this._cfg;
    var ip = this._radio!.getIP() || ({} as any);
    var gw = (d && d.gw) || ip.gw || c.gateway || '0.0.0.0';
    this._info = {
      ip: (d && d.ip) || ip.ip || c.ip || '0.0.0.0',
      netmask: (d && d.netmask) || ip.netmask || c.netmask || '0.0.0.0',
      gateway: gw,
      // Espruino does not report the DHCP DNS server; the gateway stands in (home routers relay DNS).
      dns: c.dhcp ? (d && d.dns) || gw : c.dns || gw,
      mac: ip.mac || '',
      rssi: this.rssi(),
    };
    this._log.log(LOG_INFO, this.id, 'address ' + this._info.ip + ' gw ' + gw);
    this.events.emit('info', this._info);
  }

  /** The link went while ready: sockets close, then a bounded series of rejoins. */
  _lost(r: number, cause: string): void {
    var ssid = this._cur ? this._cur.s : '';
    this._phase(P_IDLE);
    this._down(E_NETDOWN);
    this._log.log(LOG_WARN, this.id, 'link to "' + ssid + '" lost (' + cause + ')');
    this.events.emit('disconnected', { ssid: ssid, reason: r, cause: cause });
    this._n = 0;
    this._wait(this._rejoin);
    this._set(IF_CONNECTING);
  }

  /** Link down: sockets finish with `err`, the address goes. */
  _down(err: number): void {
    var s = this._socks.slice();
    for (var i = 0; i < s.length; i++) s[i].kill(err);
    if (this._link) {
      this._link = false;
      this.events.emit('link', false);
    }
    if (this._info.ip !== '0.0.0.0') {
      this._info = { ip: '0.0.0.0', netmask: '0.0.0.0', gateway: '0.0.0.0', dns: '0.0.0.0', mac: this._info.mac };
      this.events.emit('info', this._info);
    }
  }

  _left(): void {
    if (this._ph !== P_LEAVE) return;
    this._phase(P_IDLE);
    this._cur = null;
    this._set(IF_ON);
    if (this._again) {
      this._again = false;
      this.connect();
    }
  }

  /** Scans, sharing one radio scan among callers; `cb(null)` when it timed out. */
  _scan(cb: (aps: WifiApInfo[] | null) => void): void {
    this._fns();
    if (!this._radio) {
      this._clock.setTimeout(function () {
        cb(null);
      }, 0);
      return;
    }
    if (this._scq.length >= SCAN_WAITERS_MAX) {
      // A caller scanning in a tight loop must not grow the queue: it hears "no result" at once.
      this._clock.setTimeout(function () {
        cb(null);
      }, 0);
      return;
    }
    this._scq.push(cb);
    if (this._scq.length > 1) return;
    this._scTm = this._clock.setTimeout(this._onScanTo, this._scanTo);
    try {
      this._radio.scan(this._onScanDone);
    } catch (e) {
      this._log.log(LOG_DEBUG, this.id, 'scan refused');
      this._clock.clearTimeout(this._scTm);
      this._scTm = this._clock.setTimeout(this._onScanTo, 0);
    }
  }

  _scanEnd(aps: any[] | null): void {
    var q = this._scq;
    if (!q.length) return;
    this._scq = [];
    this._clock.clearTimeout(this._scTm);
    this._scTm = undefined;
    var list: WifiApInfo[] | null = null;
    if (aps) {
      list = [];
      for (var i = 0; i < aps.length; i++) {
        var a = aps[i];
        if (a && typeof a.ssid === 'string') {
          list.push({ ssid: a.ssid, mac: a.mac || '', authMode: a.authMode || '', channel: +a.channel || 0, rssi: +a.rssi || -100 });
        }
      }
    }
    for (var j = 0; j < q.length; j++) q[j](list);
  }
}
