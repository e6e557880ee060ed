import { SimNic, WifiAirspace } from '../nic';
import { NetCore } from './core';
import { AccessNetwork } from './access-network';
import { DhcpClient } from './dhcp-client';
import { WorldNic } from './world-nic';

/** One access point. */
export interface ApConfig {
  ssid: string;
  /** Pre-shared key; '' for an open network. */
  password?: string;
  /** Espruino's names: 'open' | 'wep' | 'wpa' | 'wpa2' | 'wpa_wpa2' | 'wpa3'. Default 'wpa2', or 'open' without a password. */
  authMode?: string;
  /** BSSID; default derived from the SSID's position. */
  mac?: string;
  channel?: number;
  /** dBm, default -55. */
  rssi?: number;
  /** Time from associate() to the result, ms (default 1500). */
  associationDelayMs?: number;
  /** The LAN behind it (default 'wifi'). Several APs may share one. */
  lan?: string;
  /** In the air now (default true). */
  present?: boolean;
  /** Refuses stations (association fails with 'connect_fail'). */
  refuse?: boolean;
}

export interface AirspaceOptions {
  aps: ApConfig[];
  /** An AP that vanishes is noticed after this (ESP32: beacon timeout), ms. Default 6000. */
  beaconTimeoutMs: number;
  /** associate() for an SSID that is not there fails after this (the scan), ms. Default 3000. */
  noApDelayMs: number;
  /** DHCP retry base of the stand-in for the ESP32's DHCP client, ms. Default 4000. */
  dhcpRetryMs: number;
}

type Ap = Required<Omit<ApConfig, 'lan'>> & { lan: string };

/**
 * The access points around the device, as the Wi-Fi radio model (hal/host WifiRadio) sees them: scan,
 * associate (after the AP's association delay: wrong password, no AP, refused, or the NIC with carrier),
 * then an address a DHCP exchange later through `onAddress` (a stand-in for the ESP32's built-in DHCP
 * client; it stops when someone sets a static address). An AP that disappears leaves the station
 * transmitting into nothing until the beacon timeout, then `onLost('beacon_timeout')`.
 */
export class Airspace implements WifiAirspace {
  readonly nic: WorldNic;
  private _core: NetCore;
  private _lanOf: (name: string) => AccessNetwork;
  private _o: AirspaceOptions;
  private _aps: Ap[] = [];
  private _current: Ap | null = null;
  private _token = 0;
  private _pending: any = null;
  private _beaconTimer: any = null;
  private _lostCbs: Array<(reason: string) => void> = [];
  private _dhcp: DhcpClient | null = null;

  constructor(core: NetCore, nic: WorldNic, lanOf: (name: string) => AccessNetwork, opts?: Partial<AirspaceOptions>) {
    this._core = core;
    this.nic = nic;
    this._lanOf = lanOf;
    this._o = { aps: [], beaconTimeoutMs: 6000, noApDelayMs: 3000, dhcpRetryMs: 4000 };
    var o = opts || {};
    if (o.beaconTimeoutMs !== undefined) this._o.beaconTimeoutMs = o.beaconTimeoutMs;
    if (o.noApDelayMs !== undefined) this._o.noApDelayMs = o.noApDelayMs;
    if (o.dhcpRetryMs !== undefined) this._o.dhcpRetryMs = o.dhcpRetryMs;
    var aps = o.aps || [];
    for (var i = 0; i < aps.length; i++) this.addAp(aps[i], true);
    var self = this;
    nic.link.onChange(function (p, changed) {
      if (changed.indexOf('up') >= 0 && !p.up && self._current) self._lose('link_down');
    });
    nic.onExternalAddress = function () {
      // A static address: the ESP32 stops its DHCP client.
      if (self._dhcp) {
        self._dhcp.stop(false, true);
        self._dhcp = null;
      }
    };
  }

  // ---- WifiAirspace ----

  scan(): Array<{ ssid: string; mac: string; authMode: string; channel: number; rssi: number }> {
    if (!this.nic.link.up) return [];
    return this._aps.filter(function (a) {
      return a.present;
    }).sort(function (a, b) {
      return b.rssi - a.rssi;
    }).map(function (a) {
      return { ssid: a.ssid, mac: a.mac, authMode: a.authMode, channel: a.channel, rssi: a.rssi };
    });
  }

