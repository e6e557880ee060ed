import { strict as assert } from 'assert';
import { Aedes } from 'aedes';
import * as mqtt from 'mqtt';
import { VirtualClock } from '../../hal/host/virtual-clock';
import {
  MqttClient, MqttClientOptions, MC_UP, MC_DOWN, MQ_OK, MQ_OFFLINE, MQ_D_REFUSED, MQ_D_TIMEOUT, MQ_D_PROTOCOL, MQ_D_SOCKET,
} from '../../src/cloud/mqtt-client';
import { MQ_E_SIZE } from '../../src/cloud/mqtt-codec';
import { E_NETDOWN } from '../../src/net/types';
import { FakeLink, FakeIface, settle, run, startBroker, stopBroker, outsideClient } from './fake-link';

describe('MqttClient (against aedes)', () => {
  let broker: Aedes;
  let clock: VirtualClock;
  let link: FakeLink;
  let iface: FakeIface;
  let outside: mqtt.MqttClient | null;
  let downs: Array<[number, number]>;
  let ups: boolean[];

  beforeEach(async () => {
    broker = await startBroker({ dev1: 'secret', app: 'app-pass' });
    clock = new VirtualClock();
    link = new FakeLink(clock, (s) => broker.handle(s));
    iface = new FakeIface(link);
    outside = null;
    downs = [];
    ups = [];
  });

  afterEach(async () => {
    if (outside) outside.end(true);
    await stopBroker(broker);
  });

  function client(o: Partial<MqttClientOptions> = {}): MqttClient {
    return new MqttClient({
      clock, id: 'dev1', user: 'dev1', pass: 'secret', keepAliveS: 60,
      onUp: (sp) => ups.push(sp),
      onDown: (c, d) => downs.push([c, d]),
      ...o,
    });
  }

  async function connected(c: MqttClient): Promise<void> {
    const n = downs.length;
    c.connect(iface, '10.0.0.1', 1883);
    assert.ok(await settle(clock, () => c.state() === MC_UP || downs.length > n), 'no outcome');
    assert.equal(c.state(), MC_UP, 'not up: ' + JSON.stringify(downs));
  }

  it('connects with user name and password; the broker sees the device id', async () => {
    const seen: string[] = [];
    broker.on('clientReady', (cl) => seen.push(cl.id));
    const c = client();
    await connected(c);
    assert.deepEqual(ups, [false]);
    assert.ok(await settle(clock, () => seen.length > 0));
    assert.deepEqual(seen, ['dev1']);
  });

  it('reports a refused CONNACK (bad password) with its return code', async () => {
    const c = client({ pass: 'wrong' });
    c.connect(iface, '10.0.0.1', 1883);
    assert.ok(await settle(clock, () => downs.length > 0));
    assert.deepEqual(downs, [[MQ_D_REFUSED, 4]]);
    assert.equal(c.state(), MC_DOWN);
  });

  it('gets a PUBACK for a QoS 1 publish, which an outside subscriber receives', async () => {
    outside = await outsideClient(broker, { username: 'app', password: 'app-pass' });
    const got: string[] = [];
    outside.on('message', (t, p) => got.push(t + '=' + p.toString()));
    await new Promise((r) => outside!.subscribe('x/#', { qos: 1 }, r));
    const acked: any[] = [];
    const c = client({ onPubAck: (tag) => acked.push(tag) });
    await connected(c);
    assert.equal(c.publish('x/y', 'hello', 1, false, 'tag1'), MQ_OK);
    assert.equal(c.inFlight(), 1);
    assert.ok(await settle(clock, () => acked.length > 0 && got.length > 0));
    assert.deepEqual(acked, ['tag1']);
    assert.deepEqual(got, ['x/y=hello']);
    assert.equal(c.inFlight(), 0);
  });

  it('subscribes with QoS 1 and delivers messages, acknowledging them', async () => {
    const msgs: string[] = [];
    const subacks: any[] = [];
    const c = client({ onMessage: (t, p, q) => msgs.push(t + '=' + p + '@' + q), onSubAck: (tag, g) => subacks.push([tag, g]) });
    await connected(c);
    assert.equal(c.subscribe(['in/#', 'other'], [1, 2], 's1'), MQ_OK);
    assert.ok(await settle(clock, () => subacks.length > 0));
    assert.deepEqual(subacks, [['s1', [1, 1]]], 'QoS 2 is asked as 1');
    outside = await outsideClient(broker, { username: 'app', password: 'app-pass' });
    outside.publish('in/a', 'one', { qos: 1 });
    outside.publish('in/b', 'two', { qos: 0 });
    assert.ok(await settle(clock, () => msgs.length === 2));
    assert.deepEqual(msgs.sort(), ['in/a=one@1', 'in/b=two@0']);
  });

  it('unsubscribes', async () => {
    const msgs: string[] = [];
    const acks: any[] = [];
    const c = client({ onMessage: (t) => msgs.push(t), onSubAck: (tag, g) => acks.push([tag, g]) });
    await connected(c);
    c.subscribe(['in/#'], [0], 'sub');
    assert.ok(await settle(clock, () => acks.length === 1));
    c.unsubscribe(['in/#'], 'unsub');
    assert.ok(await settle(clock, () => acks.length === 2));
    assert.deepEqual(acks[1], ['unsub', null]);
    outside = await outsideClient(broker, { username: 'app', password: 'app-pass' });
    outside.publish('in/a', 'x', { qos: 1 });
    await run(clock, 200);
    assert.deepEqual(msgs, []);
  });

  it('refuses QoS 0 and subscriptions while down, but keeps QoS 1 for later', async () => {
    const acked: any[] = [];
    const c = client({ onPubAck: (t) => acked.push(t) });
    assert.equal(c.publish('a', 'b', 0, false), MQ_OFFLINE);
    assert.equal(c.subscribe(['a'], [0]), MQ_OFFLINE);
    assert.equal(c.publish('a', 'later', 1, false, 'L'), MQ_OK);
    await connected(c);
    assert.ok(await settle(clock, () => acked.length > 0));
    assert.deepEqual(acked, ['L']);
    assert.equal(c.nResent, 0, 'first sent after connect: no DUP');
  });

  it('sends PINGREQ every keepalive period while idle, and stays up', async () => {
    let pings = 0;
    broker.on('ping', () => pings++);
    const c = client({ keepAliveS: 10 });
    await connected(c);
    await run(clock, 35000);
    assert.equal(pings, 3);
    assert.equal(c.nPong, 3);
    assert.equal(c.state(), MC_UP);
    assert.deepEqual(downs, []);
  });

  it('detects a link that silently drops everything: no PINGRESP, down with a timeout', async () => {
    const c = client({ keepAliveS: 10, pingTimeoutMs: 3000 });
    await connected(c);
    const t0 = clock.now();
    link.cut('silent');
    assert.ok(await settle(clock, () => downs.length > 0, 30000));
    assert.deepEqual(downs, [[MQ_D_TIMEOUT, 0]]);
    assert.ok(clock.now() - t0 <= 13000 + 100, 'within keepalive + ping timeout');
  });

  it('reports a socket that closes under it (interface down)', async () => {
    const c = client();
    await connected(c);
    link.cut('close');
    assert.ok(await settle(clock, () => downs.length > 0));
    assert.deepEqual(downs, [[MQ_D_SOCKET, E_NETDOWN]]);
  });

  it('resends an unacknowledged QoS 1 publish with DUP after reconnecting', async () => {
    const dups: boolean[] = [];
    broker.on('publish', (p, cl) => {
      if (cl && p.topic === 'x') dups.push(!!p.dup);
    });
    const acked: any[] = [];
    const c = client({ onPubAck: (t) => acked.push(t) });
    await connected(c);
    link.cut('silent');
    c.publish('x', 'm', 1, false, 'M');
    await run(clock, 100);
    link.cut('close');
    assert.ok(await settle(clock, () => downs.length > 0));
    assert.equal(c.inFlight(), 1);
    link.restore();
    await connected(c);
    assert.ok(await settle(clock, () => acked.length > 0));
    assert.deepEqual(acked, ['M']);
    assert.equal(c.nResent, 1);
    assert.deepEqual(dups, [true], 'the first copy was lost on the wire; the broker got the DUP copy');
  });

  it('drops the connection with a protocol error on an oversize incoming packet', async () => {
    const c = client({ maxPacket: 256, onMessage: () => assert.fail('oversize message delivered') });
    await connected(c);
    c.subscribe(['big'], [0]);
    await run(clock, 100);
    outside = await outsideClient(broker, { username: 'app', password: 'app-pass' });
    outside.publish('big', 'x'.repeat(1000));
    assert.ok(await settle(clock, () => downs.length > 0));
    assert.deepEqual(downs, [[MQ_D_PROTOCOL, MQ_E_SIZE]]);
  });

  it('answers ping() within its timeout and fails it when down', async () => {
    const c = client();
    const res: boolean[] = [];
    c.ping(1000, (ok) => res.push(ok));
    await run(clock, 10);
    assert.deepEqual(res, [false]);
    await connected(c);
    c.ping(1000, (ok) => res.push(ok));
    assert.ok(await settle(clock, () => res.length === 2));
    assert.deepEqual(res, [false, true]);
    assert.ok(c.lastRx() > 0);
  });

  it('times out a connect that gets no CONNACK', async () => {
    const c = client({ connectTimeoutMs: 5000 });
    link.cut('silent');
    c.connect(iface, '10.0.0.1', 1883);
    assert.ok(await settle(clock, () => downs.length > 0, 20000));
    assert.equal(downs[0][0], MQ_D_TIMEOUT);
  });
});
