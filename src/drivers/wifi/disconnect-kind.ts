/**
 * Classifies the `reason` of a Wifi "disconnected" event. On the ESP32 Espruino passes the ESP-IDF
 * reason code as a decimal string ("202") with its name in `msg` ("AUTH_FAIL"); the HAL statuses
 * ("wrong_password", "no_ap_found") are accepted too.
 */

import { inList } from '../../util/names';

/** Any other cause: the link was lost or the join failed for a reason the station cannot fix. */
export const DK_OTHER = 0;
/** Authentication failed: wrong password (or key type). */
export const DK_AUTH = 1;
/** The access point was not found. */
export const DK_NO_AP = 2;
/** The station left by itself (our own `disconnect`). */
export const DK_LEAVE = 3;

/**
 * ESP-IDF wifi_err_reason_t codes by kind: 14 MIC_FAILURE, 15 4WAY_HANDSHAKE_TIMEOUT,
 * 23 802_1X_AUTH_FAILED, 202 AUTH_FAIL, 204 HANDSHAKE_TIMEOUT; 201 NO_AP_FOUND,
 * 210-212 NO_AP_FOUND_(W_COMPATIBLE_SECURITY|IN_AUTHMODE_THRESHOLD|IN_RSSI_THRESHOLD); 8 ASSOC_LEAVE.
 */
var AUTH_CODES = '14,15,23,202,204';
var NO_AP_CODES = '201,210,211,212';
var AUTH_NAMES = 'wrong_password,auth_fail,4way_handshake_timeout,handshake_timeout,mic_failure,802_1x_auth_failed';

/** The DK_* kind of a disconnect reason (code string, number or name; case-insensitive names). */
export function disconnectKind(reason: any): number {
  if (reason === undefined || reason === null) return DK_OTHER;
  var s = String(reason);
  var n = parseInt(s, 10);
  if (s.length && n === n && String(n) === s) {
    if (inList(AUTH_CODES, s)) return DK_AUTH;
    if (inList(NO_AP_CODES, s)) return DK_NO_AP;
    return n === 8 ? DK_LEAVE : DK_OTHER;
  }
  s = s.toLowerCase();
  if (inList(AUTH_NAMES, s)) return DK_AUTH;
  if (s === 'no_ap_found') return DK_NO_AP;
  return s === 'assoc_leave' ? DK_LEAVE : DK_OTHER;
}