  associate(ssid: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void {
    this._cancelPending();
    if (this._current) this._leave();
    var token = ++this._token;
    var ap = this._best(ssid);
    var self = this;
    this._core.log.add('wifi', 'associate ' + ssid);
    this._pending = this._core.clock.setTimeout(function () {
      self._pending = null;
      if (token !== self._token) return;
      var a = self._best(ssid);
      var err: string | null = null;
      if (!a || !self.nic.link.up) err = 'no_ap_found';
      else if (a.refuse) err = 'connect_fail';
      else if (a.authMode !== 'open' && password !== a.password) err = 'wrong_password';
      if (err || !a) {
        self._core.log.add('wifi', 'associate ' + ssid + ' failed: ' + err);
        cb(err, null);
        return;
      }
      self._current = a;
      self.nic.attach(self._lanOf(a.lan));
      self._core.log.add('wifi', 'associated ' + ssid + ' ' + a.mac + ' rssi ' + a.rssi);
      cb(null, self.nic);
      if (self._current === a) self._startDhcp();
    }, ap ? ap.associationDelayMs : this._o.noApDelayMs);
  }

  disassociate(): void {
    this._cancelPending();
    this._token++;
    if (this._current) {
      this._core.log.add('wifi', 'disassociated ' + this._current.ssid);
      this._leave();
    }
  }

  onLost(cb: (reason: string) => void): () => void {
    var ls = this._lostCbs;
    ls.push(cb);
    return function () {
      var i = ls.indexOf(cb);
      if (i >= 0) ls.splice(i, 1);
    };
  }

  rssi(): number | undefined {
    return this._current ? this._current.rssi : undefined;
  }

  // ---- control (tests, scenarios) ----

  /** The SSID the station is associated with, or null. */
  associated(): string | null {
    return this._current ? this._current.ssid : null;
  }

  /** Adds an access point (or replaces the one with the same SSID and BSSID). */
  addAp(cfg: ApConfig, quiet?: boolean): void {
    if (!cfg || typeof cfg.ssid !== 'string' || !cfg.ssid) throw new TypeError('wifi: an AP needs an ssid');
    var n = this._aps.length + 1;
    var pw = cfg.password || '';
    var ap: Ap = {
      ssid: cfg.ssid, password: pw, authMode: cfg.authMode || (pw ? 'wpa2' : 'open'),
      mac: cfg.mac || '24:0a:c4:00:00:' + (n < 16 ? '0' : '') + n.toString(16), channel: cfg.channel || 6,
      rssi: cfg.rssi === undefined ? -55 : cfg.rssi, associationDelayMs: cfg.associationDelayMs === undefined ? 1500 : cfg.associationDelayMs,
      lan: cfg.lan || 'wifi', present: cfg.present === undefined ? true : cfg.present, refuse: !!cfg.refuse,
    };
    this._lanOf(ap.lan);
    for (var i = 0; i < this._aps.length; i++) {
      if (this._aps[i].ssid === ap.ssid && this._aps[i].mac === ap.mac) {
        this._aps[i] = ap;
        return;
      }
    }
    this._aps.push(ap);
    if (!quiet) this._core.log.add('wifi', 'ap added ' + ap.ssid);
  }

  /** Changes the APs with this SSID (rssi, password, present, refuse, associationDelayMs, …). */
  setAp(ssid: string, p: Partial<ApConfig>): void {
    var hit = false;
    for (var i = 0; i < this._aps.length; i++) {
      var a = this._aps[i];
      if (a.ssid !== ssid) continue;
      hit = true;
      for (var k in p) if ((p as any)[k] !== undefined && k !== 'ssid') (a as any)[k] = (p as any)[k];
    }
    if (!hit) throw new Error('wifi: no AP ' + ssid);
    var parts: string[] = [];
    for (var k2 in p) parts.push(k2 + '=' + (k2 === 'password' ? '***' : (p as any)[k2]));
    this._core.log.add('wifi', 'ap ' + ssid + ' ' + parts.join(' '));
    this._checkCurrent();
  }

  /** The AP appears (again). */
  apUp(ssid: string): void {
    this.setAp(ssid, { present: true });
  }

  /** The AP disappears: the associated station notices at the beacon timeout. */
  apDown(ssid: string): void {
    this.setAp(ssid, { present: false });
  }

  /** Access point settings (copies). */
  aps(): ApConfig[] {
    return this._aps.map(function (a) {
      return Object.assign({}, a);
    });
  }

  private _best(ssid: string): Ap | null {
    var best: Ap | null = null;
    for (var i = 0; i < this._aps.length; i++) {
      var a = this._aps[i];
      if (a.present && a.ssid === ssid && (!best || a.rssi > best.rssi)) best = a;
    }
    return best;
  }

  private _checkCurrent(): void {
    var a = this._current;
    if (!a) return;
    if (!a.present && !this._beaconTimer) {
      this.nic.blackhole = true;
      var self = this;
      this._beaconTimer = this._core.clock.setTimeout(function () {
        self._beaconTimer = null;
        self._lose('beacon_timeout');
      }, this._o.beaconTimeoutMs);
    } else if (a.present && this._beaconTimer) {
      this._core.clock.clearTimeout(this._beaconTimer);
      this._beaconTimer = null;
      this.nic.blackhole = false;
    }
  }

  private _startDhcp(): void {
    var nic = this.nic;
    this._dhcp = new DhcpClient({
      nic: nic, mac: nic.mac, clock: this._core.clock, log: this._core.log, rng: this._core.rng.fork('dhcp:' + nic.name + ':' + this._token),
      retryMs: this._o.dhcpRetryMs, hostname: 'espressif',
      assign: function (ip) {
        nic.assignAddress(ip);
      },
    });
    this._dhcp.start();
  }

  private _lose(reason: string): void {
    if (!this._current) return;
    this._core.log.add('wifi', 'lost ' + this._current.ssid + ' ' + reason);
    // Listeners hear the reason before the carrier drops (so "link down" does not mask it).
    var ls = this._lostCbs.slice();
    for (var i = 0; i < ls.length; i++) ls[i](reason);
    if (this._current) this._leave();
  }

  private _leave(): void {
    if (this._beaconTimer) this._core.clock.clearTimeout(this._beaconTimer);
    this._beaconTimer = null;
    if (this._dhcp) this._dhcp.stop(false, true);
    this._dhcp = null;
    this._current = null;
    this.nic.assignAddress(null);
    this.nic.detach();
  }

  private _cancelPending(): void {
    if (this._pending) this._core.clock.clearTimeout(this._pending);
    this._pending = null;
  }
}
