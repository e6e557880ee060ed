import { strict as assert } from 'assert';
import * as net from 'net';
import * as dgram from 'dgram';
import * as mqtt from 'mqtt';
import { Aedes } from 'aedes';
import { RealClock } from '../../hal/host/real-clock';
import { World, connectMqtt } from '../../sim/world';

/** Real sockets on 127.0.0.1 only; waits are real but short (links of a few ms). */
describe('sim world in real time', function () {
  this.timeout(10000);

  it('serves the development cloud (broker + UDP echo) on real loopback ports', async function () {
    var w = new World({ seed: 1, clock: new RealClock() });
    var ports = await w.cloud.listen({ host: '127.0.0.1' });
    try {
      var c = mqtt.connect('mqtt://127.0.0.1:' + ports.mqttPort, { clientId: 'real-1', reconnectPeriod: 0 });
      var got = await new Promise<string>(function (resolve, reject) {
        c.on('error', reject);
        c.on('connect', function () {
          c.subscribe('t/real', { qos: 1 }, function () {
            c.publish('t/real', 'over loopback', { qos: 1 });
          });
        });
        c.on('message', function (topic, msg) {
          resolve(msg.toString());
        });
      });
      assert.equal(got, 'over loopback');
      assert.ok(w.events('broker').some(function (l) { return /connected real-1/.test(l); }));
      c.end(true);
      var sock = dgram.createSocket('udp4');
      var echo = await new Promise<string>(function (resolve) {
        sock.on('message', function (m) {
          resolve(m.toString());
        });
        sock.send('probe-1', ports.echoPort, '127.0.0.1');
      });
      sock.close();
      assert.equal(echo, 'probe-1');
    } finally {
      await w.close();
    }
  });

  it('runs the virtual network on the real clock: mqtt.js over a shaped virtual link to the embedded broker', async function () {
    var w = new World({ seed: 1, clock: new RealClock(), cloud: { latencyMs: 2 } });
    var eth = w.ethernetNic('eth0', { latencyMs: 3 });
    eth.setAddress('192.168.1.100');
    var c = connectMqtt(w, eth, { clientId: 'rt-dev', keepalive: 5 });
    try {
      assert.ok(await w.runUntil(function () { return c.connected; }, 3000), 'connected');
      assert.deepEqual(w.cloud.broker.clients(), ['rt-dev']);
    } finally {
      c.end(true);
      await w.close();
    }
  });

  it('forwards virtual connections to the broker port to an outside broker', async function () {
    // The outside broker (a stand-in for mosquitto on 127.0.0.1).
    var outside = new Aedes();
    await outside.listen();
    var seen: string[] = [];
    outside.on('client', function (cl) {
      seen.push('client ' + cl.id);
    });
    outside.on('publish', function (p, cl) {
      if (cl) seen.push('publish ' + p.topic + ' ' + p.payload.toString());
    });
    var server = net.createServer(outside.handle);
    await new Promise<void>(function (r) {
      server.listen(0, '127.0.0.1', r);
    });
    var port = (server.address() as net.AddressInfo).port;
    var w = new World({ seed: 1, clock: new RealClock(), cloud: { latencyMs: 2, broker: { forward: 'mqtt://127.0.0.1:' + port } } });
    var eth = w.ethernetNic('eth0', { latencyMs: 3 });
    eth.setAddress('192.168.1.100');
    var c = connectMqtt(w, eth, { clientId: 'fwd-dev' });
    try {
      assert.ok(await w.runUntil(function () { return c.connected; }, 3000), 'connected through the forward');
      c.publish('fwd/hello', 'via the virtual link', { qos: 1 });
      assert.ok(await w.runUntil(function () { return seen.length >= 2; }, 3000));
      assert.deepEqual(seen, ['client fwd-dev', 'publish fwd/hello via the virtual link']);
      assert.deepEqual(w.cloud.broker.clients(), [], 'the embedded broker was not used');
    } finally {
      c.end(true);
      await w.close();
      await new Promise<void>(function (r) {
        outside.close(function () {
          r();
        });
      });
      await new Promise<void>(function (r) {
        server.close(function () {
          r();
        });
      });
    }
  });
});
