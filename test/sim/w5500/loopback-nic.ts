/**
 * A small fake SimNic for the W5500 tests (the world's NIC is built elsewhere): one LAN with a DHCP server,
 * a DNS server, a UDP echo (port 7 on any address) and TCP services chosen by port. Everything crosses with
 * `latencyMs` of virtual time; nothing crosses while the link is down (TCP bytes wait, datagrams are lost).
 * Its DHCP and DNS encoders are written here independently of src/net's codecs.
 */
import { Clock } from '../../../hal/clock';
import { SimNic, SimTcpConn, SimTcpHandlers, SimUdpPort } from '../../../sim/nic';

export var SERVER_IP = '192.168.1.1';
export var LEASE_IP = '192.168.1.100';

/** TCP services by port. */
export var PORT_ECHO = 7;
export var PORT_SINK = 9;
export var PORT_SOURCE = 19;
export var PORT_REFUSE = 5;
export var PORT_BLACKHOLE = 6;
/** Echoes, and closes (FIN) once `closeAfter` bytes were echoed. */
export var PORT_ECHO_CLOSE = 8;
/** Accepts, then resets the connection `resetAfterMs` later. */
export var PORT_RESET = 10;

export interface DhcpSeen {
  type: number;
  dst: string;
  ciaddr: string;
  hostname: string;
  reqIp: string;
  at: number;
}

export class PeerConn {
  received: Buffer[] = [];
  rxBytes = 0;
  ended = false;
  destroyed = false;
  closed = false;
  constructor(public ip: string, public port: number, public lport: number) {}
  data(): Buffer {
    return Buffer.concat(this.received);
  }
}

function ipBytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function ipOf(b: Buffer, off: number): string {
  return b[off] + '.' + b[off + 1] + '.' + b[off + 2] + '.' + b[off + 3];
}

/** A deterministic byte pattern for source/sink checks. */
export function pattern(n: number, seed = 0): Buffer {
  var b = Buffer.alloc(n);
  for (var i = 0; i < n; i++) b[i] = (i * 7 + seed + (i >> 8)) & 0xff;
  return b;
}

export class LoopbackNic implements SimNic {
  name = 'lo-eth';
  latencyMs = 1;
  /** DHCP knobs. */
  dhcpOn = true;
  leaseS = 3600;
  t1S = -1;
  t2S = -1;
  /** Serve DHCP only to broadcasts (unicast renewals are ignored). */
  dhcpUnicast = true;
  nakRenew = false;
  giveDns = true;
  dhcpSeen: DhcpSeen[] = [];
  /** DNS knobs. */
  dnsOn = true;
  dnsTtl = 60;
  dnsDrop = 0;
  dnsQueries = 0;
  records: { [name: string]: string } = { 'cloud.example': '10.0.0.5', 'echo.example': SERVER_IP };
  /** TCP knobs. */
  sourceBytes = 100000;
  closeAfter = 1000;
  resetAfterMs = 20;
  /** The peer answers our FIN with its own (false: it never does, the close must time out). */
  finOnEnd = true;
  conns: PeerConn[] = [];
  udpEchoed = 0;
  _link = true;
  _linkCbs: Array<(up: boolean) => void> = [];
  _addr: string | null = null;
  _addrCbs: Array<(ip: string | null) => void> = [];
  _ports: { [port: number]: (ip: string, port: number, d: Buffer) => void } = {};
  _held: Array<() => void> = [];

  constructor(public clock: Clock) {}

  linkUp(): boolean {
    return this._link;
  }

  setLink(up: boolean): void {
    if (up === this._link) return;
    this._link = up;
    this._linkCbs.slice().forEach((cb) => cb(up));
    if (up) {
      var h = this._held;
      this._held = [];
      h.forEach((f) => this._later(f));
    }
  }

  onLink(cb: (up: boolean) => void): () => void {
    this._linkCbs.push(cb);
    return () => {
      var i = this._linkCbs.indexOf(cb);
      if (i >= 0) this._linkCbs.splice(i, 1);
    };
  }

