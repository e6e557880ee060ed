/**
 * Fuzzing the DHCP and DNS codecs and clients: random datagrams, valid replies (matching the client's
 * transaction), truncated and mutated ones.
 *
 * Properties: the decoders never throw; what they return is well-formed; the clients never throw, stay
 * in one of their states, report only dotted-quad addresses, call each resolve callback exactly once and
 * keep their cache and timers bounded.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { UdpOptions, UdpSocket } from '../../src/net/interface';
import { isIpv4 } from '../../src/net/ip';
import {
  decodeDhcp, encodeDhcp, DhcpMessage, BOOTREPLY, DHCPOFFER, DHCPACK, DHCPNAK,
  OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_LEASE, OPT_SERVER_ID, OPT_T1, OPT_T2,
} from '../../src/net/dhcp-codec';
import { decodeDns, answerA, encodeName, readName } from '../../src/net/dns-codec';
import { DhcpClient, D_OFF, D_REBINDING } from '../../src/net/dhcp-client';
import { DnsClient } from '../../src/net/dns-client';
import { E_OK } from '../../src/net/types';
import { params, binary, bin, count } from './fuzz-config';

/** A UDP socket factory whose datagrams the property answers. */
function udpRig() {
  var r = {
    open: null as UdpOptions | null,
    sent: [] as string[],
    factory: function (o: UdpOptions): UdpSocket | null {
      r.open = o;
      var live = true;
      return {
        send: function (d: string) { if (live) r.sent.push(d); return live; },
        close: function () { live = false; if (r.open === o) r.open = null; },
      };
    },
    reply: function (d: string, host: string) {
      if (r.open && r.open.onMessage) r.open.onMessage(d, host, 67);
    },
  };
  return r;
}

/** Mutations of a valid datagram: truncation, flipped bytes, appended junk. */
function mutate(s: string, how: number, at: number[], v: number[]): string {
  if (how === 0) return s;
  if (how === 1) return s.substr(0, at[0] % (s.length + 1));
  if (how === 2) {
    var a = s.split('');
    for (var i = 0; i < at.length && a.length; i++) a[at[i] % a.length] = String.fromCharCode(v[i % v.length] & 255);
    return a.join('');
  }
  return s + bin(v);
}
var mutation = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }));

var u32 = fc.oneof(fc.constantFrom(0, 1, 30, 3600, 0xffffffff, 0x7fffffff), fc.nat());
var ip = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(function (t) { return t.join('.'); });
function be32(n: number): string {
  return String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}
function ipB(s: string): string {
  return s.split('.').map(function (x) { return String.fromCharCode(+x); }).join('');
}
/** A server reply for transaction `xid` with random addressing and options (some short or absent). */
var dhcpReply = fc.record({
  type: fc.constantFrom(DHCPOFFER, DHCPACK, DHCPNAK, 0, 7),
  yiaddr: fc.oneof(ip, fc.constant('192.168.1.100'), fc.constant('0.0.0.0')),
  lease: fc.option(u32), t1: fc.option(u32), t2: fc.option(u32),
  subnet: fc.option(fc.oneof(ip.map(ipB), binary(3))), router: fc.option(fc.oneof(ip.map(ipB), binary(6))),
  dns: fc.option(fc.oneof(fc.array(ip, { maxLength: 3 }).map(function (a) { return a.map(ipB).join(''); }), binary(7))),
  srv: fc.option(ip),
  xidOk: fc.boolean(), macOk: fc.boolean(),
});

var MAC = '\x02\x08\xdc\x01\x02\x03';

function dhcpMsg(r: any, xid: number): string {
  var m: DhcpMessage = { op: BOOTREPLY, xid: r.xidOk ? xid : (xid + 1) >>> 0, secs: 0, flags: 0, ciaddr: '0.0.0.0', yiaddr: r.yiaddr,
    siaddr: '0.0.0.0', giaddr: '0.0.0.0', chaddr: r.macOk ? MAC : '\x00\x00\x00\x00\x00\x01', type: r.type, opts: {} };
  if (r.lease !== null) m.opts[OPT_LEASE] = be32(r.lease);
  if (r.t1 !== null) m.opts[OPT_T1] = be32(r.t1);
  if (r.t2 !== null) m.opts[OPT_T2] = be32(r.t2);
  if (r.subnet !== null) m.opts[OPT_SUBNET] = r.subnet;
  if (r.router !== null) m.opts[OPT_ROUTER] = r.router;
  if (r.dns !== null) m.opts[OPT_DNS] = r.dns;
  if (r.srv !== null) m.opts[OPT_SERVER_ID] = ipB(r.srv);
  return encodeDhcp(m);
}

