/** DHCP wire format (RFC 2131 / RFC 2132), for the world's server and its stand-in clients. */

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;

/** BOOTP op codes. */
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;

/** Option 53 message types. */
export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;
export const DHCPINFORM = 8;
export const DHCP_TYPE_NAMES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

/** Option codes used here. */
export const OPT_SUBNET_MASK = 1;
export const OPT_ROUTER = 3;
export const OPT_DNS = 6;
export const OPT_HOSTNAME = 12;
export const OPT_REQUESTED_IP = 50;
export const OPT_LEASE_TIME = 51;
export const OPT_MSG_TYPE = 53;
export const OPT_SERVER_ID = 54;
export const OPT_PARAM_LIST = 55;
export const OPT_MESSAGE = 56;
export const OPT_T1 = 58;
export const OPT_T2 = 59;
export const OPT_CLIENT_ID = 61;
export const OPT_END = 255;
export const OPT_PAD = 0;

/** The broadcast bit of `flags`. */
export const FLAG_BROADCAST = 0x8000;

const MAGIC = 0x63825363;
/** BOOTP messages are at least this long (RFC 951); shorter ones are padded. */
const MIN_LEN = 300;

export interface DhcpMessage {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Client hardware address "aa:bb:cc:dd:ee:ff". */
  chaddr: string;
  /** Options by code, raw values (use the helpers below). */
  options: { [code: number]: Buffer };
}

/** An empty message of the given kind. */
export function dhcpMessage(op: number, type: number, xid: number, chaddr: string): DhcpMessage {
  var m: DhcpMessage = { op: op, xid: xid >>> 0, secs: 0, flags: 0, ciaddr: '0.0.0.0', yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0', chaddr: chaddr, options: {} };
  m.options[OPT_MSG_TYPE] = Buffer.from([type]);
  return m;
}

/** The option 53 message type, or 0. */
export function dhcpType(m: DhcpMessage): number {
  var o = m.options[OPT_MSG_TYPE];
  return o && o.length ? o[0] : 0;
}

export function ipBuf(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

export function bufIp(b: Buffer, off?: number): string {
  var o = off || 0;
  return b[o] + '.' + b[o + 1] + '.' + b[o + 2] + '.' + b[o + 3];
}

export function u32Buf(n: number): Buffer {
  var b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/** An option holding one address, or null. */
export function optIp(m: DhcpMessage, code: number): string | null {
  var o = m.options[code];
  return o && o.length >= 4 ? bufIp(o) : null;
}

/** An option holding a list of addresses. */
export function optIps(m: DhcpMessage, code: number): string[] {
  var o = m.options[code];
  var out: string[] = [];
  if (o) for (var i = 0; i + 4 <= o.length; i += 4) out.push(bufIp(o, i));
  return out;
}

/** An option holding a 32-bit number, or null. */
export function optU32(m: DhcpMessage, code: number): number | null {
  var o = m.options[code];
  return o && o.length >= 4 ? o.readUInt32BE(0) : null;
}

export function encodeDhcp(m: DhcpMessage): Buffer {
  var h = Buffer.alloc(240);
  h[0] = m.op;
  h[1] = 1; // htype: Ethernet
  h[2] = 6; // hlen
  h[3] = 0; // hops
  h.writeUInt32BE(m.xid >>> 0, 4);
  h.writeUInt16BE(m.secs, 8);
  h.writeUInt16BE(m.flags, 10);
  ipBuf(m.ciaddr).copy(h, 12);
  ipBuf(m.yiaddr).copy(h, 16);
  ipBuf(m.siaddr).copy(h, 20);
  ipBuf(m.giaddr).copy(h, 24);
  Buffer.from(m.chaddr.split(':').map(function (x) { return parseInt(x, 16); })).copy(h, 28);
  h.writeUInt32BE(MAGIC, 236);
  var parts: Buffer[] = [h];
  // Message type first (RFC 2131 does not require it, but every stack does it).
  var codes = Object.keys(m.options).map(Number).sort(function (a, b) {
    return a === OPT_MSG_TYPE ? -1 : b === OPT_MSG_TYPE ? 1 : a - b;
  });
  for (var i = 0; i < codes.length; i++) {
    var v = m.options[codes[i]];
    parts.push(Buffer.from([codes[i], v.length]), v);
  }
  parts.push(Buffer.from([OPT_END]));
  var out = Buffer.concat(parts);
  if (out.length < MIN_LEN) out = Buffer.concat([out, Buffer.alloc(MIN_LEN - out.length)]);
  return out;
}

/** Parses a DHCP message; null when it is not one. */
export function decodeDhcp(b: Buffer): DhcpMessage | null {
  if (b.length < 240 || b.readUInt32BE(236) !== MAGIC) return null;
  var mac: string[] = [];
  for (var i = 0; i < 6; i++) mac.push((b[28 + i] < 16 ? '0' : '') + b[28 + i].toString(16));
  var m: DhcpMessage = {
    op: b[0], xid: b.readUInt32BE(4), secs: b.readUInt16BE(8), flags: b.readUInt16BE(10),
    ciaddr: bufIp(b, 12), yiaddr: bufIp(b, 16), siaddr: bufIp(b, 20), giaddr: bufIp(b, 24), chaddr: mac.join(':'), options: {},
  };
  var off = 240;
  while (off < b.length) {
    var code = b[off];
    if (code === OPT_END) break;
    if (code === OPT_PAD) {
      off++;
      continue;
    }
    if (off + 1 >= b.length) return null;
    var len = b[off + 1];
    if (off + 2 + len > b.length) return null;
    m.options[code] = Buffer.from(b.subarray(off + 2, off + 2 + len));
    off += 2 + len;
  }
  return dhcpType(m) ? m : null;
}
