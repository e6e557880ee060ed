import { strict as assert } from 'assert';
import { World } from '../../sim/world';
import { SimNic } from '../../sim/nic';

describe('sim Wi-Fi airspace', function () {
  function setup() {
    var w = new World({ seed: 4, wifi: { link: { latencyMs: 3, jitterMs: 0, bandwidthBps: 0 } } });
    var air = w.airspace({ aps: [
      { ssid: 'home', password: 'secret', rssi: -60, associationDelayMs: 1200 },
      { ssid: 'home', password: 'secret', rssi: -48, mac: '24:0a:c4:aa:bb:cc' },
      { ssid: 'cafe', rssi: -75 },
    ] });
    return { w: w, air: air };
  }

  function join(t: { w: World; air: any }, ssid: string, pw: string) {
    var r: { err: string | null; nic: SimNic | null; at: number } = { err: 'pending', nic: null, at: -1 };
    t.air.associate(ssid, pw, function (err: string | null, nic: SimNic | null) {
      r.err = err;
      r.nic = nic;
      r.at = t.w.now();
    });
    return r;
  }

  it('scans the visible APs, strongest first', function () {
    var t = setup();
    var s = t.air.scan();
    assert.deepEqual(s.map(function (a) { return a.ssid + a.rssi + a.authMode; }), ['home-48wpa2', 'home-60wpa2', 'cafe-75open']);
  });

  it('associates with the strongest AP after its delay, then gets a DHCP address', function () {
    var t = setup();
    var r = join(t, 'home', 'secret');
    var addrAt = -1;
    t.air.nic.onAddress(function (ip) {
      if (ip) addrAt = t.w.now();
    });
    t.w.advance(5000);
    assert.equal(r.err, null);
    assert.equal(r.at, 1500, 'the -48 dBm AP (default 1.5 s)');
    assert.ok(r.nic && r.nic.linkUp());
    assert.equal(t.air.rssi(), -48);
    assert.equal(r.nic!.address(), '192.168.50.100');
    // DISCOVER/OFFER + REQUEST/ACK: 2 × (3 + 5 + 3) ms.
    assert.equal(addrAt, 1522);
    assert.deepEqual(r.nic!.lease!(), { ip: '192.168.50.100', netmask: '255.255.255.0', gateway: '192.168.50.1', dns: t.w.dns.host.ip });
  });

  it('fails with wrong_password, no_ap_found and connect_fail', function () {
    var t = setup();
    var a = join(t, 'home', 'nope');
    t.w.advance(5000);
    assert.equal(a.err, 'wrong_password');
    var b = join(t, 'elsewhere', 'x');
    t.w.advance(5000);
    assert.equal(b.err, 'no_ap_found');
    t.air.setAp('cafe', { refuse: true });
    var c = join(t, 'cafe', '');
    t.w.advance(5000);
    assert.equal(c.err, 'connect_fail');
    assert.equal(t.air.nic.linkUp(), false);
  });

  it('notices a vanished AP at the beacon timeout; traffic dies at once', function () {
    var t = setup();
    var r = join(t, 'cafe', '');
    t.w.advance(5000);
    assert.equal(r.err, null);
    var lost: string[] = [];
    var lostAt = -1;
    t.air.onLost(function (why: string) {
      lost.push(why);
      lostAt = t.w.now();
    });
    var echoes = 0;
    var port = r.nic!.udpOpen(0, function () {
      echoes++;
    });
    t.air.apDown('cafe');
    port.send(t.w.cloud.ip, 7, Buffer.from('x'));
    t.w.advance(1000);
    assert.equal(echoes, 0);
    assert.equal(r.nic!.linkUp(), true, 'not noticed yet');
    t.w.advance(5000);
    assert.deepEqual(lost, ['beacon_timeout']);
    assert.equal(lostAt, 5000 + 6000);
    assert.equal(r.nic!.linkUp(), false);
    assert.equal(r.nic!.address(), null);
  });

  it('stops its DHCP client when a static address is set', function () {
    var t = setup();
    var r = join(t, 'cafe', '');
    t.w.advance(1500);
    r.nic!.setAddress('192.168.50.7');
    t.w.advance(60000);
    assert.equal(r.nic!.address(), '192.168.50.7');
    assert.equal(t.w.findLan('wifi')!.dhcp!.bindings().filter(function (b) { return !b.offered; }).length, 0);
  });
});
