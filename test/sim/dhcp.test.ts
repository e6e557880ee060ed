import { strict as assert } from 'assert';
import { World, DhcpClient, Rng } from '../../sim/world';
import {
  BOOTREQUEST, decodeDhcp, DHCPDISCOVER, dhcpMessage, DHCPOFFER, dhcpType, encodeDhcp, optIp, optU32, OPT_DNS, OPT_LEASE_TIME,
  OPT_ROUTER, OPT_SERVER_ID, OPT_SUBNET_MASK, OPT_T1, OPT_T2,
} from '../../sim/world/dhcp-packet';
import { DC_BOUND, DC_SELECTING } from '../../sim/world/dhcp-client';

describe('sim DHCP server', function () {
  /** Link 2 ms one way, no jitter; the server answers after 5 ms. */
  function setup(dhcp?: any) {
    var w = new World({ seed: 11, ethernet: { link: { latencyMs: 2, jitterMs: 0, bandwidthBps: 0 }, lan: { dhcp: dhcp || {} } } });
    var eth = w.nic('eth0')!;
    var client = new DhcpClient({ nic: eth, mac: eth.mac, clock: w.clock, log: w.log, rng: new Rng(1) });
    return { w: w, eth: eth, client: client, server: w.findLan('eth')!.dhcp! };
  }

  it('answers a raw DISCOVER with a broadcast OFFER carrying lease, T1, T2, mask, router and DNS', function () {
    var t = setup({ leaseMs: 7200000 });
    var replies: Buffer[] = [];
    var dst: string[] = [];
    var port = t.eth.udpOpen(68, function (src, sport, data) {
      dst.push(src + ':' + sport);
      replies.push(data);
    });
    var d = dhcpMessage(BOOTREQUEST, DHCPDISCOVER, 0x1234, t.eth.mac);
    port.send('255.255.255.255', 67, encodeDhcp(d));
    t.w.advance(100);
    assert.equal(replies.length, 1);
    assert.ok(replies[0].length >= 300, 'BOOTP minimum length');
    var m = decodeDhcp(replies[0])!;
    assert.equal(dhcpType(m), DHCPOFFER);
    assert.equal(m.xid, 0x1234);
    assert.equal(m.yiaddr, '192.168.1.100');
    assert.equal(optIp(m, OPT_SERVER_ID), '192.168.1.1');
    assert.equal(optU32(m, OPT_LEASE_TIME), 7200);
    assert.equal(optU32(m, OPT_T1), 3600);
    assert.equal(optU32(m, OPT_T2), 6300);
    assert.equal(optIp(m, OPT_SUBNET_MASK), '255.255.255.0');
    assert.equal(optIp(m, OPT_ROUTER), '192.168.1.1');
    assert.equal(optIp(m, OPT_DNS), t.w.dns.host.ip);
    assert.deepEqual(dst, ['192.168.1.1:67']);
    assert.equal(t.eth.address(), null, 'an offer is not a lease');
  });

  it('gives a client a lease after DISCOVER/OFFER/REQUEST/ACK', function () {
    var t = setup();
    t.client.start();
    t.w.advance(100);
    assert.equal(t.client.state, DC_BOUND);
    assert.equal(t.eth.address(), '192.168.1.100');
    var l = t.client.lease()!;
    assert.equal(l.router, '192.168.1.1');
    assert.equal(l.leaseMs, 3600000);
    // Two exchanges, each 2 ms up + 5 ms server + 2 ms down.
    assert.equal(l.boundAt, 18);
    var lines = t.w.events('dhcp').map(function (s) { return s.slice(13); });
    assert.deepEqual(lines, ['dhcp eth OFFER 192.168.1.100 to ' + t.eth.mac, 'dhcp eth ACK 192.168.1.100 to ' + t.eth.mac, 'dhcp eth0 client bound 192.168.1.100 lease 3600s']);
    var b = t.server.bindings();
    assert.equal(b.length, 1);
    assert.equal(b[0].offered, false);
    assert.equal(b[0].expiresAt, 11 + 3600000, 'from when the REQUEST reached the server');
  });

  it('renews at T1 by unicast and extends the lease', function () {
    var t = setup({ leaseMs: 60000 });
    t.client.start();
    t.w.advance(100);
    var first = t.client.lease()!;
    assert.equal(first.t1Ms, 30000);
    t.w.advance(first.boundAt + 30000 - t.w.now() - 1);
    assert.equal(t.client.lease()!.boundAt, first.boundAt, 'not before T1');
    t.w.advance(100);
    var renewed = t.client.lease()!;
    assert.equal(renewed.boundAt, first.boundAt + 30000 + 9, 'a unicast REQUEST/ACK at T1');
    assert.equal(renewed.ip, first.ip);
    // The server extended the lease when the REQUEST reached it (2 ms after T1).
    assert.equal(t.server.bindings()[0].expiresAt, first.boundAt + 30000 + 2 + 60000);
    assert.ok(t.w.events('dhcp').some(function (s) { return /client renewed 192.168.1.100/.test(s); }));
    // Keeps renewing: still bound long after the first lease would have expired.
    t.w.advance(300000);
    assert.equal(t.eth.address(), '192.168.1.100');
  });

  it('NAKs every REQUEST when configured: no address', function () {
    var t = setup({ nak: true });
    t.client.start();
    t.w.advance(100);
    assert.equal(t.eth.address(), null);
    assert.equal(t.client.state, DC_SELECTING);
    assert.ok(t.w.events('dhcp').some(function (s) { return /dhcp eth NAK to .* \(configured to NAK\)/.test(s); }));
    assert.ok(t.w.events('dhcp').some(function (s) { return /client NAK in requesting/.test(s); }));
  });

  it('NAKs a renewal once told to: the client loses its address at T1', function () {
    var t = setup({ leaseMs: 60000 });
    t.client.start();
    t.w.advance(100);
    assert.equal(t.eth.address(), '192.168.1.100');
    t.server.set({ nak: true });
    t.w.advance(29000);
    assert.equal(t.eth.address(), '192.168.1.100');
    t.w.advance(1000);
    assert.equal(t.eth.address(), null);
  });

  it('says nothing when silent: the client keeps retransmitting DISCOVER with backoff', function () {
    var t = setup({ silent: true });
    t.client.start();
    t.w.advance(29000);
    assert.equal(t.eth.address(), null);
    // DISCOVER at 0, 4, 12, 28 s (4 s doubling).
    assert.equal(t.eth.link.stats().txPackets, 4);
    t.server.set({ silent: false });
    t.w.advance(60000);
    assert.equal(t.eth.address(), '192.168.1.100');
  });

  it('hands out distinct addresses to distinct clients and the same one back to a returning client', function () {
    var t = setup();
    var other = t.w.ethernetNic('eth1');
    t.w.link('eth1').set({ jitterMs: 0, bandwidthBps: 0 });
    var c2 = new DhcpClient({ nic: other, mac: other.mac, clock: t.w.clock, log: t.w.log, rng: new Rng(2) });
    t.client.start();
    c2.start();
    t.w.advance(100);
    assert.equal(t.eth.address(), '192.168.1.100');
    assert.equal(other.address(), '192.168.1.101');
    t.client.stop();
    t.client.start();
    t.w.advance(100);
    assert.equal(t.eth.address(), '192.168.1.100');
  });
});
