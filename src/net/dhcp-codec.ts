/**
 * DHCP message codec (RFC 2131 / RFC 2132). Messages are binary strings (one char per byte).
 * Pure functions only: the client state machine lives in dhcp-client.ts.
 */
import { ipToBytes, bytesToIp } from './ip';

/** BOOTP op codes. */
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;

/** DHCP message types (option 53). */
export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;

/** Option codes used here. */
export const OPT_SUBNET = 1;
export const OPT_ROUTER = 3;
export const OPT_DNS = 6;
export const OPT_HOSTNAME = 12;
export const OPT_REQ_IP = 50;
export const OPT_LEASE = 51;
export const OPT_MSG_TYPE = 53;
export const OPT_SERVER_ID = 54;
export const OPT_PARAMS = 55;
export const OPT_MAX_SIZE = 57;
export const OPT_T1 = 58;
export const OPT_T2 = 59;
export const OPT_CLIENT_ID = 61;

/** Broadcast flag (bit 15 of flags): ask the server to broadcast replies (we have no address yet). */
export const FLAG_BROADCAST = 0x8000;

/** Magic cookie 99.130.83.99. */
var COOKIE = '\x63\x82\x53\x63';
/** Fixed header length before the cookie. */
var HDR = 236;

/** A DHCP message. Addresses are dotted quads; options are raw binary strings keyed by code. */
export interface DhcpMessage {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Client hardware address: 6 raw bytes. */
  chaddr: string;
  /** Option 53 (0 when absent). */
  type: number;
  opts: { [code: number]: string };
}

function u16(v: number): string {
  return String.fromCharCode((v >> 8) & 0xff, v & 0xff);
}

function u32(v: number): string {
  return String.fromCharCode((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** Encodes a message (BOOTP header, cookie, option 53 first, the others, END, padded to 300 bytes). */
export function encodeDhcp(m: DhcpMessage): string {
  var s = String.fromCharCode(m.op, 1, 6, 0) + u32(m.xid) + u16(m.secs) + u16(m.flags) +
    ipToBytes(m.ciaddr) + ipToBytes(m.yiaddr) + ipToBytes(m.siaddr) + ipToBytes(m.giaddr);
  var ch = m.chaddr.substr(0, 16);
  while (ch.length < 16) ch += '\x00';
  s += ch + new Array(193).join('\x00') + COOKIE;
  if (m.type) s += String.fromCharCode(OPT_MSG_TYPE, 1, m.type);
  for (var k in m.opts) {
    var code = +k, v = m.opts[code];
    if (code === OPT_MSG_TYPE || code <= 0 || code >= 255) continue;
    while (v.length > 255) {
      s += String.fromCharCode(code, 255) + v.substr(0, 255);
      v = v.substr(255);
    }
    s += String.fromCharCode(code, v.length) + v;
  }
  s += '\xff';
  while (s.length < 300) s += '\x00';
  return s;
}

/** Decodes a message; null when it is truncated, lacks the cookie, or has a malformed option. */
export function decodeDhcp(s: string): DhcpMessage | null {
  if (s.length < HDR + 4 || s.substr(HDR, 4) !== COOKIE) return null;
  var c = function (i: number) {
    return s.charCodeAt(i);
  };
  var m: DhcpMessage = {
    op: c(0),
    xid: ((c(4) << 24) >>> 0) + (c(5) << 16) + (c(6) << 8) + c(7),
    secs: (c(8) << 8) | c(9),
    flags: (c(10) << 8) | c(11),
    ciaddr: bytesToIp(s, 12),
    yiaddr: bytesToIp(s, 16),
    siaddr: bytesToIp(s, 20),
    giaddr: bytesToIp(s, 24),
    chaddr: s.substr(28, c(2) > 16 ? 16 : c(2)),
    type: 0,
    opts: {},
  };
  var i = HDR + 4;
  while (i < s.length) {
    var code = c(i);
    if (code === 255) break;
    if (code === 0) {
      i++;
      continue;
    }
    if (i + 1 >= s.length) return null;
    var len = c(i + 1);
    if (i + 2 + len > s.length) return null;
    var v = s.substr(i + 2, len);
    m.opts[code] = m.opts[code] !== undefined ? m.opts[code] + v : v;
    i += 2 + len;
  }
  var t = m.opts[OPT_MSG_TYPE];
  if (t && t.length === 1) m.type = t.charCodeAt(0);
  return m;
}

/** Option `code` as a dotted quad (its first 4 bytes), or '' when absent or short. */
export function optIp(m: DhcpMessage, code: number): string {
  var v = m.opts[code];
  return v && v.length >= 4 ? bytesToIp(v, 0) : '';
}

/** Option `code` as a list of dotted quads. */
export function optIps(m: DhcpMessage, code: number): string[] {
  var v = m.opts[code], r: string[] = [];
  if (v) for (var i = 0; i + 4 <= v.length; i += 4) r.push(bytesToIp(v, i));
  return r;
}

/** Option `code` as an unsigned 32-bit number, or -1 when absent or short. */
export function optU32(m: DhcpMessage, code: number): number {
  var v = m.opts[code];
  if (!v || v.length < 4) return -1;
  return ((v.charCodeAt(0) << 24) >>> 0) + (v.charCodeAt(1) << 16) + (v.charCodeAt(2) << 8) + v.charCodeAt(3);
}

/** A 32-bit number as a 4-byte option value. */
export function u32Opt(v: number): string {
  return u32(v);
}

/** A 16-bit number as a 2-byte option value. */
export function u16Opt(v: number): string {
  return u16(v);
}