  setAddress(ip: string | null): void {
    if (ip === this._addr) return;
    this._addr = ip;
    this._addrCbs.slice().forEach((cb) => cb(ip));
  }

  address(): string | null {
    return this._addr;
  }

  onAddress(cb: (ip: string | null) => void): () => void {
    this._addrCbs.push(cb);
    return () => {
      var i = this._addrCbs.indexOf(cb);
      if (i >= 0) this._addrCbs.splice(i, 1);
    };
  }

  resolve(name: string, cb: (ip: string | null) => void): void {
    this._later(() => cb(this.records[name] || null));
  }

  _later(f: () => void): void {
    this.clock.setTimeout(f, this.latencyMs);
  }

  /** Runs `f` after the latency if the link is up then; otherwise holds it (TCP) or drops it (UDP). */
  _cross(f: () => void, hold: boolean): void {
    this._later(() => {
      if (this._link) f();
      else if (hold) this._held.push(f);
    });
  }

  _toPort(port: number, srcIp: string, srcPort: number, d: Buffer): void {
    this._cross(() => {
      var h = this._ports[port];
      if (h) h(srcIp, srcPort, d);
    }, false);
  }

  udpOpen(localPort: number, onDatagram: (srcIp: string, srcPort: number, data: Buffer) => void): SimUdpPort {
    this._ports[localPort] = onDatagram;
    var self = this;
    return {
      send(dst: string, dport: number, data: Buffer) {
        if (!self._link) return;
        var d = Buffer.from(data);
        self._cross(() => self._udpIn(localPort, dst, dport, d), false);
      },
      close() {
        if (self._ports[localPort] === onDatagram) delete self._ports[localPort];
      },
    };
  }

  _udpIn(from: number, dst: string, dport: number, d: Buffer): void {
    if (dport === 67 && this.dhcpOn) this._dhcp(d, dst);
    else if (dport === 53 && dst === SERVER_IP) this._dns(from, d);
    else if (dport === 7) {
      this.udpEchoed++;
      this._toPort(from, dst, 7, d);
    }
  }

  // ---- DHCP server ----

  _dhcp(d: Buffer, dst: string): void {
    if (d.length < 240 || d[0] !== 1) return;
    var type = 0, host = '', req = '';
    for (var i = 240; i < d.length && d[i] !== 255; ) {
      if (d[i] === 0) {
        i++;
        continue;
      }
      var c = d[i], l = d[i + 1], v = d.subarray(i + 2, i + 2 + l);
      if (c === 53) type = v[0];
      if (c === 12) host = v.toString('latin1');
      if (c === 50) req = ipOf(v, 0);
      i += 2 + l;
    }
    var ciaddr = ipOf(d, 12);
    this.dhcpSeen.push({ type: type, dst: dst, ciaddr: ciaddr, hostname: host, reqIp: req, at: this.clock.now() });
    if (dst !== '255.255.255.255' && !this.dhcpUnicast) return;
    var xid = d.subarray(4, 8), ch = d.subarray(28, 44);
    var reply = 0;
    if (type === 1) reply = 2;
    else if (type === 3) reply = ciaddr !== '0.0.0.0' && this.nakRenew ? 6 : 5;
    if (!reply) return;
    var o: number[] = [53, 1, reply, 54, 4].concat(ipBytes(SERVER_IP));
    if (reply !== 6) {
      var L = this.leaseS;
      o = o.concat([51, 4, (L >>> 24) & 255, (L >>> 16) & 255, (L >>> 8) & 255, L & 255], [1, 4, 255, 255, 255, 0], [3, 4].concat(ipBytes(SERVER_IP)));
      if (this.giveDns) o = o.concat([6, 4], ipBytes(SERVER_IP));
      if (this.t1S >= 0) o = o.concat([58, 4, 0, 0, (this.t1S >> 8) & 255, this.t1S & 255]);
      if (this.t2S >= 0) o = o.concat([59, 4, 0, 0, (this.t2S >> 8) & 255, this.t2S & 255]);
    }
    o.push(255);
    var r = Buffer.alloc(240 + o.length);
    r[0] = 2;
    r[1] = 1;
    r[2] = 6;
    xid.copy(r, 4);
    if (reply !== 6) Buffer.from(ipBytes(LEASE_IP)).copy(r, 16);
    Buffer.from(ipBytes(SERVER_IP)).copy(r, 20);
    ch.copy(r, 28);
    Buffer.from([99, 130, 83, 99]).copy(r, 236);
    Buffer.from(o).copy(r, 240);
    this._toPort(68, SERVER_IP, 67, r);
  }

