import { strict as assert } from 'assert';
import { createSimBoard, SimBoard } from '../../boards/host-sim';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { HostMemory } from '../../hal/host/memory';
import { PUB_BUSY, PUB_OK } from '../../src/cloud/cloud-session';

/** Payloads the broker carries on `filter`. */
function listen(b: SimBoard, filter: string): Promise<string[]> {
  var got: string[] = [];
  return new Promise(function (res) {
    b.world.cloud.broker.aedes.subscribe(filter, function (p: any, cb: () => void) {
      got.push(p.payload.toString());
      cb();
    }, function () {
      res(got);
    });
  });
}

function copyOf(s: MemoryStorage): MemoryStorage {
  var c = new MemoryStorage();
  c.files = Object.assign({}, s.files);
  return c;
}

/** QoS 0 publish result through the API, as a PUB_* number (the callback comes from the event loop). */
async function pub0(b: SimBoard, data: string): Promise<number> {
  var r = -1;
  b.api.Particle.publish('q0', data, { qos: 0 }, function (x: number) { r = x; });
  await b.run(10);
  return r;
}

describe('low memory (simulated board, through the HAL memory hook)', function () {
  var boards: SimBoard[] = [];

  async function up(seed: number, storage?: MemoryStorage): Promise<SimBoard> {
    var b = await createSimBoard({ seed: seed, scenario: null, storage: storage || new MemoryStorage() });
    boards.push(b);
    assert.ok(await b.runUntil(function () { return b.session.connected(); }, 60000), 'cloud connected');
    return b;
  }

  afterEach(async function () {
    for (var b of boards) await b.stop();
    boards = [];
  });

  it('the host hook reports low memory with the figure it is given', function () {
    var m = new HostMemory(8000);
    var seen: string[][] = [];
    m.onLow(function (f) { seen.push(f); });
    m.low(['MEMORY'], 7900);
    assert.deepEqual(m.usage(), { usage: 7900, total: 8000 });
    assert.deepEqual(seen, [['MEMORY']]);
    m.low();
    assert.deepEqual(seen[1], ['LOW_MEMORY']);
    assert.equal(m.reports, 2);
  });

  it('emits System "low_memory" with the pool figure and sheds the move history, the probe cache and QoS 0', async function () {
    var b = await up(31);
    var events: any[] = [];
    b.api.System.on('low_memory', function (e: string, d: any) { events.push([e, d]); });
    var all: string[] = [];
    b.api.System.on('all_events', function (e: string) { all.push(e); });
    assert.ok(b.manager.moves().length >= 1, 'a move was recorded at boot');
    assert.equal(await pub0(b, 'before'), PUB_OK);

    b.memory.low(['LOW_MEMORY'], 15000);
    assert.deepEqual(events, [['low_memory', { used: 15000, total: 16383, flags: ['LOW_MEMORY'] }]]);
    assert.ok(all.indexOf('low_memory') >= 0, 'all_events includes low_memory');
    assert.deepEqual(b.manager.moves(), []);
    assert.deepEqual((b.manager as any)._prober._dns, {});
    assert.ok(b.log.lines.some(function (l: any) { return /low memory: 15000 of 16383/.test(JSON.stringify(l)); }), 'logged');

    // QoS 0 is refused for a while instead of growing the send backlog, then accepted again
    assert.equal(await pub0(b, 'during'), PUB_BUSY);
    assert.equal(b.api.Particle.publish('q0', 'x'), false);
    await b.run(11000);
    assert.equal(await pub0(b, 'after'), PUB_OK);
    assert.equal(b.memory.reports, 1);
  });

  it('never loses a QoS 1 message: all are in Storage right after the report, and all are delivered', async function () {
    var st = new MemoryStorage();
    var b = await up(32, st);
    var got = await listen(b, 'd/sim-32/e/m');
    var N = 12;
    for (var i = 0; i < N; i++) b.api.Particle.publish('m', 'n' + i, { qos: 1 });
    var ob = (b.session as any)._ob;
    // online, those handed to the client (the in-flight window) are in RAM only; those waiting behind it
    // are written to Storage, their RAM copies dropped
    var inFlight = ob.q.filter(function (e: any) { return e.f; }).length;
    assert.ok(inFlight > 0 && inFlight < N, 'in flight: ' + inFlight);
    assert.equal(st.list('mqob_').length, N - inFlight);
    var before = copyOf(st);
    b.memory.low(['MEMORY'], 16000);
    // low memory writes every one of them to Storage; only the in-flight ones keep a RAM copy (plus the
    // head of the waiting queue, read back when the client last asked for the next one)
    assert.equal(st.list('mqob_').length, N);
    assert.ok(ob.q.filter(function (e: any) { return e.t !== undefined; }).length <= inFlight + 1);
    var cut = copyOf(st);

    // the same board delivers all of them, in order, and the outbox empties
    assert.ok(await b.runUntil(function () { return got.length >= N && b.session.stats().queued === 0; }, 30000), 'delivered: ' + got.join(','));
    var want: string[] = [];
    for (i = 0; i < N; i++) want.push('n' + i);
    assert.deepEqual(got, want);
    assert.equal(st.list('mqob_').length, 0);

    // a power cut right after the report: a board booted over that flash still delivers all of them
    var b2 = await createSimBoard({ seed: 33, scenario: null, storage: cut });
    boards.push(b2);
    var got2 = await listen(b2, 'd/sim-32/e/m');   // the stored messages carry their topic
    assert.ok(await b2.runUntil(function () { return got2.length >= N; }, 30000), 'delivered after the cut: ' + got2.join(','));
    assert.deepEqual(got2, want);
    // whereas the flash as it was before the report lacked the in-flight ones
    assert.equal(before.list('mqob_').length, N - inFlight);
  });
});
