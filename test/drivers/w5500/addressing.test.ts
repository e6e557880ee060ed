import { strict as assert } from 'assert';
import { rig, ready } from './harness';
import { SERVER_IP, LEASE_IP } from '../../sim/w5500/loopback-nic';
import {
  IF_READY, IF_CONNECTING, IF_FAILED, IF_ON, R_NO_IP, R_NO_DNS, E_OK, E_NETDOWN, E_TIMEOUT, E_DNS,
} from '../../../src/net/types';

function ip(m: Uint8Array, off: number): string {
  return Array.from(m.subarray(off, off + 4)).join('.');
}

describe('W5500Interface addressing', function () {
  it('gets a DHCP lease and fills info() (ip, netmask, gateway, dns, mac)', function () {
    var r = rig();
    var infos = 0;
    r.eth.events.on('info', () => infos++);
    ready(r);
    assert.deepEqual(r.eth.info(), {
      ip: LEASE_IP, netmask: '255.255.255.0', gateway: SERVER_IP, dns: SERVER_IP, mac: '02:08:DC:01:02:03',
    });
    assert.equal(infos, 1);
    assert.deepEqual(r.states, ['powering_on', 'on', 'connecting', 'ready']);
  });

  it('writes the lease into SIPR, SUBR and GAR, and the NIC gets the source address', function () {
    var r = rig();
    ready(r);
    assert.equal(ip(r.model.c, 0x0f), LEASE_IP);
    assert.equal(ip(r.model.c, 0x05), '255.255.255.0');
    assert.equal(ip(r.model.c, 0x01), SERVER_IP);
    assert.equal(r.nic.address(), LEASE_IP);
  });

  it('sends DISCOVER then REQUEST with the host name option, from 0.0.0.0', function () {
    var r = rig({ hostname: 'board-7' });
    ready(r);
    assert.deepEqual(r.nic.dhcpSeen.map((d) => d.type), [1, 3]);
    assert.ok(r.nic.dhcpSeen.every((d) => d.hostname === 'board-7' && d.dst === '255.255.255.255'));
  });

  it('uses "w5500-" and the MAC tail as the default host name', function () {
    var r = rig({ mac: '02:00:00:0a:0b:0c' });
    ready(r);
    assert.equal(r.nic.dhcpSeen[0].hostname, 'w5500-0a0b0c');
  });

  it('frees the DHCP socket once bound', function () {
    var r = rig();
    ready(r);
    assert.ok(r.model.s.every((s) => s.sr === 0));
  });

  it('fails with no_ip when no DHCP server answers within dhcpTimeoutMs', function () {
    var r = rig({ dhcpTimeoutMs: 10000 }, {}, (n) => (n.dhcpOn = false));
    r.eth.connect();
    r.clock.advance(9900);
    assert.equal(r.eth.state(), IF_CONNECTING);
    r.clock.advance(200);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.reason(), R_NO_IP);
    assert.ok(r.model.s.every((s) => s.sr === 0), 'DHCP socket closed');
  });

  it('fails with no_dns when the lease names no DNS server, unless a fallback is configured', function () {
    var r = rig({}, {}, (n) => (n.giveDns = false));
    r.eth.connect();
    r.clock.advance(5000);
    assert.equal(r.eth.reason(), R_NO_DNS);
    var r2 = rig({ fallbackDns: '9.9.9.9' }, {}, (n) => (n.giveDns = false));
    ready(r2);
    assert.equal(r2.eth.info().dns, '9.9.9.9');
  });

  it('renews at T1 by unicast to the server and stays ready with its sockets', function () {
    var r = rig({}, {}, (n) => (n.leaseS = 60));
    ready(r);
    var closed = -1;
    r.eth.udp({ onClose: (e) => (closed = e) });
    var t0 = r.clock.now();
    r.clock.advance(31000);
    var req = r.nic.dhcpSeen.filter((d) => d.type === 3);
    assert.equal(req.length, 2);
    assert.equal(req[1].dst, SERVER_IP);
    assert.equal(req[1].ciaddr, LEASE_IP);
    assert.ok(req[1].at - t0 >= 29900 && req[1].at - t0 <= 30100);
    assert.equal(r.eth.state(), IF_READY);
    assert.equal(closed, -1);
  });

  it('rebinds at T2 by broadcast when the server ignores unicast renewals', function () {
    var r = rig({}, {}, (n) => {
      n.leaseS = 80;
      n.dhcpUnicast = false;
    });
    ready(r);
    var t0 = r.clock.now();
    r.clock.advance(75000);
    var req = r.nic.dhcpSeen.filter((d) => d.type === 3).slice(1);
    var uni = req.filter((d) => d.dst === SERVER_IP), bc = req.filter((d) => d.dst === '255.255.255.255');
    assert.ok(uni.length >= 2, 'renewal retransmitted');
    assert.equal(bc.length, 1);
    assert.ok(bc[0].at - t0 >= 69900 && bc[0].at - t0 <= 70100, 'T2 = 7/8 of 80 s');
    assert.equal(r.eth.state(), IF_READY);
    r.clock.advance(30000);
    assert.equal(r.eth.state(), IF_READY, 'the rebound lease runs on');
  });

  it('lease expiry: sockets close with E_NETDOWN, back to connecting, then no_ip', function () {
    var r = rig({ dhcpTimeoutMs: 20000 }, {}, (n) => (n.leaseS = 40));
    ready(r);
    var closed = -1;
    r.eth.udp({ onClose: (e) => (closed = e) });
    r.nic.dhcpOn = false;
    r.clock.advance(39000);
    assert.equal(r.eth.state(), IF_READY);
    r.clock.advance(1100);
    assert.equal(closed, E_NETDOWN);
    assert.equal(r.eth.state(), IF_CONNECTING);
    assert.equal(r.nic.address(), null);
    r.clock.advance(21000);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.reason(), R_NO_IP);
  });

  it('lease expiry with the server back: a new lease, ready again', function () {
    var r = rig({}, {}, (n) => (n.leaseS = 40));
    ready(r);
    r.nic.dhcpOn = false;
    r.clock.advance(40100);
    assert.equal(r.eth.state(), IF_CONNECTING);
    r.nic.dhcpOn = true;
    r.clock.runUntil(() => r.eth.state() === IF_READY, 20000);
    assert.equal(r.eth.state(), IF_READY);
  });

  it('NAK on renewal: connecting, then a fresh lease', function () {
    var r = rig({}, {}, (n) => {
      n.leaseS = 60;
      n.nakRenew = true;
    });
    ready(r);
    var n0 = r.states.length;
    r.clock.advance(31000);
    assert.deepEqual(r.states.slice(n0), ['connecting', 'ready']);
    var types = r.nic.dhcpSeen.map((d) => d.type);
    assert.deepEqual(types.slice(2), [3, 1, 3], 'renewal REQUEST, NAKed, then DISCOVER and REQUEST');
  });

  it('static setConfig: ready without DHCP, registers written', function () {
    var r = rig();
    r.eth.setConfig({ ip: '10.9.8.7', netmask: '255.255.0.0', gateway: '10.9.0.1', dns: '10.9.0.2' });
    ready(r);
    assert.equal(r.nic.dhcpSeen.length, 0);
    assert.equal(ip(r.model.c, 0x0f), '10.9.8.7');
    assert.equal(ip(r.model.c, 0x05), '255.255.0.0');
    assert.equal(r.eth.info().dns, '10.9.0.2');
  });

  it('setConfig while ready re-addresses at once (sockets E_NETDOWN); {dhcp: true} goes back to DHCP', function () {
    var r = rig();
    ready(r);
    var closed = -1;
    r.eth.udp({ onClose: (e) => (closed = e) });
    r.eth.setConfig({ ip: '192.168.1.77', gateway: SERVER_IP, dns: SERVER_IP });
    assert.equal(closed, E_NETDOWN);
    assert.equal(r.eth.state(), IF_READY);
    assert.equal(r.eth.info().ip, '192.168.1.77');
    r.eth.setConfig({ dhcp: true });
    r.clock.runUntil(() => r.eth.state() === IF_READY, 20000);
    assert.equal(r.eth.info().ip, LEASE_IP);
  });

  it('setConfig rejects bad addresses with a TypeError', function () {
    var r = rig();
    assert.throws(() => r.eth.setConfig({ ip: '10.0.0' }), TypeError);
    assert.throws(() => r.eth.setConfig({ ip: '10.0.0.1', gateway: 'x' }), TypeError);
    assert.throws(() => r.eth.setConfig(null as any), TypeError);
  });

  it('disconnect(): ready → disconnecting → on, address cleared', function () {
    var r = rig();
    ready(r);
    r.eth.disconnect();
    assert.deepEqual(r.states.slice(-2), ['disconnecting', 'on']);
    assert.equal(r.eth.state(), IF_ON);
    assert.equal(ip(r.model.c, 0x0f), '0.0.0.0');
    assert.equal(r.eth.info().ip, '0.0.0.0');
  });

  describe('resolve', function () {
    function resolve(r: ReturnType<typeof rig>, name: string): [number, string, number] {
      var res: [number, string, number] | null = null;
      var t0 = r.clock.now();
      r.eth.resolve(name, (e, a) => (res = [e, a, r.clock.now() - t0]));
      r.clock.runUntil(() => res !== null, 60000);
      return res!;
    }

    it('resolves a name through the leased DNS server', function () {
      var r = rig();
      ready(r);
      assert.deepEqual(resolve(r, 'cloud.example').slice(0, 2), [E_OK, '10.0.0.5']);
      assert.equal(r.nic.dnsQueries, 1);
    });

    it('answers a second lookup from the cache, and asks again after the TTL', function () {
      var r = rig({}, {}, (n) => (n.dnsTtl = 30));
      ready(r);
      resolve(r, 'cloud.example');
      resolve(r, 'CLOUD.example');
      assert.equal(r.nic.dnsQueries, 1);
      r.clock.advance(31000);
      resolve(r, 'cloud.example');
      assert.equal(r.nic.dnsQueries, 2);
    });

    it('retries after a timeout when the first query is lost', function () {
      var r = rig({ dnsTimeoutMs: 1500 }, {}, (n) => (n.dnsDrop = 1));
      ready(r);
      var res = resolve(r, 'cloud.example');
      assert.deepEqual(res.slice(0, 2), [E_OK, '10.0.0.5']);
      assert.ok(res[2] >= 1500 && res[2] < 1600);
      assert.equal(r.nic.dnsQueries, 2);
    });

    it('gives E_TIMEOUT after every try times out, and frees its socket', function () {
      var r = rig({ dnsTimeoutMs: 1000, dnsTries: 3 }, {}, (n) => (n.dnsOn = false));
      ready(r);
      var res = resolve(r, 'cloud.example');
      assert.equal(res[0], E_TIMEOUT);
      assert.ok(res[2] >= 3000 && res[2] < 3100);
      assert.equal(r.nic.dnsQueries, 3);
      assert.ok(r.model.s.every((s) => s.sr === 0));
    });

    it('gives E_DNS for a name that does not exist, without retrying', function () {
      var r = rig();
      ready(r);
      assert.equal(resolve(r, 'nope.example')[0], E_DNS);
      assert.equal(r.nic.dnsQueries, 1);
    });

    it('gives E_NETDOWN when not ready, and a dotted quad resolves to itself', function () {
      var r = rig();
      assert.equal(resolve(r, 'cloud.example')[0], E_NETDOWN);
      assert.deepEqual(resolve(r, '1.2.3.4').slice(0, 2), [E_OK, '1.2.3.4']);
    });
  });
});
