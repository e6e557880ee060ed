/**
 * The "no loss" and "reboot" points, over the in-test virtual link (fake-link.ts). The lead ports
 * the no-loss run to the simulated world once sim/ exists.
 */
import { strict as assert } from 'assert';
import { Aedes } from 'aedes';
import * as mqtt from 'mqtt';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { CloudSession, CloudSessionOptions, PUB_QUEUED } from '../../src/cloud/cloud-session';
import { R_NONE } from '../../src/net/types';
import { FakeLink, FakeIface, settle, run, startBroker, stopBroker, outsideClient } from './fake-link';

describe('CloudSession delivery guarantees', () => {
  let broker: Aedes;
  let outside: mqtt.MqttClient;
  let seen: number[];

  beforeEach(async () => {
    broker = await startBroker({ dev1: 'secret', app: 'app-pass' });
    outside = await outsideClient(broker, { username: 'app', password: 'app-pass' });
    seen = [];
    outside.on('message', (_t, p) => seen.push(+p.toString()));
    await new Promise((r) => outside.subscribe('d/dev1/e/n', { qos: 1 }, r));
  });

  afterEach(async () => {
    outside.end(true);
    await stopBroker(broker);
  });

  function session(clock: VirtualClock, st: MemoryStorage, o: Partial<CloudSessionOptions> = {}): CloudSession {
    return new CloudSession({
      clock, storage: st, host: 'cloud', deviceId: 'dev1', username: 'dev1', password: 'secret',
      keepAliveS: 5, pingTimeoutMs: 2000, connectTimeoutMs: 5000, window: 8,
      outbox: { maxCount: 1000, maxBytes: 100000 }, ...o,
    });
  }

  /** Every number 0..n-1 arrived, first arrivals in order, and every duplicate repeats an earlier one. */
  function checkDelivery(n: number): { dups: number } {
    const first: number[] = [];
    const got = new Set<number>();
    let dups = 0;
    for (const x of seen) {
      if (got.has(x)) dups++;
      else {
        got.add(x);
        first.push(x);
      }
    }
    assert.equal(got.size, n, 'missing: ' + [...Array(n).keys()].filter((i) => !got.has(i)).slice(0, 10).join(','));
    for (let i = 0; i < first.length; i++) assert.equal(first[i], i, 'out of order at ' + i);
    return { dups };
  }

  it('no loss: 1 000 QoS 1 publishes across 20 cuts of the link all arrive, in order', async function () {
    this.timeout(20000);
    const clock = new VirtualClock();
    const link = new FakeLink(clock, (s) => broker.handle(s));
    link.latencyMs = 20; // PUBACKs are still under way when the link is cut: duplicates become possible
    const iface = new FakeIface(link);
    const st = new MemoryStorage();
    const s = session(clock, st);
    let lost = 0;
    // The connection manager's part, reduced to "retry every second over the one interface".
    const retry = () => {
      if (s.connected()) return;
      if (!link.up) return void clock.setTimeout(retry, 1000);
      s.connect(iface, (r) => {
        if (r !== R_NONE) clock.setTimeout(retry, 1000);
      });
    };
    s.events.on('lost', () => {
      lost++;
      clock.setTimeout(retry, 1000);
    });
    retry();
    assert.ok(await settle(clock, () => s.connected()));

    let n = 0;
    const pub = async (k: number) => {
      for (let i = 0; i < k; i++) {
        s.publish('n', String(n++), { qos: 1 });
        await run(clock, 3);
      }
    };
    for (let cycle = 0; cycle < 20; cycle++) {
      await pub(20);
      link.cut(cycle % 2 ? 'close' : 'silent'); // silent: bytes vanish until the keepalive gives up
      await pub(30);
      assert.ok(await settle(clock, () => !s.connected(), 20000), 'cut not noticed');
      await run(clock, 500);
      link.restore();
      assert.ok(await settle(clock, () => s.connected(), 20000), 'no reconnect');
    }
    assert.equal(n, 1000);
    assert.ok(await settle(clock, () => seen.length >= 1000 && s.stats().queued === 0 && s.stats().inFlight === 0, 120000), `only ${seen.length} arrived`);
    await run(clock, 500);
    const { dups } = checkDelivery(1000);
    const resent = s.stats().resent;
    assert.equal(lost, 20);
    assert.ok(dups <= resent, `${dups} duplicates but only ${resent} DUP resends`);
    assert.equal(s.stats().dropped, 0);
    assert.deepEqual(st.list('mqob_'), [], 'outbox files all erased');
    // The duplicate count is part of the result: print it once.
    console.log(`      no-loss: 1000 delivered, ${dups} duplicates (${resent} DUP resends), ${link.opened} connections`);
  });

  it('reboot: publishes queued in Storage are delivered by a new session over the same Storage', async () => {
    const st = new MemoryStorage();
    const c1 = new VirtualClock();
    const l1 = new FakeLink(c1, (x) => broker.handle(x));
    const a = session(c1, st);
    const res: number[] = [];
    for (let i = 0; i < 5; i++) a.publish('n', String(i), { qos: 1 }, (r) => res.push(r));
    let ok = -1;
    a.connect(new FakeIface(l1), (r) => (ok = r));
    assert.ok(await settle(c1, () => ok === R_NONE && seen.length === 5 && a.stats().queued === 0 && a.stats().inFlight === 0));
    l1.cut('silent');
    for (let i = 5; i < 20; i++) a.publish('n', String(i), { qos: 1 });
    await run(c1, 100);
    // Power cut: session A is gone without noticing anything. Only Storage remains.
    assert.deepEqual(res, [PUB_QUEUED, PUB_QUEUED, PUB_QUEUED, PUB_QUEUED, PUB_QUEUED]);
    const kept = st.list('mqob_').length;
    assert.equal(kept, 7, 'what did not fit the window of 8 was written at once');

    const c2 = new VirtualClock();
    const l2 = new FakeLink(c2, (x) => broker.handle(x));
    const b = session(c2, st);
    assert.equal(b.stats().queued, 7);
    ok = -1;
    b.connect(new FakeIface(l2), (r) => (ok = r));
    assert.ok(await settle(c2, () => ok === R_NONE && b.stats().queued === 0 && seen.length === 12));
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 13, 14, 15, 16, 17, 18, 19]);
    assert.deepEqual(st.list('mqob_'), []);
  });

  it('reboot with persist "always": messages in flight when the power went survive too', async () => {
    const st = new MemoryStorage();
    const c1 = new VirtualClock();
    const l1 = new FakeLink(c1, (x) => broker.handle(x));
    const a = session(c1, st, { outbox: { persist: 'always' } });
    let ok = -1;
    a.connect(new FakeIface(l1), (r) => (ok = r));
    assert.ok(await settle(c1, () => ok === R_NONE));
    l1.cut('silent');
    for (let i = 0; i < 10; i++) a.publish('n', String(i), { qos: 1 });
    await run(c1, 100);
    const c2 = new VirtualClock();
    const l2 = new FakeLink(c2, (x) => broker.handle(x));
    const b = session(c2, st);
    ok = -1;
    b.connect(new FakeIface(l2), (r) => (ok = r));
    assert.ok(await settle(c2, () => ok === R_NONE && seen.length === 10));
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
