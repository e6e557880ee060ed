import { strict as assert } from 'assert';
import { World } from '../../../sim/world';
import { W5500Model } from '../../../sim/w5500/w5500-model';
import { W5500Interface } from '../../../src/drivers/w5500/w5500-interface';
import { MqttClient, MC_UP } from '../../../src/cloud/mqtt-client';
import { IF_READY, E_OK, E_NETDOWN } from '../../../src/net/types';
import { SimTcpConn } from '../../../sim/nic';

/** The W5500 model on the world's Ethernet NIC, the driver on top of the model. */
function board(world: World) {
  var model = new W5500Model({ clock: world.clock, nic: world.ethernetNic('eth0') });
  var eth = new W5500Interface({ spi: model, clock: world.clock, mac: '02:00:00:00:55:00' });
  return { model: model, eth: eth };
}

/** A TCP echo service on the cloud host. */
function tcpEcho(world: World, port: number) {
  world.cloud.host.listen(port, function (conn: SimTcpConn) {
    return {
      onConnect: function () {},
      onData: function (d: Buffer) {
        conn.write(d);
      },
      onEnd: function () {
        conn.end();
      },
      onClose: function () {},
    };
  });
}

describe('W5500Interface in the simulated world', function () {
  var world: World;
  afterEach(function () {
    return world.close();
  });

  it('gets a lease from the LAN DHCP server, resolves the cloud host and echoes a UDP probe', async function () {
    world = new World({ seed: 11 });
    var b = board(world);
    b.eth.connect();
    assert.ok(await world.runUntil(() => b.eth.state() === IF_READY, 30000));
    var i = b.eth.info();
    assert.match(i.ip, /^192\.168\.1\.1\d\d$/);
    assert.equal(i.gateway, '192.168.1.1');
    assert.equal(world.ethernetNic('eth0').address(), i.ip);
    var ip = '';
    b.eth.resolve('cloud.sim', (e, a) => {
      if (e === E_OK) ip = a;
    });
    assert.ok(await world.runUntil(() => ip !== '', 10000));
    assert.equal(ip, world.cloud.ip);
    var echoed = '';
    var u = b.eth.udp({ onMessage: (d) => (echoed = d) })!;
    u.send('probe\x00\xff', ip, 7);
    assert.ok(await world.runUntil(() => echoed !== '', 5000));
    assert.equal(echoed, 'probe\x00\xff');
  });

  it('echoes 20 KB over TCP through the world, byte-exact', async function () {
    world = new World({ seed: 12 });
    tcpEcho(world, 7007);
    var b = board(world);
    b.eth.connect();
    assert.ok(await world.runUntil(() => b.eth.state() === IF_READY, 30000));
    var data = '';
    for (var k = 0; k < 20000; k++) data += String.fromCharCode((k * 13) & 255);
    var got = '', off = 0, closed = -1;
    var s = b.eth.tcp({
      host: 'cloud.sim', port: 7007,
      onConnect: () => pump(), onWritable: () => pump(), onData: (d) => (got += d), onClose: (e) => (closed = e),
    })!;
    function pump() {
      while (off < data.length && s.write(data.substr(off, 1000))) off += 1000;
    }
    assert.ok(await world.runUntil(() => got.length >= data.length, 30000), 'got ' + got.length);
    assert.ok(got === data);
    s.close();
    assert.ok(await world.runUntil(() => closed >= 0, 5000));
    assert.equal(closed, E_OK);
    assert.deepEqual(b.model.violations, []);
  });

  it('holds an MQTT session with the world broker: subscribe, receive, publish QoS 1, keepalive', async function () {
    world = new World({ seed: 13 });
    var b = board(world);
    var got: string[] = [];
    var mq = new MqttClient({
      clock: world.clock, id: 'eth-dev-1', keepAliveS: 20,
      onMessage: (t, p) => got.push(t + '=' + p),
    });
    b.eth.connect();
    assert.ok(await world.runUntil(() => b.eth.state() === IF_READY, 30000));
    mq.connect(b.eth, 'cloud.sim', 1883);
    assert.ok(await world.runUntil(() => mq.state() === MC_UP, 10000), 'mqtt state ' + mq.state());
    mq.subscribe(['dev/eth-dev-1/in'], [1]);
    await world.run(500);
    await world.cloud.broker.publish('dev/eth-dev-1/in', 'hello over ethernet', 1);
    mq.publish('dev/eth-dev-1/out', 'y'.repeat(3000), 1, false);
    assert.ok(await world.runUntil(() => got.length > 0 && mq.inFlight() === 0, 10000));
    assert.deepEqual(got, ['dev/eth-dev-1/in=hello over ethernet']);
    await world.run(45000);
    assert.equal(mq.state(), MC_UP);
    assert.ok(mq.nPong >= 1);
    mq.close();
  });

  it('closes sockets with E_NETDOWN when the world link goes down, and comes back when it returns', async function () {
    world = new World({ seed: 14 });
    tcpEcho(world, 7007);
    var b = board(world);
    b.eth.connect();
    assert.ok(await world.runUntil(() => b.eth.state() === IF_READY, 30000));
    var closed = -1, up = false;
    b.eth.tcp({ host: world.cloud.ip, port: 7007, onConnect: () => (up = true), onClose: (e) => (closed = e) });
    assert.ok(await world.runUntil(() => up, 5000));
    world.link('eth0').set({ up: false });
    assert.ok(await world.runUntil(() => closed >= 0, 2000));
    assert.equal(closed, E_NETDOWN);
    world.link('eth0').set({ up: true });
    assert.ok(await world.runUntil(() => b.eth.state() === IF_READY, 30000));
  });
});
