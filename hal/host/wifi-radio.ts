import { Clock } from '../clock';
import { WifiRadio, WifiApInfo, WifiIpInfo } from '../wifi-radio';
import { WifiAirspace, SimNic } from '../../sim/nic';

export interface HostWifiRadioOptions {
  airspace: WifiAirspace;
  clock: Clock;
  /** Station MAC (default an Espressif-style address). */
  mac?: string;
  /** How long a scan takes (default 2 s, about what the ESP32 needs for all channels). */
  scanMs?: number;
  /** Netmask reported with a DHCP lease when the NIC cannot tell (no `lease()`; default /24). */
  netmask?: string;
}

/**
 * ESP-IDF disconnect reasons (wifi_err_reason_t) that Espruino passes in "disconnected" events as a
 * decimal string, with the name in `msg`.
 */
const REASON_ASSOC_LEAVE = '8';
const REASON_BEACON_TIMEOUT = '200';
const REASON_NO_AP_FOUND = '201';
const REASON_AUTH_FAIL = '202';
const REASON_ASSOC_FAIL = '203';

/** The airspace's association error → [reason code, name] as the ESP32 reports them. */
function reasonOf(err: string): [string, string] {
  if (err === 'wrong_password') return [REASON_AUTH_FAIL, 'AUTH_FAIL'];
  if (err === 'no_ap_found') return [REASON_NO_AP_FOUND, 'NO_AP_FOUND'];
  return [REASON_ASSOC_FAIL, 'ASSOC_FAIL'];
}

/**
 * The host's WifiRadio: Espruino's `require("Wifi")` station mode played against the simulated world's
 * access points. Events come asynchronously, as Espruino queues them: "associated" {ssid, mac, channel}
 * once the AP accepted us, "connected" {ip, netmask, gw} when the NIC gets its address (DHCP lease or the
 * static address), "disconnected" {ssid, mac, reason, msg} with ESP-IDF reason codes.
 * `nic()` is the associated SimNic, which the Wi-Fi NativeSockets (SimNicSockets) use.
 */
export class HostWifiRadio implements WifiRadio {
  _air: WifiAirspace;
  _clock: Clock;
  _mac: string;
  _scanMs: number;
  _mask: string;
  _cb: ((event: string, details: any) => void) | null = null;
  _status = 'off';
  _ssid = '';
  _apMac = '';
  _nic: SimNic | null = null;
  _unsubs: Array<() => void> = [];
  /** Bumped by every connect/disconnect: a late association result of an older one is dropped. */
  _token = 0;
  _ip: { ip: string; netmask: string; gw: string } | null = null;
  _static: { ip: string; netmask: string; gw: string } | null = null;

  constructor(opts: HostWifiRadioOptions) {
    this._air = opts.airspace;
    this._clock = opts.clock;
    this._mac = opts.mac || '24:0a:c4:00:00:01';
    this._scanMs = opts.scanMs === undefined ? 2000 : opts.scanMs;
    this._mask = opts.netmask || '255.255.255.0';
  }

  /** The SimNic of the current association, or null. */
  nic(): SimNic | null {
    return this._nic;
  }

  connect(ssid: string, options: { password?: string }, cb: (err: string | null) => void): void {
    if (typeof ssid !== 'string' || !ssid) throw new Error('No SSID provided');
    if (this._nic) this._leave(REASON_ASSOC_LEAVE, 'ASSOC_LEAVE', '');
    var token = ++this._token;
    this._status = 'connecting';
    this._ssid = ssid;
    var self = this;
    this._air.associate(ssid, (options && options.password) || '', function (err, nic) {
      self._associated(token, ssid, err, nic);
    });
    this._later(function () {
      if (cb) cb(null);
    });
  }

  disconnect(cb?: () => void): void {
    this._token++;
    if (this._nic) this._leave(REASON_ASSOC_LEAVE, 'ASSOC_LEAVE', '');
    else if (this._status === 'connecting') this._air.disassociate();
    this._status = 'off';
    if (cb) this._later(cb);
  }

  scan(cb: (aps: WifiApInfo[]) => void): void {
    var self = this;
    this._clock.setTimeout(function () {
      var list = self._air.scan();
      var out: WifiApInfo[] = [];
      for (var i = 0; i < list.length; i++) {
        var a = list[i];
        out.push({ ssid: a.ssid, mac: a.mac, authMode: a.authMode, channel: a.channel, rssi: a.rssi });
      }
      cb(out);
    }, this._scanMs);
  }

  getStatus(): { station: string } {
    return { station: this._status };
  }

