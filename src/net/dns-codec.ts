/**
 * DNS message codec (RFC 1035): A-record queries and the answers to them. Binary strings, pure functions.
 */

export const DNS_PORT = 53;
/** Record types and class. */
export const TYPE_A = 1;
export const TYPE_CNAME = 5;
export const CLASS_IN = 1;
/** Response codes. */
export const RCODE_OK = 0;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;

/** Compression pointers followed per name before a message counts as malformed. */
var MAX_JUMPS = 16;

/** One resource record. `data` is raw rdata, except A (dotted quad) and CNAME (a name). */
export interface DnsRecord {
  name: string;
  type: number;
  cls: number;
  ttl: number;
  data: string;
}

export interface DnsMessage {
  id: number;
  flags: number;
  /** Response code (flags & 15). */
  rcode: number;
  /** The first question's name ('' when none). */
  qname: string;
  answers: DnsRecord[];
}

/** True when `name` can be encoded: labels of 1–63 characters, at most 253 in all. */
export function validName(name: string): boolean {
  if (!name || name.length > 253) return false;
  var p = name.split('.');
  for (var i = 0; i < p.length; i++) {
    if (!p[i].length) {
      if (i === p.length - 1 && i > 0) continue;
      return false;
    }
    if (p[i].length > 63) return false;
  }
  return true;
}

/** Encodes `name` as labels (a trailing dot is allowed). */
export function encodeName(name: string): string {
  var p = name.split('.'), s = '';
  for (var i = 0; i < p.length; i++) if (p[i].length) s += String.fromCharCode(p[i].length) + p[i];
  return s + '\x00';
}

/** A standard recursive query (RD set) for `name`, type `qtype`. */
export function encodeQuery(id: number, name: string, qtype: number): string {
  return String.fromCharCode((id >> 8) & 0xff, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0) +
    encodeName(name) + String.fromCharCode(0, qtype, 0, CLASS_IN);
}

/**
 * Reads the (possibly compressed) name at `off`. Returns [name, offset after it in the original place],
 * or null when it runs past the end or loops.
 */
export function readName(s: string, off: number): [string, number] | null {
  var name = '', end = -1, jumps = 0;
  for (;;) {
    if (off >= s.length) return null;
    var len = s.charCodeAt(off);
    if (len === 0) {
      if (end < 0) end = off + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= s.length || ++jumps > MAX_JUMPS) return null;
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | s.charCodeAt(off + 1);
      continue;
    }
    if (len > 63 || off + 1 + len > s.length) return null;
    name += (name ? '.' : '') + s.substr(off + 1, len);
    off += 1 + len;
  }
  return [name, end];
}

/** Decodes a response; null when malformed. Only the answer section is kept. */
export function decodeDns(s: string): DnsMessage | null {
  if (s.length < 12) return null;
  var c = function (i: number) {
    return s.charCodeAt(i);
  };
  var flags = (c(2) << 8) | c(3);
  var qd = (c(4) << 8) | c(5), an = (c(6) << 8) | c(7);
  var m: DnsMessage = { id: (c(0) << 8) | c(1), flags: flags, rcode: flags & 15, qname: '', answers: [] };
  var off = 12;
  for (var i = 0; i < qd; i++) {
    var q = readName(s, off);
    if (!q || q[1] + 4 > s.length) return null;
    if (i === 0) m.qname = q[0];
    off = q[1] + 4;
  }
  for (var j = 0; j < an; j++) {
    var r = readName(s, off);
    if (!r || r[1] + 10 > s.length) return null;
    off = r[1];
    var type = (c(off) << 8) | c(off + 1);
    var ttl = ((c(off + 4) << 24) >>> 0) + (c(off + 5) << 16) + (c(off + 6) << 8) + c(off + 7);
    var rdlen = (c(off + 8) << 8) | c(off + 9);
    off += 10;
    if (off + rdlen > s.length) return null;
    var data = s.substr(off, rdlen);
    if (type === TYPE_A) {
      // An A record of any other length is malformed: no address (its raw bytes could hold a ".").
      data = rdlen === 4 ? c(off) + '.' + c(off + 1) + '.' + c(off + 2) + '.' + c(off + 3) : '';
    } else if (type === TYPE_CNAME) {
      var cn = readName(s, off);
      data = cn ? cn[0] : '';
    }
    m.answers.push({ name: r[0], type: type, cls: (c(off - 8) << 8) | c(off - 7), ttl: ttl, data: data });
    off += rdlen;
  }
  return m;
}

/**
 * The address for `name` in a response: follows CNAMEs (bounded) and returns the A record's address and
 * TTL, or null.
 */
export function answerA(m: DnsMessage, name: string): { ip: string; ttl: number } | null {
  var want = name.toLowerCase();
  if (want.charAt(want.length - 1) === '.') want = want.substr(0, want.length - 1);
  var ttl = -1;
  for (var hop = 0; hop < 8; hop++) {
    var next = '';
    for (var i = 0; i < m.answers.length; i++) {
      var a = m.answers[i];
      if (a.name.toLowerCase() !== want) continue;
      if (a.type === TYPE_A && a.data.indexOf('.') > 0) {
        return { ip: a.data, ttl: ttl < 0 || a.ttl < ttl ? a.ttl : ttl };
      }
      if (a.type === TYPE_CNAME && a.data) {
        next = a.data.toLowerCase();
        if (ttl < 0 || a.ttl < ttl) ttl = a.ttl;
      }
    }
    if (!next) return null;
    want = next;
  }
  return null;
}
