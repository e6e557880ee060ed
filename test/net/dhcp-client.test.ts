import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { DhcpClient, DhcpLease, D_SELECTING, D_REQUESTING, D_BOUND, D_RENEWING, D_REBINDING, D_OFF } from '../../src/net/dhcp-client';
import { encodeDhcp, decodeDhcp, DhcpMessage, optIp, DHCPOFFER, DHCPACK, DHCPNAK, DHCPDISCOVER, DHCPREQUEST } from '../../src/net/dhcp-codec';
import { FakeUdp } from './dhcp-dns-fake-udp';

var MAC = '\x02\x00\x00\x0a\x0b\x0c';
var SRV = '10.0.0.1';

function u32(v: number): string {
  return String.fromCharCode((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

function mk(extra?: object) {
  var clock = new VirtualClock(0);
  var udp = new FakeUdp();
  var bound: Array<[DhcpLease, boolean]> = [];
  var lost = 0;
  var c = new DhcpClient(Object.assign({
    clock: clock, mac: MAC, hostname: 'dev1', udp: udp.factory, retryMs: 2000, maxRetryMs: 8000,
    onBound: (l: DhcpLease, r: boolean) => bound.push([l, r]), onLost: () => lost++,
  }, extra || {}));
  return { clock, udp, c, bound, lost: () => lost };
}

function last(udp: FakeUdp): DhcpMessage {
  return decodeDhcp(udp.sent[udp.sent.length - 1].data)!;
}

/** A server reply to the last request. */
function answer(udp: FakeUdp, type: number, leaseS = 100, o?: { [k: number]: string }, xid?: number) {
  var q = last(udp);
  var opts: { [k: number]: string } = { 54: '\x0a\x00\x00\x01', 51: u32(leaseS), 1: '\xff\xff\xff\x00', 3: '\x0a\x00\x00\x01', 6: '\x0a\x00\x00\x02' };
  Object.assign(opts, o || {});
  var m: DhcpMessage = {
    op: 2, xid: xid === undefined ? q.xid : xid, secs: 0, flags: 0, ciaddr: '0.0.0.0', yiaddr: '10.0.0.50', siaddr: SRV,
    giaddr: '0.0.0.0', chaddr: q.chaddr, type: type, opts: opts,
  };
  udp.reply(encodeDhcp(m), SRV, 67);
}

function bind(t: ReturnType<typeof mk>, leaseS = 100, o?: { [k: number]: string }) {
  t.c.start();
  answer(t.udp, DHCPOFFER, leaseS, o);
  answer(t.udp, DHCPACK, leaseS, o);
}

describe('DhcpClient', function () {
  it('opens port 68 and broadcasts a DISCOVER with client id, host name and parameter list', function () {
    var t = mk();
    t.c.start();
    assert.equal(t.udp.opened[0].port, 68);
    var s = t.udp.sent[0];
    assert.deepEqual([s.host, s.port], ['255.255.255.255', 67]);
    var m = last(t.udp);
    assert.equal(m.type, DHCPDISCOVER);
    assert.equal(m.flags, 0x8000);
    assert.equal(m.opts[61], '\x01' + MAC);
    assert.equal(m.opts[12], 'dev1');
    assert.equal(m.opts[55], '\x01\x03\x06\x33\x3a\x3b');
    assert.equal(t.c.state(), D_SELECTING);
  });

  it('asks for a preferred address in DISCOVER (option 50)', function () {
    var t = mk();
    t.c.start('10.0.0.77');
    assert.equal(optIp(last(t.udp), 50), '10.0.0.77');
  });

  it('answers an OFFER with a broadcast REQUEST naming the address and the server', function () {
    var t = mk();
    t.c.start();
    answer(t.udp, DHCPOFFER);
    var m = last(t.udp);
    assert.equal(m.type, DHCPREQUEST);
    assert.equal(optIp(m, 50), '10.0.0.50');
    assert.equal(optIp(m, 54), SRV);
    assert.equal(t.udp.sent[1].host, '255.255.255.255');
    assert.equal(t.c.state(), D_REQUESTING);
  });

  it('binds on ACK: the lease, T1/T2 defaults of 1/2 and 7/8, and closes its socket', function () {
    var t = mk();
    bind(t, 1000);
    assert.equal(t.c.state(), D_BOUND);
    var l = t.bound[0][0];
    assert.deepEqual([l.ip, l.netmask, l.gateway, l.dns, l.server, l.leaseS, l.t1S, l.t2S],
      ['10.0.0.50', '255.255.255.0', SRV, ['10.0.0.2'], SRV, 1000, 500, 875]);
    assert.equal(t.bound[0][1], false);
    assert.equal(t.udp.open, null);
  });

  it('takes T1 and T2 from options 58 and 59', function () {
    var t = mk();
    bind(t, 1000, { 58: u32(100), 59: u32(200) });
    assert.deepEqual([t.bound[0][0].t1S, t.bound[0][0].t2S], [100, 200]);
  });

  it('ignores replies with another xid or another hardware address', function () {
    var t = mk();
    t.c.start();
    answer(t.udp, DHCPOFFER, 100, {}, 12345);
    assert.equal(t.c.state(), D_SELECTING);
    var q = last(t.udp);
    q.chaddr = '\x02\x00\x00\x00\x00\x01';
    t.udp.sent.push({ data: encodeDhcp(q), host: '', port: 0 });
    answer(t.udp, DHCPOFFER);
    assert.equal(t.c.state(), D_SELECTING);
  });

  it('retransmits DISCOVER with exponential backoff, capped', function () {
    var t = mk();
    t.c.start();
    var at: number[] = [];
    for (var i = 0; i < 5; i++) {
      var n = t.udp.sent.length;
      t.clock.runUntil(() => t.udp.sent.length > n, 60000);
      at.push(t.clock.now());
    }
    assert.deepEqual(at, [2000, 6000, 14000, 22000, 30000]);
  });

  it('gives up a silent REQUEST after three tries and discovers again', function () {
    var t = mk();
    t.c.start();
    answer(t.udp, DHCPOFFER);
    t.clock.advance(2000 + 4000 + 8000 + 10);
    var types = t.udp.sent.map((s) => decodeDhcp(s.data)!.type);
    assert.deepEqual(types, [1, 3, 3, 3, 1]);
    assert.equal(t.c.state(), D_SELECTING);
  });

  it('renews at T1 by unicast with ciaddr, and an ACK extends the lease (renewed = true)', function () {
    var t = mk();
    bind(t, 100);
    t.clock.advance(50000);
    assert.equal(t.c.state(), D_RENEWING);
    var m = last(t.udp);
    assert.equal(t.udp.sent[t.udp.sent.length - 1].host, SRV);
    assert.equal(m.ciaddr, '10.0.0.50');
    assert.equal(m.flags, 0);
    assert.equal(m.opts[50], undefined);
    answer(t.udp, DHCPACK, 100);
    assert.equal(t.c.state(), D_BOUND);
    assert.equal(t.bound[1][1], true);
    assert.equal(t.bound[1][0].at, 50000);
  });

  it('rebinds at T2 by broadcast when renewals go unanswered', function () {
    var t = mk();
    bind(t, 100);
    t.clock.advance(87500);
    assert.equal(t.c.state(), D_REBINDING);
    assert.equal(t.udp.sent[t.udp.sent.length - 1].host, '255.255.255.255');
    assert.equal(last(t.udp).ciaddr, '10.0.0.50');
  });

  it('retransmits the renewal before T2 (half the time left, at least retryMs)', function () {
    var t = mk();
    bind(t, 1000);
    t.clock.advance(875000 - 1);
    var uni = t.udp.sent.filter((s) => s.host === SRV).length;
    assert.ok(uni >= 4 && uni <= 12, 'renewals: ' + uni);
  });

  it('loses the lease at expiry: onLost, then DISCOVER again', function () {
    var t = mk();
    bind(t, 100);
    t.clock.advance(99990);
    assert.equal(t.lost(), 0);
    t.clock.advance(20);
    assert.equal(t.lost(), 1);
    assert.equal(t.c.state(), D_SELECTING);
    assert.equal(last(t.udp).type, DHCPDISCOVER);
    assert.equal(t.c.lease(), null);
  });

  it('a NAK while renewing loses the lease; a NAK while requesting only restarts', function () {
    var t = mk();
    t.c.start();
    answer(t.udp, DHCPOFFER);
    answer(t.udp, DHCPNAK);
    assert.equal(t.lost(), 0);
    assert.equal(t.c.state(), D_SELECTING);
    answer(t.udp, DHCPOFFER);
    answer(t.udp, DHCPACK);
    t.clock.advance(50000);
    answer(t.udp, DHCPNAK);
    assert.equal(t.lost(), 1);
    assert.equal(t.c.state(), D_SELECTING);
  });

  it('does not renew an infinite lease', function () {
    var t = mk();
    bind(t, 0xffffffff);
    var n = t.udp.sent.length;
    t.clock.advance(1e9);
    assert.equal(t.udp.sent.length, n);
    assert.equal(t.c.state(), D_BOUND);
  });

  it('stop() closes the socket and sends nothing more', function () {
    var t = mk();
    t.c.start();
    t.c.stop();
    assert.equal(t.c.state(), D_OFF);
    assert.equal(t.udp.open, null);
    var n = t.udp.sent.length;
    t.clock.advance(100000);
    assert.equal(t.udp.sent.length, n);
    assert.equal(t.clock.pending(), 0);
  });

  it('keeps retrying when no socket can be had, and sends once one can', function () {
    var t = mk();
    t.udp.fail = true;
    t.c.start();
    t.clock.advance(5000);
    assert.equal(t.udp.sent.length, 0);
    t.udp.fail = false;
    t.clock.advance(5000);
    assert.equal(t.udp.sent.length, 1);
  });

  it('requires a 6-byte MAC and a udp factory', function () {
    assert.throws(() => new DhcpClient({ clock: new VirtualClock(), mac: 'abc', udp: () => null }), TypeError);
    assert.throws(() => new DhcpClient({ clock: new VirtualClock(), mac: MAC } as any), TypeError);
  });
});