/** A DNS response for (id, name) with random records (A of any length, CNAME, loops, compression pointers). */
var record = fc.record({
  name: fc.constantFrom('cloud.sim', 'alias.sim', 'other.sim', ''),
  type: fc.constantFrom(1, 1, 5, 28, 0),
  ttl: u32,
  data: fc.oneof(ip.map(ipB), binary(8), fc.constantFrom('a.b', '10.0.0.1', '\x01.\x02\x03\x04'), fc.constantFrom('cloud.sim', 'alias.sim').map(encodeName), fc.constant('\xc0\x0c'), fc.constant('\xc0\xff')),
});
var dnsReply = fc.record({
  idOk: fc.boolean(), qr: fc.boolean(), rcode: fc.constantFrom(0, 0, 2, 3, 5),
  qname: fc.constantFrom('cloud.sim', 'CLOUD.SIM', 'other.sim', ''),
  qd: fc.integer({ min: 0, max: 2 }), an: fc.option(fc.integer({ min: 0, max: 70000 })),
  answers: fc.array(record, { maxLength: 4 }),
});

function dnsMsg(r: any, id: number): string {
  var i = r.idOk ? id : (id + 1) & 0xffff;
  var an = r.an === null ? r.answers.length : r.an;
  var s = String.fromCharCode((i >> 8) & 255, i & 255, r.qr ? 0x81 : 0x01, 0x80 | r.rcode, 0, r.qd, (an >> 8) & 255, an & 255, 0, 0, 0, 0);
  for (var q = 0; q < r.qd; q++) s += (r.qname ? encodeName(r.qname) : '\x00') + '\x00\x01\x00\x01';
  for (var k = 0; k < r.answers.length; k++) {
    var a = r.answers[k];
    s += (a.name ? encodeName(a.name) : '\x00') + String.fromCharCode(0, a.type, 0, 1) + be32(a.ttl) + String.fromCharCode(a.data.length >> 8, a.data.length & 255) + a.data;
  }
  return s;
}

