import { Storage } from '../../../hal/storage';
import { Log, NULL_LOG, LOG_INFO, LOG_WARN } from '../../../hal/log';
import { inList } from '../../util/names';

/** Security types accepted by `setCredentials` (Espruino's authMode names, plus WPA3), comma-separated. */
export var WIFI_SECURITY = 'open,wep,wpa,wpa2,wpa_wpa2,wpa3';

/** Networks kept by default (Particle keeps 5). */
export const WIFI_CRED_MAX = 5;
/** Longest SSID (802.11). */
export const WIFI_SSID_MAX = 32;
/** Longest passphrase (WPA: 63 characters or 64 hex digits). */
export const WIFI_PASSWORD_MAX = 64;

/** Storage file of the credential list (a JSON array, most recently set first). */
export const WIFI_CRED_FILE = 'wl0.cred';

/** What `setCredentials` takes (Particle's object form). */
export interface WifiCredentialInput {
  ssid: string;
  password?: string;
  /** One of WIFI_SECURITY; 'wpa2' when a password is given, else 'open'. */
  security?: string;
  /** Join even when a scan does not show the SSID (hidden network). */
  hidden?: boolean;
}

/** A stored network as `getCredentials` returns it: never the password. */
export interface WifiCredentialInfo {
  ssid: string;
  security: string;
  hidden: boolean;
}

/** A stored network as kept in Storage (short keys: s ssid, p password, k security, h hidden). */
export interface WifiCredentialEntry {
  s: string;
  p: string;
  k: string;
  h?: number;
}

/** True when every character of `s` is a hex digit. */
function isHex(s: string): boolean {
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i) | 32;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * The Wi-Fi credential store: up to `max` networks in Storage, same SSID replaces, the oldest drops out
 * when full. Passwords go only to Storage and to the radio, never to logs, events or `getCredentials`.
 */
export class WifiCredentials {
  _st: Storage;
  _log: Log;
  _max: number;
  /** Bumped on every change; the interface uses it to retry at once after new credentials. */
  gen = 0;

  constructor(opts: { storage: Storage; log?: Log; max?: number }) {
    if (!opts || !opts.storage) throw new TypeError('WifiCredentials: storage required');
    this._st = opts.storage;
    this._log = opts.log || NULL_LOG;
    this._max = opts.max && opts.max > 0 ? opts.max : WIFI_CRED_MAX;
  }

  /**
   * Stores a network (replacing one with the same SSID; dropping the oldest when full). Throws a
   * TypeError for a missing or too long SSID or password or an unknown security. Returns false when
   * Storage refused the write.
   */
  setCredentials(c: WifiCredentialInput): boolean {
    if (!c || typeof c !== 'object') throw new TypeError('setCredentials: an object {ssid, password, security} is required');
    var ssid = c.ssid;
    if (typeof ssid !== 'string' || !ssid.length) throw new TypeError('setCredentials: ssid required');
    if (ssid.length > WIFI_SSID_MAX) throw new TypeError('setCredentials: ssid longer than ' + WIFI_SSID_MAX);
    var pw = c.password === undefined || c.password === null ? '' : c.password;
    if (typeof pw !== 'string') throw new TypeError('setCredentials: password must be a string');
    if (pw.length > WIFI_PASSWORD_MAX) throw new TypeError('setCredentials: password longer than ' + WIFI_PASSWORD_MAX);
    var sec = c.security === undefined || c.security === null ? (pw.length ? 'wpa2' : 'open') : c.security;
    if (typeof sec !== 'string' || !inList(WIFI_SECURITY, sec.toLowerCase())) {
      throw new TypeError('setCredentials: unknown security (one of ' + WIFI_SECURITY.split(',').join(', ') + ')');
    }
    sec = sec.toLowerCase();
    if (sec === 'open') {
      if (pw.length) throw new TypeError('setCredentials: password given for an open network');
    } else if (sec === 'wep') {
      var l = pw.length;
      if (!(l === 5 || l === 13 || ((l === 10 || l === 26) && isHex(pw)))) {
        throw new TypeError('setCredentials: a WEP key has 5 or 13 characters or 10 or 26 hex digits');
      }
    } else if (pw.length < 8 || (pw.length === 64 && !isHex(pw))) {
      throw new TypeError('setCredentials: a WPA passphrase has 8 to 63 characters or 64 hex digits');
    }
    var list = this._load();
    for (var i = 0; i < list.length; i++) {
      if (list[i].s === ssid) {
        list.splice(i, 1);
        break;
      }
    }
    var e: WifiCredentialEntry = { s: ssid, p: pw, k: sec };
    if (c.hidden) e.h = 1;
    list.unshift(e);
    if (list.length > this._max) list.splice(this._max, list.length - this._max);
    if (!this._st.writeJSON(WIFI_CRED_FILE, list)) {
      this._log.log(LOG_WARN, 'wl0', 'credentials not stored (storage full)');
      return false;
    }
    this.gen++;
    this._log.log(LOG_INFO, 'wl0', 'credentials stored for "' + ssid + '" (' + sec + ')');
    return true;
  }

  /** Forgets every stored network. */
  clearCredentials(): void {
    this._st.erase(WIFI_CRED_FILE);
    this.gen++;
    this._log.log(LOG_INFO, 'wl0', 'credentials cleared');
  }

  /** True when at least one network is stored. */
  hasCredentials(): boolean {
    return this._load().length > 0;
  }

  /** The stored networks without their passwords, most recently set first. */
  getCredentials(): WifiCredentialInfo[] {
    var list = this._load();
    var out: WifiCredentialInfo[] = [];
    for (var i = 0; i < list.length; i++) out.push({ ssid: list[i].s, security: list[i].k, hidden: !!list[i].h });
    return out;
  }

  /** The full entries, passwords included: for the interface that hands them to the radio. */
  entries(): WifiCredentialEntry[] {
    return this._load();
  }

  _load(): WifiCredentialEntry[] {
    var v = this._st.readJSON(WIFI_CRED_FILE);
    if (!v || typeof v.length !== 'number') return [];
    var out: WifiCredentialEntry[] = [];
    for (var i = 0; i < v.length; i++) {
      var e = v[i];
      if (e && typeof e.s === 'string' && typeof e.p === 'string' && typeof e.k === 'string') out.push(e);
    }
    return out;
  }
}
