import { strict as assert } from 'assert';
import { Aedes } from 'aedes';
import * as mqtt from 'mqtt';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { MemoryLog } from '../../hal/host/console-log';
import {
  CloudSession, CloudSessionOptions, PUB_OK, PUB_QUEUED, PUB_OFFLINE, PUB_FULL, PUB_TOO_BIG,
} from '../../src/cloud/cloud-session';
import { MQ_D_TIMEOUT, MQ_D_PROTOCOL } from '../../src/cloud/mqtt-client';
import { MQ_E_SIZE } from '../../src/cloud/mqtt-codec';
import { R_NONE, R_NOT_AUTHORISED, R_NO_SERVER } from '../../src/net/types';
import { FakeLink, FakeIface, settle, run, startBroker, stopBroker, outsideClient } from './fake-link';

const APP = { username: 'app', password: 'app-pass' };

describe('CloudSession (against aedes)', () => {
  let broker: Aedes;
  let clock: VirtualClock;
  let link: FakeLink;
  let iface: FakeIface;
  let outside: mqtt.MqttClient;
  let heard: string[];
  let log: MemoryLog;

  beforeEach(async () => {
    broker = await startBroker({ dev1: 'secret', app: 'app-pass' });
    clock = new VirtualClock();
    link = new FakeLink(clock, (s) => broker.handle(s));
    iface = new FakeIface(link);
    log = new MemoryLog();
    outside = await outsideClient(broker, APP);
    heard = [];
    outside.on('message', (t, p) => heard.push(t + '=' + p.toString()));
  });

  afterEach(async () => {
    outside.end(true);
    await stopBroker(broker);
  });

  function session(o: Partial<CloudSessionOptions> = {}): CloudSession {
    return new CloudSession({ clock, log, host: 'cloud.example', deviceId: 'dev1', username: 'dev1', password: 'secret', ...o });
  }

  async function connect(s: CloudSession): Promise<number> {
    let r = -1;
    s.connect(iface, (x) => (r = x));
    assert.ok(await settle(clock, () => r >= 0), 'connect never called back');
    return r;
  }

  const sub = (t: string) => new Promise((r) => outside.subscribe(t, { qos: 1 }, r));

  describe('CloudLink', () => {
    it('connects: callback R_NONE, "up" with the interface, retained status "online"', async () => {
      const s = session();
      const ups: any[] = [];
      s.events.on('up', (i) => ups.push(i));
      assert.equal(await connect(s), R_NONE);
      assert.ok(s.connected());
      assert.deepEqual(ups, [iface]);
      assert.equal(s.iface(), iface);
      await run(clock, 100);
      await sub('d/dev1/status');
      assert.ok(await settle(clock, () => heard.length > 0));
      assert.deepEqual(heard, ['d/dev1/status=online']);
    });

    it('maps a bad password to R_NOT_AUTHORISED and never logs the password', async () => {
      const s = session({ password: 'hunter2-wrong' });
      assert.equal(await connect(s), R_NOT_AUTHORISED);
      assert.ok(!s.connected());
      assert.equal(s.iface(), null);
      assert.ok(log.lines.length > 0);
      assert.ok(log.lines.every((l) => l.indexOf('hunter2') < 0));
    });

    it('emits "lost" (R_NO_SERVER, timeout) when keepalive finds a silent link, and the will says offline', async () => {
      await sub('d/dev1/status');
      const s = session({ keepAliveS: 5, pingTimeoutMs: 2000 });
      const lost: any[] = [];
      s.events.on('lost', (r, c) => lost.push([r, c]));
      await connect(s);
      link.cut('silent');
      assert.ok(await settle(clock, () => lost.length > 0, 20000));
      assert.deepEqual(lost, [[R_NO_SERVER, MQ_D_TIMEOUT]]);
      assert.equal(s.iface(), null);
      assert.ok(await settle(clock, () => heard.indexOf('d/dev1/status=offline') >= 0));
    });

    it('disconnect() is graceful: "disconnected" but no "lost", status "offline"', async () => {
      const s = session();
      const ev: string[] = [];
      s.events.on('lost', () => ev.push('lost'));
      s.events.on('disconnected', () => ev.push('disconnected'));
      await connect(s);
      await sub('d/dev1/status');
      s.disconnect();
      assert.ok(await settle(clock, () => heard.indexOf('d/dev1/status=offline') >= 0));
      assert.deepEqual(ev, ['disconnected']);
      assert.ok(!s.connected());
    });

    it('a second connect abandons the first without calling its callback', async () => {
      const s = session();
      const first: number[] = [];
      s.connect(iface, (r) => first.push(r));
      assert.equal(await connect(s), R_NONE);
      await run(clock, 1000);
      assert.deepEqual(first, []);
    });

    it('emits "rx" for inbound packets and answers ping()', async () => {
      const s = session();
      let rx = 0;
      s.events.on('rx', () => rx++);
      await connect(s);
      const n = rx;
      let ok: boolean | null = null;
      s.ping(2000, (x) => (ok = x));
      assert.ok(await settle(clock, () => ok !== null));
      assert.equal(ok, true);
      assert.ok(rx > n);
      assert.ok(s.lastRx() > 0);
    });

    it('reports an oversize incoming packet as "protocol_error" and drops the session', async () => {
      const s = session({ maxPacket: 200 });
      const ev: any[] = [];
      s.events.on('protocol_error', (c) => ev.push(['protocol_error', c]));
      s.events.on('lost', (r, c) => ev.push(['lost', r, c]));
      s.subscribe('big', () => assert.fail('delivered'));
      await connect(s);
      await run(clock, 100);
      outside.publish('d/x/e/big', 'x'.repeat(500));
      assert.ok(await settle(clock, () => ev.length >= 2));
      assert.deepEqual(ev, [['protocol_error', MQ_E_SIZE], ['lost', R_NO_SERVER, MQ_D_PROTOCOL]]);
    });

    it('gives the manager its probe targets', () => {
      const s = session({ port: 8883, echoPort: 7007 });
      assert.equal(s.host(), 'cloud.example');
      assert.equal(s.port(), 8883);
      assert.equal(s.echoPort(), 7007);
      assert.equal(session().echoPort(), 7);
      assert.equal(session().port(), 1883);
    });
  });

  describe('Particle layer', () => {
    it('publish QoS 1: PUB_OK after the PUBACK, event on d/<id>/e/<name>', async () => {
      await sub('d/+/e/#');
      const s = session();
      await connect(s);
      const res: number[] = [];
      assert.equal(s.publish('temp', 21.5, { qos: 1 }, (r) => res.push(r)), true);
      assert.deepEqual(res, [], 'never called back synchronously');
      assert.ok(await settle(clock, () => res.length > 0 && heard.length > 0));
      assert.deepEqual(res, [PUB_OK]);
      assert.deepEqual(heard, ['d/dev1/e/temp=21.5']);
    });

    it('publish results: offline QoS 0, queued QoS 1, too big, and full under reject-new', async () => {
      const s = session({ maxPacket: 100, outbox: { maxCount: 1, policy: 'reject-new' } });
      const res: number[] = [];
      assert.equal(s.publish('a', 'x', undefined, (r) => res.push(r)), false);
      assert.equal(s.publish('b', 'x', { qos: 1 }, (r) => res.push(r)), true);
      assert.equal(s.publish('c', 'x', { qos: 1 }, (r) => res.push(r)), false);
      assert.equal(s.publish('d', 'x'.repeat(200), { qos: 1 }, (r) => res.push(r)), false);
      await run(clock, 1);
      assert.deepEqual(res, [PUB_OFFLINE, PUB_QUEUED, PUB_FULL, PUB_TOO_BIG]);
      assert.equal(s.stats().dropped, 1);
    });

    it('a QoS 1 publish made offline is delivered after connecting', async () => {
      await sub('d/dev1/e/#');
      const st = new MemoryStorage();
      const s = session({ storage: st });
      s.publish('queued', 'v', { qos: 1 });
      assert.equal(st.list('mqob_').length, 1);
      await connect(s);
      assert.ok(await settle(clock, () => heard.length > 0 && s.stats().queued === 0));
      assert.deepEqual(heard, ['d/dev1/e/queued=v']);
      assert.deepEqual(st.list('mqob_'), []);
    });

    it('a QoS 1 publish whose link dies before the PUBACK reports PUB_QUEUED and is stored', async () => {
      const st = new MemoryStorage();
      const s = session({ storage: st });
      await connect(s);
      link.cut('silent');
      const res: number[] = [];
      s.publish('late', 'v', { qos: 1 }, (r) => res.push(r));
      link.cut('close');
      assert.ok(await settle(clock, () => res.length > 0));
      assert.deepEqual(res, [PUB_QUEUED]);
      assert.equal(st.list('mqob_').length, 1);
    });

    it('retained publish reaches a later subscriber', async () => {
      const s = session();
      await connect(s);
      s.publish('config', 'v2', { qos: 1, retained: true });
      await run(clock, 100);
      await sub('d/dev1/e/config');
      assert.ok(await settle(clock, () => heard.length > 0));
      assert.deepEqual(heard, ['d/dev1/e/config=v2']);
    });

    it('subscribe matches event-name prefixes from any device, like Particle', async () => {
      const s = session();
      const got: string[] = [];
      s.subscribe('sensor/te', (n, d, from) => got.push(from + ':' + n + '=' + d));
      s.subscribe('alarm', (n, d) => got.push('alarm:' + n + '=' + d));
      await connect(s);
      await run(clock, 100);
      for (const [t, p] of [['d/dev7/e/sensor/temp', '20'], ['d/dev7/e/sensor/hum', '50'], ['d/dev8/e/sensor/te', 'x'], ['d/dev9/e/alarmed', 'y'], ['d/dev9/e/xalarm', 'z']]) {
        outside.publish(t, p, { qos: 1 });
      }
      assert.ok(await settle(clock, () => got.length >= 3));
      await run(clock, 200);
      assert.deepEqual(got.sort(), ['alarm:alarmed=y', 'dev7:sensor/temp=20', 'dev8:sensor/te=x']);
    });

    it('subscribes on the broker with the complete levels of the prefix', async () => {
      const filters: string[] = [];
      broker.on('subscribe', (subs, cl) => {
        if (cl.id === 'dev1') for (const x of subs) filters.push(x.topic + '@' + x.qos);
      });
      const s = session();
      s.subscribe('sensor/te', () => undefined);
      s.subscribe('sensor/x', () => undefined);
      await connect(s);
      s.subscribe('alarm', () => undefined);
      await run(clock, 200);
      assert.deepEqual(filters, ['d/dev1/f/#@1', 'd/dev1/v/+/get@0', 'd/+/e/sensor/#@0', 'd/+/e/#@0']);
    });

    it('unsubscribe() removes every handler', async () => {
      const s = session();
      const got: string[] = [];
      s.subscribe('a', (n) => got.push(n));
      await connect(s);
      s.unsubscribe();
      await run(clock, 100);
      outside.publish('d/x/e/a', '1', { qos: 1 });
      await run(clock, 300);
      assert.deepEqual(got, []);
    });

    it('function: a cloud call gets the integer result on the reply topic, with a call id', async () => {
      await sub('d/dev1/r/#');
      const s = session();
      const args: string[] = [];
      s.function('add', (a) => {
        args.push(a);
        const [x, y] = a.split(',').map(Number);
        return x + y + 0.4;
      });
      s.function('boom', () => {
        throw new Error('x');
      });
      await connect(s);
      await run(clock, 100);
      outside.publish('d/dev1/f/add/c42', '2,3', { qos: 1 });
      outside.publish('d/dev1/f/add', '10,-20', { qos: 1 });
      outside.publish('d/dev1/f/nope', '', { qos: 1 });
      outside.publish('d/dev1/f/boom', '', { qos: 1 });
      assert.ok(await settle(clock, () => heard.length >= 4));
      assert.deepEqual(args, ['2,3', '10,-20']);
      // results are truncated to 32-bit integers, as a C int return would be: 5.4 → 5, -9.6 → -9
      assert.deepEqual(heard.sort(), ['d/dev1/r/add/c42=5', 'd/dev1/r/add=-9', 'd/dev1/r/boom=err:exception', 'd/dev1/r/nope=err:unknown'].sort());
    });

    it('variable: a read gets the current value', async () => {
      await sub('d/dev1/v/+');
      const s = session();
      let t = 20;
      s.variable('temp', () => t);
      s.variable('name', () => 'kitchen');
      s.variable('ok', () => true);
      await connect(s);
      await run(clock, 100);
      t = 23.5;
      for (const n of ['temp', 'name', 'ok', 'missing']) outside.publish('d/dev1/v/' + n + '/get', '', { qos: 0 });
      assert.ok(await settle(clock, () => heard.length >= 4));
      assert.deepEqual(heard.sort(), ['d/dev1/v/missing=err:unknown', 'd/dev1/v/name=kitchen', 'd/dev1/v/ok=true', 'd/dev1/v/temp=23.5']);
    });

    it('validates names and handlers with a TypeError', () => {
      const s = session();
      assert.throws(() => s.publish('', 'x'), TypeError);
      assert.throws(() => s.publish('a/#', 'x'), TypeError);
      assert.throws(() => s.function('a/b', () => 1), TypeError);
      assert.throws(() => s.variable('v', 5 as any), TypeError);
      assert.throws(() => s.subscribe('x+', () => 1), TypeError);
      assert.throws(() => s.keepAlive(-1), TypeError);
      assert.throws(() => session({ deviceId: 'a/b' }), TypeError);
    });

    it('keepAlive(seconds) applies to the next connection', async () => {
      const s = session();
      s.keepAlive(25);
      await connect(s);
      const pings: number[] = [];
      broker.on('ping', () => pings.push(clock.now()));
      await run(clock, 60000);
      assert.equal(pings.length, 2, 'a ping each 25 s of idle');
      assert.equal(s.deviceId(), 'dev1');
    });

    it('emits "connected" and "disconnected"', async () => {
      const s = session();
      const ev: string[] = [];
      s.events.on('connected', () => ev.push('c'));
      s.events.on('disconnected', () => ev.push('d'));
      await connect(s);
      link.cut('close');
      assert.ok(await settle(clock, () => ev.length === 2));
      assert.deepEqual(ev, ['c', 'd']);
    });
  });
});
