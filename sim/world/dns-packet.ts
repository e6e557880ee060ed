/** DNS wire format (RFC 1035), the subset the world needs: A queries and answers, NXDOMAIN. */

export const DNS_PORT = 53;
export const TYPE_A = 1;
export const TYPE_AAAA = 28;
export const CLASS_IN = 1;
export const RCODE_OK = 0;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;

export interface DnsQuestion {
  name: string;
  type: number;
  cls: number;
}

export interface DnsAnswer {
  name: string;
  type: number;
  cls: number;
  ttl: number;
  /** Dotted quad for A records; raw bytes otherwise. */
  data: string | Buffer;
}

export interface DnsMessage {
  id: number;
  /** Response (QR bit). */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsAnswer[];
}

/** A standard recursive query for `name`. */
export function dnsQuery(id: number, name: string, type?: number): Buffer {
  return encodeDns({ id: id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0, questions: [{ name: name, type: type || TYPE_A, cls: CLASS_IN }], answers: [] });
}

export function encodeDns(m: DnsMessage): Buffer {
  var parts: Buffer[] = [];
  var h = Buffer.alloc(12);
  h.writeUInt16BE(m.id & 0xffff, 0);
  var f = (m.qr ? 0x8000 : 0) | ((m.opcode & 15) << 11) | (m.aa ? 0x400 : 0) | (m.tc ? 0x200 : 0) | (m.rd ? 0x100 : 0) | (m.ra ? 0x80 : 0) | (m.rcode & 15);
  h.writeUInt16BE(f, 2);
  h.writeUInt16BE(m.questions.length, 4);
  h.writeUInt16BE(m.answers.length, 6);
  parts.push(h);
  for (var i = 0; i < m.questions.length; i++) {
    var q = m.questions[i];
    parts.push(encodeName(q.name));
    var t = Buffer.alloc(4);
    t.writeUInt16BE(q.type, 0);
    t.writeUInt16BE(q.cls, 2);
    parts.push(t);
  }
  for (var j = 0; j < m.answers.length; j++) {
    var a = m.answers[j];
    var rdata = typeof a.data === 'string' ? Buffer.from(a.data.split('.').map(Number)) : a.data;
    // Name compression: point at the first question's name when it is the same.
    var nm = m.questions.length && m.questions[0].name.toLowerCase() === a.name.toLowerCase() ? Buffer.from([0xc0, 12]) : encodeName(a.name);
    var r = Buffer.alloc(10);
    r.writeUInt16BE(a.type, 0);
    r.writeUInt16BE(a.cls, 2);
    r.writeUInt32BE(a.ttl >>> 0, 4);
    r.writeUInt16BE(rdata.length, 8);
    parts.push(nm, r, rdata);
  }
  return Buffer.concat(parts);
}

/** Parses a DNS message; null when it is malformed. */
export function decodeDns(b: Buffer): DnsMessage | null {
  try {
    if (b.length < 12) return null;
    var f = b.readUInt16BE(2);
    var qd = b.readUInt16BE(4);
    var an = b.readUInt16BE(6);
    var m: DnsMessage = {
      id: b.readUInt16BE(0), qr: !!(f & 0x8000), opcode: (f >> 11) & 15, aa: !!(f & 0x400), tc: !!(f & 0x200),
      rd: !!(f & 0x100), ra: !!(f & 0x80), rcode: f & 15, questions: [], answers: [],
    };
    var off = 12;
    for (var i = 0; i < qd; i++) {
      var n = readName(b, off);
      off = n.next;
      m.questions.push({ name: n.name, type: b.readUInt16BE(off), cls: b.readUInt16BE(off + 2) });
      off += 4;
    }
    for (var j = 0; j < an; j++) {
      var nn = readName(b, off);
      off = nn.next;
      var type = b.readUInt16BE(off);
      var cls = b.readUInt16BE(off + 2);
      var ttl = b.readUInt32BE(off + 4);
      var len = b.readUInt16BE(off + 8);
      off += 10;
      if (off + len > b.length) return null;
      var rd = b.subarray(off, off + len);
      off += len;
      m.answers.push({ name: nn.name, type: type, cls: cls, ttl: ttl, data: type === TYPE_A && len === 4 ? rd[0] + '.' + rd[1] + '.' + rd[2] + '.' + rd[3] : Buffer.from(rd) });
    }
    return m;
  } catch (e) {
    return null;
  }
}

function encodeName(name: string): Buffer {
  var out: number[] = [];
  var labels = name.replace(/\.$/, '').split('.');
  for (var i = 0; i < labels.length; i++) {
    var l = Buffer.from(labels[i], 'ascii');
    if (!l.length) continue;
    if (l.length > 63) throw new Error('DNS label too long: ' + labels[i]);
    out.push(l.length);
    for (var k = 0; k < l.length; k++) out.push(l[k]);
  }
  out.push(0);
  return Buffer.from(out);
}

function readName(b: Buffer, off: number): { name: string; next: number } {
  var labels: string[] = [];
  var next = -1;
  var hops = 0;
  for (;;) {
    var len = b[off];
    if (len === undefined) throw new Error('truncated name');
    if ((len & 0xc0) === 0xc0) {
      if (next < 0) next = off + 2;
      off = ((len & 0x3f) << 8) | b[off + 1];
      if (++hops > 16) throw new Error('pointer loop');
      continue;
    }
    if (len === 0) {
      if (next < 0) next = off + 1;
      break;
    }
    labels.push(b.toString('ascii', off + 1, off + 1 + len));
    off += 1 + len;
  }
  return { name: labels.join('.'), next: next };
}
