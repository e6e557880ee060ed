import { strict as assert } from 'assert';
import { board } from './harness';
import { createApi } from '../../src/api/binding';
import { NetworkClass } from '../../src/api/network-class';
import { NetworkInterfaceConfig } from '../../src/api/network-config';
import { SEMI_AUTOMATIC, MANUAL, AUTOMATIC, FEATURE_ETHERNET_DETECTION, CLOUD_STATUS_CONNECTED } from '../../src/api/constants';
import { BaselinePolicy } from '../../src/connection/baseline-policy';
import { R_NOT_AUTHORISED } from '../../src/net/types';
import * as pkg from '../../src/index';

/** The seed's example shape: any NetworkClass can be passed. */
function withNetwork(n: NetworkClass): boolean {
  return n.ready();
}

describe('API facades', function () {
  it('accept any NetworkClass where one is expected (withNetwork(Ethernet))', function () {
    var b = board();
    b.clock.advance(1000);
    var A = b.api;
    assert.deepEqual([A.Network, A.Ethernet, A.WiFi, A.Cellular].map(withNetwork), [true, true, true, false]);
    b.clock.advance(2000);
    assert.equal(withNetwork(A.Cellular), true);
  });

  it('throw a TypeError for programming errors', function () {
    var b = board();
    var A = b.api;
    var other = createApi();
    var bad: Array<() => void> = [
      function () { A.Particle.connect('wifi' as any); },
      function () { A.Particle.connect(other.WiFi); },
      function () { A.Particle.keepAlive(-1); },
      function () { A.Particle.publish(''); },
      function () { A.System.on('bogus', function () {}); },
      function () { A.System.on('cloud_status', 5 as any); },
      function () { A.System.waitFor(5 as any, 10); },
      function () { A.System.waitFor(A.Particle.connected, -1); },
      function () { A.System.enableFeature('eth' as any); },
      function () { A.System.enableFeature(99); },
      function () { A.WiFi.setListenTimeout(-1); },
      function () { A.WiFi.prefer('yes' as any); },
      function () { A.WiFi.listen(1 as any); },
      function () { A.WiFi.setCredentials(''); },
      function () { A.Cellular.setCredentials(5 as any); },
      function () { A.Ethernet.setConfig({} as any); },
      function () { A.Network.setServerInterfaces('wifi' as any); },
      function () { b.api.setMode(7); }
    ];
    bad.forEach(function (f, i) {
      assert.throws(f, TypeError, 'case ' + i);
    });
  });

  it('before a device is bound, System.on works and calls that need the device throw a clear Error', function () {
    var api = createApi();
    var seen: any[] = [];
    api.System.on('cloud_status', function (e, v) { seen.push(v); });
    api.setMode(SEMI_AUTOMATIC);
    assert.throws(function () { api.Particle.connect(); }, /no device bound/);
    var b = board({ noStart: true });
    assert.equal(b.api.started(), false);
    b.start();
    assert.equal(b.api.started(), true);
    assert.throws(function () { b.api.setMode(MANUAL); }, /before the runtime starts/);
  });

  it('runs setup() once and loop() repeatedly from the event loop; a throwing loop does not stop it', function () {
    var calls: string[] = [];
    var n = 0;
    var b = board({
      setup: function () { calls.push('setup'); },
      loop: function () {
        n++;
        if (n === 3) throw new Error('boom');
      }
    });
    assert.deepEqual(calls, [], 'nothing runs inside startRuntime');
    b.clock.advance(1000);
    assert.deepEqual(calls, ['setup']);
    assert.ok(n >= 90 && n <= 101, 'loop ran ' + n + ' times in 1 s');
    assert.equal(b.of('loop_error').length, 1);
  });

  it('stalls loop() while a blocking (baseline) probe runs', function () {
    var n = 0;
    var api = createApi();
    var b = board({ noStart: true, cloud: { refuse: R_NOT_AUTHORISED } });
    api.start(
      { clock: b.clock, storage: b.storage, interfaces: [b.eth, b.wl, b.cell], cloud: b.cloud, config: { policy: new BaselinePolicy() } },
      { loop: function () { n++; } }
    );
    b.clock.advance(20000);
    assert.ok(api.runtime().mgr.metrics().evaluations >= 2);
    assert.ok(n < 1900, 'loop ran ' + n + ' times in 20 s, stalled during probes');
    assert.ok(n > 500);
  });

  it('ready, connecting, listening, connected and disconnected work when read off their facade', function () {
    var b = board();
    var A = b.api;
    var ready = A.WiFi.ready, connecting = A.Ethernet.connecting, listening = A.Network.listening;
    var connected = A.Particle.connected, disconnected = A.Particle.disconnected;
    assert.deepEqual([ready(), connecting(), listening(), connected(), disconnected()], [false, true, false, false, true]);
    b.clock.advance(10000);
    assert.deepEqual([ready(), connecting(), connected(), disconnected()], [true, false, true, false]);
    assert.equal(A.WiFi.ready, ready, 'the same function on every read');
    assert.notEqual(A.Ethernet.ready, A.WiFi.ready, 'each facade has its own');
    assert.equal(A.Ethernet.ready(), true);
  });

  it('waitFor reports a timeout with false', function () {
    var b = board({ mode: SEMI_AUTOMATIC });
    var got: boolean[] = [];
    b.api.System.waitFor(b.api.Particle.connected, 5000, function (ok) { got.push(ok); });
    b.clock.advance(4999);
    assert.deepEqual(got, []);
    b.clock.advance(1);
    assert.deepEqual(got, [false]);
  });

  it('waitFor calls back from the event loop as soon as the condition holds', function () {
    var b = board();
    var at = -1;
    b.api.System.waitFor(b.api.Particle.connected, 10000, function (ok) { at = ok ? b.clock.now() : -2; });
    b.clock.advance(3000);
    assert.equal(at, 600);
  });

  it('forwards Cellular.setCredentials and Wi-Fi credentials to the drivers', function () {
    var b = board();
    assert.equal(b.api.Cellular.setCredentials('iot.apn', 'u', 'p'), true);
    assert.deepEqual(b.cell.apn, { apn: 'iot.apn', user: 'u', password: 'p' });
    assert.equal(b.api.WiFi.clearCredentials(), true);
    assert.equal(b.api.WiFi.hasCredentials(), false);
    assert.equal(b.api.WiFi.setCredentials({ ssid: 'lab', password: 'x' }), true);
    assert.equal(b.api.WiFi.hasCredentials(), true);
    var creds = b.of('network_credentials').map(function (e) { return e.v; });
    assert.deepEqual(creds, [2, 1]);
    assert.ok(JSON.stringify(b.ev).indexOf('"x"') < 0, 'no secret in events');
  });

  it('forwards publish/subscribe/function/variable to a cloud session that offers them', function () {
    var b = board();
    var got: any[] = [];
    (b.cloud as any).publish = function (n: string, d: any, o: any, cb: any) { got.push(['publish', n, d]); return true; };
    (b.cloud as any).function = function (n: string, f: any) { got.push(['function', n]); return true; };
    assert.equal(b.api.Particle.publish('temp', '21.5'), true);
    assert.equal(b.api.Particle.function('reset', function () { return 0; }), true);
    assert.deepEqual(got, [['publish', 'temp', '21.5'], ['function', 'reset']]);
    assert.throws(function () { b.api.Particle.variable('v', function () { return 1; }); }, /not supported/);
  });

  it('keeps the Ethernet detection feature in Storage', function () {
    var b = board({ ethDetection: false });
    assert.equal(b.api.System.featureEnabled(FEATURE_ETHERNET_DETECTION), false);
    b.api.System.enableFeature(FEATURE_ETHERNET_DETECTION);
    var again = board({ storage: b.storage });
    assert.equal(again.api.System.featureEnabled(FEATURE_ETHERNET_DETECTION), true);
  });

  it('reads addresses, metrics and why() through the classes', function () {
    var b = board();
    b.clock.advance(3000);
    assert.equal(b.api.Ethernet.localIP(), '192.168.1.10');
    assert.equal(b.api.Network.localIP(), '192.168.1.10');
    var m: any = b.api.WiFi.metrics();
    assert.equal(m.id, 'wl0');
    assert.equal((b.api.Network.metrics() as any).iface, 'eth0');
    assert.match(b.api.Network.why(), /^on eth0: boot/);
    assert.equal(b.api.Ethernet.getConfig().source(), 1);
  });

  it('clearConfiguration also resets stored static addresses to DHCP', function () {
    var b = board();
    b.api.Ethernet.setConfig(new NetworkInterfaceConfig().source(2).address('10.0.0.2', '255.0.0.0').gateway('10.0.0.1'));
    b.api.Network.setServerInterfaces(['wifi']);
    b.api.WiFi.prefer();
    b.api.System.clearConfiguration();
    assert.deepEqual(b.eth.ipConfig, { dhcp: true });
    assert.equal(b.api.Network.isPreferred(), true);
  });
});

describe('package entry (src/index.ts)', function () {
  afterEach(function () {
    pkg.stopRuntime();
  });

  it('exports bound facades a sketch imports, and startRuntime binds them to a device', function () {
    var b = board({ noStart: true });
    var seen: number[] = [];
    pkg.System.on('cloud_status', function (e: string, v: number) { seen.push(v); });
    pkg.startRuntime({ clock: b.clock, storage: b.storage, interfaces: [b.eth, b.wl, b.cell], cloud: b.cloud }, { mode: AUTOMATIC });
    b.clock.advance(3000);
    assert.equal(pkg.Particle.connected(), true);
    assert.strictEqual(pkg.Particle.connectionInterface(), pkg.Ethernet);
    assert.deepEqual(seen.slice(-1), [CLOUD_STATUS_CONNECTED]);
    assert.equal(typeof pkg.waitFor, 'function');
    assert.equal(pkg.Network instanceof pkg.NetworkClass, true);
  });
});
