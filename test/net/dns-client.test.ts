import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { DnsClient } from '../../src/net/dns-client';
import { E_OK, E_DNS, E_TIMEOUT, E_NETDOWN, E_NO_SOCKET } from '../../src/net/types';
import { FakeUdp } from './dhcp-dns-fake-udp';

function b(a: number[]): string {
  return Buffer.from(a).toString('latin1');
}

/** An answer to the query `q` (binary string) with `ip` and `ttl`, or rcode. */
function answer(q: string, ip: string | null, ttl = 60, rcode = 3): string {
  var qsec = q.substr(12);
  var hdr = b([q.charCodeAt(0), q.charCodeAt(1), 0x81, ip ? 0x80 : 0x80 | rcode, 0, 1, 0, ip ? 1 : 0, 0, 0, 0, 0]);
  if (!ip) return hdr + qsec;
  return hdr + qsec + b([0xc0, 12, 0, 1, 0, 1, 0, 0, (ttl >> 8) & 255, ttl & 255, 0, 4].concat(ip.split('.').map(Number)));
}

function mk(extra?: object, servers = ['10.0.0.2']) {
  var clock = new VirtualClock(0);
  var udp = new FakeUdp();
  var d = new DnsClient(Object.assign({ clock: clock, udp: udp.factory, servers: () => servers, timeoutMs: 1000, tries: 3 }, extra || {}));
  var res: Array<[number, string]> = [];
  var ask = (n: string) => d.resolve(n, (e, ip) => res.push([e, ip]));
  return { clock, udp, d, res, ask };
}

describe('DnsClient', function () {
  it('sends a query to the server on port 53 and answers with the A record', function () {
    var t = mk();
    t.ask('cloud.example');
    assert.deepEqual([t.udp.sent[0].host, t.udp.sent[0].port], ['10.0.0.2', 53]);
    t.udp.reply(answer(t.udp.sent[0].data, '1.2.3.4'), '10.0.0.2', 53);
    t.clock.advance(1);
    assert.deepEqual(t.res, [[E_OK, '1.2.3.4']]);
    assert.equal(t.udp.open, null, 'socket closed when idle');
  });

  it('answers from the cache until the TTL runs out', function () {
    var t = mk();
    t.ask('a.io');
    t.udp.reply(answer(t.udp.sent[0].data, '1.2.3.4', 10), '10.0.0.2', 53);
    t.clock.advance(9000);
    t.ask('A.IO.');
    t.clock.advance(1);
    assert.equal(t.udp.sent.length, 1);
    assert.deepEqual(t.res[1], [E_OK, '1.2.3.4']);
    t.clock.advance(1000);
    t.ask('a.io');
    assert.equal(t.udp.sent.length, 2);
  });

  it('caps the TTL at maxTtlS', function () {
    var t = mk({ maxTtlS: 5 });
    t.ask('a.io');
    t.udp.reply(answer(t.udp.sent[0].data, '1.2.3.4', 3600), '10.0.0.2', 53);
    t.clock.advance(5001);
    assert.equal(t.d.cached('a.io'), '');
  });

  it('keeps at most cacheMax names, dropping the least recently used', function () {
    var t = mk({ cacheMax: 2 });
    ['a.io', 'b.io', 'c.io'].forEach((n, i) => {
      t.ask(n);
      t.udp.reply(answer(t.udp.sent[i].data, '1.1.1.' + i), '10.0.0.2', 53);
    });
    assert.equal(t.d.cached('a.io'), '');
    assert.equal(t.d.cached('b.io'), '1.1.1.1');
    assert.equal(t.d.cached('c.io'), '1.1.1.2');
  });

  it('retries after timeoutMs, rotating over the servers, and resets tries per query', function () {
    var t = mk({}, ['10.0.0.2', '10.0.0.3']);
    t.ask('a.io');
    t.clock.advance(1000);
    assert.deepEqual(t.udp.sent.map((s) => s.host), ['10.0.0.2', '10.0.0.3']);
    t.udp.reply(answer(t.udp.sent[1].data, '5.5.5.5'), '10.0.0.3', 53);
    t.ask('b.io');
    t.clock.advance(2000);
    assert.equal(t.udp.sent.length, 5, 'three tries for the second query');
  });

  it('gives E_TIMEOUT after the last try', function () {
    var t = mk();
    t.ask('a.io');
    t.clock.advance(2999);
    assert.deepEqual(t.res, []);
    t.clock.advance(2);
    assert.deepEqual(t.res, [[E_TIMEOUT, '']]);
    assert.equal(t.udp.sent.length, 3);
    assert.equal(t.clock.pending(), 0);
  });

  it('gives E_DNS on NXDOMAIN at once, and retries on SERVFAIL', function () {
    var t = mk();
    t.ask('no.io');
    t.udp.reply(answer(t.udp.sent[0].data, null, 0, 3), '10.0.0.2', 53);
    t.clock.advance(1);
    assert.deepEqual(t.res, [[E_DNS, '']]);
    t.ask('sf.io');
    t.udp.reply(answer(t.udp.sent[1].data, null, 0, 2), '10.0.0.2', 53);
    assert.equal(t.udp.sent.length, 3);
  });

  it('ignores an answer with another id', function () {
    var t = mk();
    t.ask('a.io');
    var q = t.udp.sent[0].data;
    var wrong = String.fromCharCode(q.charCodeAt(0) ^ 1) + q.substr(1);
    t.udp.reply(answer(wrong, '6.6.6.6'), '10.0.0.2', 53);
    t.clock.advance(1);
    assert.deepEqual(t.res, []);
  });

  it('folds a second lookup of a name in flight into the same query', function () {
    var t = mk();
    t.ask('a.io');
    t.ask('a.io');
    assert.equal(t.udp.sent.length, 1);
    t.udp.reply(answer(t.udp.sent[0].data, '1.2.3.4'), '10.0.0.2', 53);
    assert.equal(t.res.length, 2);
  });

  it('bounds queries in flight (E_NO_SOCKET beyond maxPending) and reports no socket', function () {
    var t = mk({ maxPending: 2 });
    t.ask('a.io');
    t.ask('b.io');
    t.ask('c.io');
    t.clock.advance(1);
    assert.deepEqual(t.res, [[E_NO_SOCKET, '']]);
    var u = mk();
    u.udp.fail = true;
    u.ask('a.io');
    u.clock.advance(1);
    assert.deepEqual(u.res, [[E_NO_SOCKET, '']]);
  });

  it('rejects an invalid name with E_DNS and answers a dotted quad itself', function () {
    var t = mk();
    t.ask('a..b');
    t.ask('8.8.4.4');
    t.clock.advance(1);
    assert.deepEqual(t.res, [[E_DNS, ''], [E_OK, '8.8.4.4']]);
    assert.equal(t.udp.sent.length, 0);
  });

  it('reset() fails queries in flight with E_NETDOWN and empties the cache', function () {
    var t = mk();
    t.ask('a.io');
    t.udp.reply(answer(t.udp.sent[0].data, '1.2.3.4'), '10.0.0.2', 53);
    t.ask('b.io');
    t.d.reset();
    assert.deepEqual(t.res[1], [E_NETDOWN, '']);
    assert.equal(t.d.cached('a.io'), '');
    assert.equal(t.clock.pending(), 0);
  });

  it('fails queries with E_NETDOWN when its socket is closed under it', function () {
    var t = mk();
    t.ask('a.io');
    t.udp.open!.onClose!(4);
    assert.deepEqual(t.res, [[E_NETDOWN, '']]);
  });
});