  getIP(): WifiIpInfo {
    var ip = this._ip;
    return { ip: ip ? ip.ip : '0.0.0.0', netmask: ip ? ip.netmask : '0.0.0.0', gw: ip ? ip.gw : '0.0.0.0', mac: this._mac };
  }

  setIP(config: { ip: string; netmask: string; gw: string } | undefined, cb?: (err: string | null) => void): void {
    this._static = config ? { ip: config.ip, netmask: config.netmask, gw: config.gw } : null;
    if (this._static && this._nic) this._nic.setAddress(this._static.ip);
    if (cb) this._later(function () {
      cb(null);
    });
  }

  getRssi(): number | undefined {
    return this._nic ? this._air.rssi() : undefined;
  }

  onEvent(cb: (event: string, details: any) => void): void {
    this._cb = cb;
  }

  _associated(token: number, ssid: string, err: string | null, nic: SimNic | null): void {
    if (token !== this._token) {
      // A join we abandoned completed anyway: leave it, unless a newer one is on.
      if (nic && !this._nic && this._status !== 'connecting') this._air.disassociate();
      return;
    }
    if (err || !nic) {
      var r = reasonOf(err || 'connect_fail');
      this._status = err === 'wrong_password' || err === 'no_ap_found' ? err : 'connect_fail';
      this._emit('disconnected', { ssid: ssid, mac: '', reason: r[0], msg: r[1] });
      return;
    }
    this._nic = nic;
    this._status = 'connected';
    var aps = this._air.scan();
    var ch = 0;
    this._apMac = '';
    for (var i = 0; i < aps.length; i++) {
      if (aps[i].ssid === ssid) {
        this._apMac = aps[i].mac;
        ch = aps[i].channel;
        break;
      }
    }
    var self = this;
    this._unsubs.push(nic.onAddress(function (ip) {
      self._address(nic, ip);
    }));
    this._unsubs.push(nic.onLink(function (up) {
      if (!up) self._lost(nic, 'link down');
    }));
    this._unsubs.push(this._air.onLost(function (reason) {
      self._lost(nic, reason);
    }));
    this._emit('associated', { ssid: ssid, mac: this._apMac, channel: ch });
    // After the airspace has finished associating (it starts its DHCP stand-in then): a static
    // address stops that client, as Wifi.setIP stops the ESP32's.
    this._later(function () {
      if (nic !== self._nic) return;
      if (self._static) nic.setAddress(self._static.ip);
      else if (nic.address()) self._address(nic, nic.address());
    });
  }

  _address(nic: SimNic, ip: string | null): void {
    if (nic !== this._nic || !ip) return;
    var s = this._static;
    if (s && ip !== s.ip) {
      // With a static address the ESP32's DHCP client is stopped: a lease does not apply.
      nic.setAddress(s.ip);
      return;
    }
    if (this._ip && this._ip.ip === ip) return;
    var l = !s && nic.lease ? nic.lease() : null;
    this._ip = s ? { ip: s.ip, netmask: s.netmask, gw: s.gw } :
      l ? { ip: ip, netmask: l.netmask, gw: l.gateway } : { ip: ip, netmask: this._mask, gw: gatewayOf(ip) };
    var d: any = { ip: this._ip.ip, netmask: this._ip.netmask, gw: this._ip.gw };
    // Not in Espruino's event: the DNS server of the lease, when the world tells it.
    if (l && l.dns) d.dns = l.dns;
    this._emit('connected', d);
  }

  _lost(nic: SimNic, why: string): void {
    if (nic !== this._nic) return;
    this._leave(REASON_BEACON_TIMEOUT, 'BEACON_TIMEOUT', why);
    this._status = 'connect_fail';
  }

  /** Drops the association and reports it. */
  _leave(code: string, msg: string, cause: string): void {
    for (var i = 0; i < this._unsubs.length; i++) this._unsubs[i]();
    this._unsubs = [];
    this._nic = null;
    this._ip = null;
    this._air.disassociate();
    var d: any = { ssid: this._ssid, mac: this._apMac, reason: code, msg: msg };
    if (cause) d.cause = cause;
    this._emit('disconnected', d);
  }

  _emit(ev: string, d: any): void {
    var self = this;
    this._later(function () {
      if (self._cb) self._cb(ev, d);
    });
  }

  _later(fn: () => void): void {
    this._clock.setTimeout(fn, 0);
  }
}

/** The x.y.z.1 router of a /24 (the simulated Wi-Fi LAN's gateway). */
function gatewayOf(ip: string): string {
  var p = ip.split('.');
  return p[0] + '.' + p[1] + '.' + p[2] + '.1';
}
