import { WifiRadio, WifiApInfo, WifiIpInfo } from '../wifi-radio';

/** Espruino's Wifi events the driver listens to, comma-separated (split only when a Wifi module is there). */
var WIFI_EVENTS = 'associated,connected,disconnected,auth_change,dhcp_timeout';

/**
 * Espruino's station status → the HAL's. The ESP8266 reports the HAL names itself; the ESP32 reports
 * "connected" or the ESP-IDF name of the last disconnect reason ("AUTH_FAIL", "NO_AP_FOUND", ...).
 */
export function stationStatus(s: any): string {
  if (typeof s !== 'string') return 'off';
  var l = s.toLowerCase();
  if (l === 'connected' || l === 'connecting' || l === 'off' || l === 'wrong_password' || l === 'no_ap_found' ||
    l === 'connect_fail') return l;
  if (l === 'idle') return 'off';
  if (l.indexOf('no_ap_found') === 0) return 'no_ap_found';
  if (l === 'auth_fail' || l === '4way_handshake_timeout' || l === 'handshake_timeout' || l === 'mic_failure' ||
    l === '802_1x_auth_failed') return 'wrong_password';
  if (l === 'assoc_leave' || l === 'unknown reason' || l === 'unspecified') return 'off';
  return 'connect_fail';
}

/**
 * The WifiRadio of the board: Espruino's built-in `require("Wifi")` in station mode. Its sockets are
 * Espruino's own `net`/`dgram` (never NetworkJS). When the runtime has no Wifi module (Espruino on Linux,
 * boards without Wi-Fi), `present` is false and every call reports failure instead of throwing.
 */
export class EspruinoWifiRadio implements WifiRadio {
  /** The Wifi module, or null when absent. */
  _w: any;
  present: boolean;
  _cb: ((event: string, details: any) => void) | null = null;
  /** Set between connect() and the first association result (the ESP32 does not report "connecting"). */
  _joining = false;

  /** `wifi` replaces `require("Wifi")` (for tests). */
  constructor(wifi?: any) {
    var w = wifi;
    if (!w) {
      try {
        w = require('Wifi');
      } catch (e) {
        w = null;
      }
    }
    this._w = w && typeof w.connect === 'function' ? w : null;
    this.present = !!this._w;
    if (!this._w) return;
    var evs = WIFI_EVENTS.split(',');
    for (var i = 0; i < evs.length; i++) this._w.on(evs[i], this._relay(evs[i]));
  }

  _relay(ev: string): (d: any) => void {
    var self = this;
    return function (d: any) {
      if (ev === 'associated' || ev === 'disconnected' || ev === 'connected') self._joining = false;
      if (self._cb) self._cb(ev, d);
    };
  }

  connect(ssid: string, options: { password?: string }, cb: (err: string | null) => void): void {
    if (!this._w) {
      cb('no wifi');
      return;
    }
    try {
      // Espruino's callback fires only once an address arrived; the driver follows the events instead.
      this._w.connect(ssid, { password: (options && options.password) || '' });
      this._joining = true;
      cb(null);
    } catch (e) {
      cb('connect refused');
    }
  }

  disconnect(cb?: () => void): void {
    this._joining = false;
    if (!this._w) {
      if (cb) cb();
      return;
    }
    try {
      this._w.disconnect(cb || function () {});
    } catch (e) {
      if (cb) cb();
    }
  }

  scan(cb: (aps: WifiApInfo[]) => void): void {
    if (!this._w) {
      cb([]);
      return;
    }
    // The ESP32 calls back with the list, the ESP8266 with (err, list) in some builds.
    this._w.scan(function (a: any, b: any) {
      var l = a && typeof a.length === 'number' ? a : b && typeof b.length === 'number' ? b : [];
      var out: WifiApInfo[] = [];
      for (var i = 0; i < l.length; i++) {
        var x = l[i];
        out.push({ ssid: x.ssid, mac: x.mac, authMode: x.authMode, channel: +x.channel || 0, rssi: +x.rssi });
      }
      cb(out);
    });
  }

  getStatus(): { station: string } {
    if (!this._w) return { station: 'off' };
    var s: any;
    try {
      s = this._w.getStatus();
    } catch (e) {
      s = null;
    }
    var st = stationStatus(s && s.station);
    return { station: st !== 'connected' && this._joining ? 'connecting' : st };
  }

  getIP(): WifiIpInfo {
    var r: any = null;
    if (this._w) {
      try {
        r = this._w.getIP();
      } catch (e) {
        r = null;
      }
    }
    r = r || {};
    return { ip: r.ip || '0.0.0.0', netmask: r.netmask || '0.0.0.0', gw: r.gw || '0.0.0.0', mac: r.mac || '' };
  }

  setIP(config: { ip: string; netmask: string; gw: string } | undefined, cb?: (err: string | null) => void): void {
    // Wifi.setIP stops the DHCP client; Espruino has no call that restarts it, so undefined (DHCP) only
    // takes effect after a reset. The ESP32's callback argument is unreliable (inverted in some builds).
    if (!config) {
      if (cb) cb(null);
      return;
    }
    if (!this._w || typeof this._w.setIP !== 'function') {
      if (cb) cb('setIP unsupported');
      return;
    }
    try {
      this._w.setIP({ ip: config.ip, netmask: config.netmask, gw: config.gw }, function () {
        if (cb) cb(null);
      });
    } catch (e) {
      if (cb) cb('setIP refused');
    }
  }

  getRssi(): number | undefined {
    if (!this._w) return undefined;
    try {
      // The ESP32 reports the RSSI in getStatus() while connected, the ESP8266 in getDetails().
      var s = this._w.getStatus();
      if (s && typeof s.rssi === 'number') return s.rssi;
      if (typeof this._w.getDetails === 'function') {
        var d = this._w.getDetails();
        if (d && typeof d.rssi === 'number') return d.rssi;
      }
    } catch (e) {
      // no association
    }
    return undefined;
  }

  onEvent(cb: (event: string, details: any) => void): void {
    this._cb = cb;
  }
}
