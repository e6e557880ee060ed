import { strict as assert } from 'assert';
import { MqttClient } from 'mqtt';
import { World, connectMqtt, WorldNic } from '../../sim/world';

/**
 * mqtt.js (the real npm client) talks to aedes (the real broker) through the world's virtual TCP and a
 * shaped link. Both libraries are asynchronous on Node's event loop; `world.run()` lets the loop turn
 * between virtual timers, so every answer happens at the virtual time its request arrived.
 *
 * Keepalive, honestly: mqtt.js gets the world's clock through its `timerVariant` option, so its own
 * keepalive (PINGREQ after `keepalive` of silence, failure at 1.5 × keepalive) runs in virtual time and
 * is observed on the client. The broker side is aedes' rule (drop after 1.5 × keepalive + 1 ms without a
 * packet), which the world enforces on its clock in place of aedes' real-time timer; both are asserted.
 */
describe('sim broker (aedes) with mqtt.js over a shaped link', function () {
  var worlds: World[] = [];
  var clients: MqttClient[] = [];

  afterEach(async function () {
    for (var c of clients) c.end(true);
    clients = [];
    for (var w of worlds) await w.close();
    worlds = [];
  });

  /** Link 20 ms one way, no jitter, internet 10 ms: RTT 60 ms. */
  function setup(link?: any): { w: World; eth: WorldNic } {
    var w = new World({ seed: 5, cloud: { latencyMs: 10 } });
    worlds.push(w);
    var eth = w.ethernetNic('eth0', Object.assign({ latencyMs: 20, jitterMs: 0, bandwidthBps: 0 }, link || {}));
    eth.setAddress('192.168.1.100');
    return { w: w, eth: eth };
  }

  function mqtt(w: World, nic: WorldNic, opts: any): MqttClient {
    var c = connectMqtt(w, nic, opts);
    clients.push(c);
    return c;
  }

  it('connects, subscribes, publishes and receives through a lossy, jittery link', async function () {
    var t = setup({ latencyMs: 40, jitterMs: 10, loss: 0.05 });
    var c = mqtt(t.w, t.eth, { clientId: 'dev-1', keepalive: 30 });
    var got: string[] = [];
    c.on('message', function (topic, msg) {
      got.push(topic + '=' + msg.toString());
    });
    assert.ok(await t.w.runUntil(function () { return c.connected; }, 30000), 'connected');
    var subacked = false;
    c.subscribe('dev/dev-1/#', { qos: 1 }, function () {
      subacked = true;
    });
    t.w.touch();
    assert.ok(await t.w.runUntil(function () { return subacked; }, 30000));
    var acked = 0;
    for (var i = 0; i < 5; i++) {
      c.publish('dev/dev-1/n', String(i), { qos: 1 }, function () {
        acked++;
      });
    }
    t.w.touch();
    await t.w.cloud.broker.publish('dev/dev-1/cmd', 'from-cloud', 1);
    await t.w.runUntil(function () { return got.length === 6 && acked === 5; }, 60000);
    assert.equal(acked, 5);
    assert.deepEqual(got.slice().sort(), ['dev/dev-1/cmd=from-cloud', 'dev/dev-1/n=0', 'dev/dev-1/n=1', 'dev/dev-1/n=2', 'dev/dev-1/n=3', 'dev/dev-1/n=4']);
    var log = t.w.events('broker');
    assert.ok(log.some(function (l) { return / broker connected dev-1$/.test(l); }));
    assert.equal(log.filter(function (l) { return / publish dev-1 dev\/dev-1\/n 1B qos1$/.test(l); }).length, 5);
    assert.deepEqual(t.w.cloud.broker.clients(), ['dev-1']);
  });

  it('fails the keepalive at the virtual time the link model predicts, on both ends', async function () {
    var t = setup();
    var K = 10000;
    var c = mqtt(t.w, t.eth, { clientId: 'dev-ka', keepalive: K / 1000 });
    var connectedAt = -1;
    var failedAt = -1;
    var closedAt = -1;
    c.on('connect', function () {
      connectedAt = t.w.now();
    });
    c.on('error', function (e) {
      if (/Keepalive timeout/.test(e.message)) failedAt = t.w.now();
    });
    c.on('close', function () {
      if (closedAt < 0) closedAt = t.w.now();
    });
    await t.w.runUntil(function () { return connectedAt >= 0; }, 10000);
    // Handshake (1 RTT) then CONNECT/CONNACK (1 RTT).
    assert.equal(connectedAt, 120);
    // Idle: mqtt.js pings after K; the answer arrives an RTT later and re-arms its keepalive.
    await t.w.run(12000 - t.w.now() + connectedAt);
    t.w.link('eth0').set({ silent: true });
    var brokerDropAt = -1;
    t.w.cloud.broker.aedes.on('clientDisconnect', function () {
      brokerDropAt = t.w.now();
    });
    await t.w.run(30000);
    var pingrespAt = connectedAt + K + 60;
    // mqtt.js: the next PINGREQ at +K goes unanswered; at +1.5 K it gives up.
    assert.ok(Math.abs(failedAt - (pingrespAt + 1.5 * K)) < 1e-6, 'client keepalive failed at ' + failedAt);
    assert.equal(closedAt, failedAt);
    // aedes: last packet (the first PINGREQ) arrived at connectedAt + K + 30; dropped 1.5 K + 1 ms later.
    var lastIn = connectedAt + K + 30;
    assert.ok(Math.abs(brokerDropAt - (lastIn + 1.5 * K + 1)) < 1e-6, 'broker dropped at ' + brokerDropAt);
    assert.ok(t.w.events('broker').some(function (l) { return /keepalive-timeout dev-ka/.test(l); }));
  });

  it('keeps a live session past many keepalive periods', async function () {
    var t = setup();
    var c = mqtt(t.w, t.eth, { clientId: 'dev-idle', keepalive: 5 });
    var closed = false;
    c.on('close', function () {
      closed = true;
    });
    await t.w.run(120000);
    assert.equal(closed, false);
    assert.ok(c.connected);
    // One PINGREQ (2 B) + segment header up, PINGRESP down, per keepalive period.
    assert.ok(t.eth.link.stats().txPackets >= 120 / 5, 'pings went out');
  });

  it('restart: connections reset, refused while down, accepted after; the persistent session is kept', async function () {
    var t = setup();
    var c = mqtt(t.w, t.eth, { clientId: 'dev-p', clean: false, keepalive: 60 });
    var subacked = false;
    c.on('connect', function () {
      c.subscribe('cmd/#', { qos: 1 }, function () {
        subacked = true;
      });
      t.w.touch();
    });
    await t.w.runUntil(function () { return subacked; }, 10000);
    var err = '';
    c.on('error', function (e: any) {
      err = err || e.code;
    });
    var closed = false;
    c.on('close', function () {
      closed = true;
    });
    t.w.cloud.broker.restart(10000);
    await t.w.run(1000);
    assert.ok(closed, 'client connection closed');
    assert.equal(err, 'ECONNRESET');
    assert.deepEqual(t.w.cloud.broker.clients(), []);
    // While the broker is down the cloud queues a QoS 1 command for the offline persistent session.
    await t.w.cloud.broker.publish('cmd/reboot', 'now', 1);
    var c2 = mqtt(t.w, t.eth, { clientId: 'dev-p', clean: false, keepalive: 60 });
    var err2 = '';
    c2.on('error', function (e: any) {
      err2 = err2 || e.code;
    });
    await t.w.run(1000);
    assert.equal(err2, 'ECONNREFUSED');
    await t.w.run(9000);
    assert.equal(t.w.cloud.broker.running, true);
    var c3 = mqtt(t.w, t.eth, { clientId: 'dev-p', clean: false, keepalive: 60 });
    var sessionPresent: boolean | null = null;
    var got: string[] = [];
    c3.on('connect', function (ack) {
      sessionPresent = ack.sessionPresent;
    });
    c3.on('message', function (topic, msg) {
      got.push(topic + '=' + msg.toString());
    });
    await t.w.runUntil(function () { return got.length > 0; }, 10000);
    assert.equal(sessionPresent, true);
    assert.deepEqual(got, ['cmd/reboot=now']);
    var lines = t.w.events('broker').join('\n');
    assert.match(lines, /broker stopped/);
    assert.match(lines, /broker started/);
  });

  it('refuses bad credentials (CONNACK 4) and everyone when told to (CONNACK 5)', async function () {
    var t = setup();
    t.w.cloud.broker.set({ username: 'dev', password: 'secret' });
    var bad = mqtt(t.w, t.eth, { clientId: 'dev-a', username: 'dev', password: 'wrong' });
    var badErr: any = null;
    bad.on('error', function (e: any) {
      badErr = badErr || e;
    });
    var good = mqtt(t.w, t.eth, { clientId: 'dev-b', username: 'dev', password: 'secret' });
    await t.w.run(2000);
    assert.equal(badErr && badErr.code, 4);
    assert.ok(good.connected);
    t.w.cloud.broker.set({ refuseAuth: true });
    var refused = mqtt(t.w, t.eth, { clientId: 'dev-c', username: 'dev', password: 'secret' });
    var refErr: any = null;
    refused.on('error', function (e: any) {
      refErr = refErr || e;
    });
    await t.w.run(2000);
    assert.equal(refErr && refErr.code, 5);
    assert.ok(t.w.events('broker').some(function (l) { return /auth-refused dev-c rc=5/.test(l); }));
  });

  it('closes a connection that sends no CONNECT within connectTimeoutMs (virtual time)', async function () {
    var t = setup();
    var closedAt = -1;
    var s = t.w.tcpStream(t.eth, t.w.cloud.ip, 1883);
    s.on('end', function () {
      closedAt = t.w.now();
    });
    s.on('data', function () {});
    s.on('error', function () {});
    await t.w.run(40000);
    // Accepted at 90 ms (handshake ACK at the server); closed 30 s later; the FIN reaches us 30 ms after.
    assert.ok(Math.abs(closedAt - (90 + 30000 + 30)) < 1e-6, 'closed at ' + closedAt);
    s.destroy();
  });
});