describe('fuzz: DHCP and DNS', function () {
  it('decodeDhcp never throws on random or mutated datagrams and returns well-formed messages', function () {
    fc.assert(fc.property(fc.oneof(binary(400), fc.tuple(dhcpReply, fc.nat(), mutation).map(function (t) { return mutate(dhcpMsg(t[0], t[1]), t[2][0], t[2][1], t[2][2]); })), function (d) {
      count('dhcp');
      var m = decodeDhcp(d);
      if (!m) return;
      assert.ok(isIpv4(m.yiaddr) && isIpv4(m.ciaddr) && isIpv4(m.siaddr) && isIpv4(m.giaddr));
      assert.ok(m.chaddr.length <= 16);
      for (var k in m.opts) assert.equal(typeof m.opts[k], 'string');
    }), params(1000));
  });

  it('decodeDns, readName and answerA never throw and answer only dotted quads', function () {
    fc.assert(fc.property(fc.oneof(binary(300), fc.tuple(dnsReply, fc.nat(65535), mutation).map(function (t) { return mutate(dnsMsg(t[0], t[1]), t[2][0], t[2][1], t[2][2]); })), fc.nat(300), function (d, off) {
      count('dns');
      readName(d, off);
      var m = decodeDns(d);
      if (!m) return;
      assert.ok(m.answers.length <= d.length, 'more answers than bytes');
      var a = answerA(m, 'cloud.sim');
      if (a) assert.ok(isIpv4(a.ip), 'answerA gave ' + JSON.stringify(a.ip));
    }), params(1000));
  });

  it('the DHCP client survives any reply stream, bounded, and binds only to dotted quads', function () {
    var step = fc.oneof(
      { arbitrary: fc.tuple(dhcpReply, mutation).map(function (t) { return { r: t[0], m: t[1] }; }), weight: 5 },
      { arbitrary: binary(320).map(function (b) { return { raw: b }; }), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 4000000 }).map(function (ms) { return { wait: ms }; }), weight: 2 },
      { arbitrary: fc.constant({ restart: true }), weight: 1 },
    );
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), function (steps: any[]) {
      var clock = new VirtualClock(0);
      var u = udpRig();
      var bound = 0;
      var c = new DhcpClient({ clock: clock, mac: MAC, hostname: 'dev', udp: u.factory, retryMs: 1000,
        onBound: function (l) {
          bound++;
          assert.ok(isIpv4(l.ip) && l.ip !== '0.0.0.0' && isIpv4(l.netmask) && isIpv4(l.gateway), 'lease ' + JSON.stringify(l));
          for (var i = 0; i < l.dns.length; i++) assert.ok(isIpv4(l.dns[i]));
          assert.ok(l.t1S <= l.t2S && l.t2S <= l.leaseS, 'lease times ' + l.t1S + ' ' + l.t2S + ' ' + l.leaseS);
        } });
      c.start();
      for (var i = 0; i < steps.length; i++) {
        var s = steps[i];
        var last = u.sent.length ? decodeDhcp(u.sent[u.sent.length - 1]) : null;
        var xid = last ? last.xid : 0;
        count('dhcp');
        if (s.r) u.reply(mutate(dhcpMsg(s.r, xid), s.m[0], s.m[1], s.m[2]), '192.168.1.1');
        else if (s.raw !== undefined) u.reply(s.raw, '192.168.1.1');
        else if (s.wait !== undefined) clock.advance(s.wait);
        else c.start('192.168.1.100');
        assert.ok(c.state() >= D_OFF && c.state() <= D_REBINDING);
        assert.ok(clock.pending() <= 1, 'DHCP timers: ' + clock.pending());
      }
      c.stop();
      assert.equal(clock.pending(), 0);
      assert.equal(u.open, null, 'socket left open after stop');
      void bound;
    }), params(300, 0.15));
  });

  it('the DNS client calls back exactly once with a dotted quad or an error, cache bounded', function () {
    var step = fc.oneof(
      { arbitrary: fc.tuple(dnsReply, mutation).map(function (t) { return { r: t[0], m: t[1] }; }), weight: 5 },
      { arbitrary: binary(200).map(function (b) { return { raw: b }; }), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 10000 }).map(function (ms) { return { wait: ms }; }), weight: 2 },
      { arbitrary: fc.constantFrom('cloud.sim', 'alias.sim', 'CLOUD.SIM.', 'bad..name', '1.2.3.4').map(function (n) { return { ask: n }; }), weight: 2 },
    );
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), function (steps: any[]) {
      var clock = new VirtualClock(0);
      var u = udpRig();
      var d = new DnsClient({ clock: clock, udp: u.factory, servers: function () { return ['198.51.100.53']; }, cacheMax: 3, timeoutMs: 1000 });
      var asked = 0;
      var answered = 0;
      var ask = function (name: string) {
        asked++;
        var done = false;
        d.resolve(name, function (err, ip) {
          assert.ok(!done, 'callback called twice');
          done = true;
          answered++;
          if (err === E_OK) assert.ok(isIpv4(ip), 'resolved to ' + JSON.stringify(ip));
          else assert.equal(ip, '');
        });
      };
      ask('cloud.sim');
      for (var i = 0; i < steps.length; i++) {
        var s = steps[i];
        var last = u.sent.length ? u.sent[u.sent.length - 1] : '';
        var id = last.length >= 2 ? (last.charCodeAt(0) << 8) | last.charCodeAt(1) : 0;
        count('dns');
        if (s.r) u.reply(mutate(dnsMsg(s.r, id), s.m[0], s.m[1], s.m[2]), '198.51.100.53');
        else if (s.raw !== undefined) u.reply(s.raw, '198.51.100.53');
        else if (s.wait !== undefined) clock.advance(s.wait);
        else ask(s.ask);
        assert.ok(d._c.length <= 3, 'cache ' + d._c.length);
        assert.ok(d._q.length <= 4, 'queries ' + d._q.length);
      }
      clock.advance(60000);
      assert.equal(answered, asked, 'answered ' + answered + ' of ' + asked);
      assert.equal(clock.pending(), 0);
    }), params(300, 0.15));
  });
});
