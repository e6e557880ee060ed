/**
 * The soak, short (CI): 200 random faults on the whole simulated board while the sketch publishes QoS 1.
 * `npm run soak -- --faults 10000 --seed 1` is the long run.
 */
import { strict as assert } from 'assert';
import { runSoak, SoakReport } from '../../sim/soak/soak';
import { FAULT_KINDS } from '../../sim/soak/faults';

describe('soak (short)', function () {
  this.timeout(60000);
  var r: SoakReport;

  before(async function () {
    r = await runSoak({ faults: 200, seed: 1 });
  });

  it('injects faults of every kind', function () {
    assert.equal(r.faults, 200);
    assert.ok(Object.keys(r.faultKinds).length >= FAULT_KINDS.length - 2, JSON.stringify(r.faultKinds));
  });

  it('nothing crashes, nothing stalls', function () {
    assert.equal(r.crashes, 0, r.crashSamples.join('\n'));
    assert.equal(r.stall, '');
  });

  it('loses no QoS 1 message and ends healthy', function () {
    assert.ok(r.published >= 100, 'published ' + r.published);
    assert.equal(r.lost, 0, 'lost e.g. ' + r.lostSeqs.join(','));
    assert.equal(r.delivered, r.published);
    assert.ok(r.healthyAtEnd);
  });

  it('keeps queues and buffers bounded', function () {
    assert.ok(r.maxOutbox <= 256 && r.maxOutboxBytes <= 16384, 'outbox ' + r.maxOutbox + ' / ' + r.maxOutboxBytes);
    assert.ok(r.maxInFlight <= 8);
    assert.ok(r.maxAtPending <= 24 + 1 + 16);
    assert.ok(r.maxFootprintBytes < 32768, 'footprint ' + r.maxFootprintBytes);
  });

  it('every interface comes back: none stays down much longer than the longest fault', function () {
    for (var id in r.longestNotReadyMs) assert.ok(r.longestNotReadyMs[id] < 20 * 60000, id + ' not ready for ' + r.longestNotReadyMs[id] + ' ms');
  });

  it('moves the cloud across interfaces', function () {
    assert.ok(Object.keys(r.moves).length >= 2, JSON.stringify(r.moves));
  });

  it('finds no password in logs, events, metrics or foreign Storage keys', function () {
    assert.deepEqual(r.secretHits, []);
  });

  it('the same seed gives the same faults and the same outcome', async function () {
    var r2 = await runSoak({ faults: 200, seed: 1, scan: false });
    assert.deepEqual(r2.faultKinds, r.faultKinds);
    assert.equal(r2.published, r.published);
    assert.deepEqual(r2.moves, r.moves);
  });

  it('with TLS required: no connection to the plain port, nothing lost', async function () {
    var t = await runSoak({ faults: 100, seed: 3, tls: true, scan: false });
    assert.equal(t.crashes, 0, t.crashSamples.join('\n'));
    assert.equal(t.lost, 0);
    assert.equal(t.plainConnects, 0);
    assert.ok(t.tls && t.tls.handshakes >= 1);
    assert.ok(!t.moves.eth0, 'never over Ethernet: ' + JSON.stringify(t.moves));
  });
});