  // ---- DNS server ----

  _dns(from: number, d: Buffer): void {
    this.dnsQueries++;
    if (!this.dnsOn) return;
    if (this.dnsDrop > 0) {
      this.dnsDrop--;
      return;
    }
    var labels: string[] = [];
    var i = 12;
    while (d[i]) {
      labels.push(d.subarray(i + 1, i + 1 + d[i]).toString('latin1'));
      i += 1 + d[i];
    }
    var q = d.subarray(12, i + 5);
    var ip = this.records[labels.join('.').toLowerCase()];
    var hdr = Buffer.from([d[0], d[1], 0x81, ip ? 0x80 : 0x83, 0, 1, 0, ip ? 1 : 0, 0, 0, 0, 0]);
    var parts = [hdr, q];
    if (ip) {
      var t = this.dnsTtl;
      parts.push(Buffer.from([0xc0, 12, 0, 1, 0, 1, (t >>> 24) & 255, (t >>> 16) & 255, (t >>> 8) & 255, t & 255, 0, 4].concat(ipBytes(ip))));
    }
    this._toPort(from, SERVER_IP, 53, Buffer.concat(parts));
  }

  // ---- TCP ----

  tcpConnect(dstIp: string, dstPort: number, localPort: number, h: SimTcpHandlers): SimTcpConn {
    var pc = new PeerConn(dstIp, dstPort, localPort);
    this.conns.push(pc);
    var self = this;
    var dead = false;
    var finish = (why: 'closed' | 'reset' | 'refused' | 'timeout') => {
      if (dead) return;
      dead = true;
      pc.closed = true;
      h.onClose(why);
    };
    var toDevice = (d: Buffer) => self._cross(() => !dead && h.onData(d), true);
    var peerEnd = () => {
      self._cross(() => {
        if (dead) return;
        h.onEnd();
        if (pc.ended) finish('closed');
      }, true);
    };
    var peerFin = false;
    if (dstPort === PORT_REFUSE) this._cross(() => finish('refused'), true);
    else if (dstPort !== PORT_BLACKHOLE) {
      this._cross(() => {
        if (dead) return;
        h.onConnect();
        if (dstPort === PORT_RESET) self.clock.setTimeout(() => finish('reset'), self.resetAfterMs);
        if (dstPort === PORT_SOURCE) {
          var all = pattern(this.sourceBytes);
          for (var o = 0; o < all.length; o += 1460) toDevice(all.subarray(o, o + 1460));
          peerFin = true;
          peerEnd();
        }
      }, true);
    }
    return {
      write(data: Buffer) {
        if (dead) return;
        var d = Buffer.from(data);
        self._cross(() => {
          if (dead) return;
          pc.received.push(d);
          pc.rxBytes += d.length;
          if (dstPort === PORT_ECHO || dstPort === PORT_ECHO_CLOSE) {
            if (peerFin) return;
            var echo = d;
            if (dstPort === PORT_ECHO_CLOSE && pc.rxBytes >= self.closeAfter) {
              echo = d.subarray(0, d.length - (pc.rxBytes - self.closeAfter));
              peerFin = true;
            }
            if (echo.length) toDevice(Buffer.from(echo));
            if (peerFin) peerEnd();
          }
        }, true);
      },
      end() {
        if (dead || pc.ended) return;
        pc.ended = true;
        self._cross(() => {
          if (dead) return;
          if (!peerFin) {
            if (!self.finOnEnd) return;
            peerFin = true;
            peerEnd();
          } else finish('closed');
        }, true);
      },
      destroy() {
        if (dead) return;
        pc.destroyed = true;
        dead = true;
        pc.closed = true;
      },
    };
  }
}
