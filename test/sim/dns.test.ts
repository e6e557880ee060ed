import { strict as assert } from 'assert';
import { World } from '../../sim/world';
import { decodeDns, dnsQuery, RCODE_NXDOMAIN, RCODE_OK, TYPE_A } from '../../sim/world/dns-packet';

describe('sim DNS server', function () {
  function setup() {
    var w = new World({ seed: 2, cloud: { name: 'cloud.example.com' }, dns: { latencyMs: 5, records: { 'api.example.com': '203.0.113.77' } } });
    var eth = w.ethernetNic('eth0', { latencyMs: 3, jitterMs: 0, bandwidthBps: 0 });
    eth.setAddress('192.168.1.100');
    return { w: w, eth: eth };
  }

  it('answers an A query in DNS wire format', function () {
    var t = setup();
    var got: Buffer[] = [];
    var port = t.eth.udpOpen(5353, function (src, sport, data) {
      assert.equal(src, t.w.dns.host.ip);
      assert.equal(sport, 53);
      got.push(data);
    });
    port.send(t.w.dns.host.ip, 53, dnsQuery(0xbeef, 'API.example.com'));
    t.w.advance(100);
    assert.equal(got.length, 1);
    var m = decodeDns(got[0])!;
    assert.equal(m.id, 0xbeef);
    assert.ok(m.qr && m.aa && m.rd);
    assert.equal(m.rcode, RCODE_OK);
    assert.equal(m.questions[0].name, 'API.example.com');
    assert.equal(m.answers.length, 1);
    assert.equal(m.answers[0].type, TYPE_A);
    assert.equal(m.answers[0].data, '203.0.113.77');
    // The answer name is a compression pointer to the question (0xC00C).
    var qEnd = 12 + 'API.example.com'.length + 2 + 4;
    assert.equal(got[0].readUInt16BE(qEnd), 0xc00c);
  });

  it('resolves the cloud name through the NIC resolver', function () {
    var t = setup();
    var ip: string | null | undefined;
    t.eth.resolve('cloud.example.com', function (r) {
      ip = r;
    });
    t.w.advance(100);
    assert.equal(ip, t.w.cloud.ip);
  });

  it('answers NXDOMAIN for an unknown name, and the resolver fails at once', function () {
    var t = setup();
    var got: Buffer[] = [];
    var port = t.eth.udpOpen(5353, function (src, sport, data) {
      got.push(data);
    });
    port.send(t.w.dns.host.ip, 53, dnsQuery(7, 'nope.example.com'));
    var ip: string | null | undefined;
    var at = -1;
    t.eth.resolve('nope.example.com', function (r) {
      ip = r;
      at = t.w.now();
    });
    t.w.advance(100);
    assert.equal(decodeDns(got[0])!.rcode, RCODE_NXDOMAIN);
    assert.equal(decodeDns(got[0])!.answers.length, 0);
    assert.equal(ip, null);
    assert.ok(at > 0 && at < 100, 'no timeout needed');
  });

  it('drops queries when silent: the resolver gives up after its tries', function () {
    var t = setup();
    t.w.dns.set({ silent: true });
    var ip: string | null | undefined;
    var at = -1;
    t.eth.resolve('cloud.example.com', function (r) {
      ip = r;
      at = t.w.now();
    });
    t.w.advance(20000);
    assert.equal(ip, null);
    assert.equal(at, t.eth.resolver.timeoutMs * t.eth.resolver.tries);
    assert.equal(t.w.events('dns').filter(function (l) { return /dropped \(silent\)/.test(l); }).length, t.eth.resolver.tries);
  });

  it('cannot be reached during a silent upstream outage', function () {
    var t = setup();
    t.eth.link.set({ silent: true });
    var ip: string | null | undefined;
    t.eth.resolve('cloud.example.com', function (r) {
      ip = r;
    });
    t.w.advance(20000);
    assert.equal(ip, null);
    assert.equal(t.w.events('dns').filter(function (l) { return /query/.test(l); }).length, 0);
  });
});
