import { strict as assert } from 'assert';
import {
  ConnectionPolicy, PolicyIf, PolicyInput, B_FORCED, B_SEQUENCE, B_PREFERRED, B_SCORE, B_DEFAULT, mergeSettings, DEFAULT_SETTINGS
} from '../../src/connection/policy';
import { BaselinePolicy } from '../../src/connection/baseline-policy';
import { ProbeResult, PM_UDP } from '../../src/connection/probe';
import { expBackoffMs, particleBackoffMs, Prng } from '../../src/connection/backoff';
import { normaliseSequence } from '../../src/connection/failover-sequence';
import { IfKind } from '../../src/net/types';

function probe(id: string, score: number): ProbeResult {
  var valid = score !== Infinity;
  return { id: id, t: 0, valid: valid, method: valid ? PM_UDP : 0, sent: 3, recv: valid ? 3 : 0, rtt: valid ? score : -1, loss: 0, score: score, bytes: 0, durMs: 0, err: 0 };
}

function pif(id: string, kind: IfKind, def: number, o?: Partial<PolicyIf>): PolicyIf {
  return Object.assign({ id: id, kind: kind, def: def, ready: true, pending: false, probe: null, preferred: false, damped: false, failed: false, readySince: 0 }, o || {});
}

function input(ifs: PolicyIf[], o?: Partial<PolicyInput>): PolicyInput {
  return Object.assign({ now: 100000, ifs: ifs, forced: null, sequence: [], current: null }, o || {});
}

var ETH = 'eth0', WL = 'wl0', CELL = 'cell0';

describe('ConnectionPolicy', function () {
  var pol = new ConnectionPolicy();

  it('stands in with the default order Ethernet, Wi-Fi, cellular before any probe', function () {
    var inp = input([pif(CELL, 'cell', 201), pif(WL, 'wifi', 101), pif(ETH, 'ethernet', 1)]);
    assert.deepEqual(pol.order(inp), [ETH, WL, CELL]);
    assert.equal(pol.basis(inp), B_DEFAULT);
  });

  it('orders by probe score, the default order breaking ties, unprobed before invalid', function () {
    var inp = input([
      pif(ETH, 'ethernet', 1, { probe: probe(ETH, 50) }),
      pif(WL, 'wifi', 101, { probe: probe(WL, 50) }),
      pif(CELL, 'cell', 201, { probe: probe(CELL, 30) })
    ]);
    assert.deepEqual(pol.order(inp), [CELL, ETH, WL]);
    assert.equal(pol.basis(inp), B_SCORE);
    inp.ifs[2].probe = probe(CELL, Infinity);
    inp.ifs[1].probe = null;
    assert.deepEqual(pol.order(inp), [ETH, WL, CELL]);
  });

  it('puts the preferred interface first unless its last probe was invalid', function () {
    var ifs = [pif(ETH, 'ethernet', 1, { probe: probe(ETH, 10) }), pif(CELL, 'cell', 201, { probe: probe(CELL, 90), preferred: true })];
    assert.deepEqual(pol.order(input(ifs)), [CELL, ETH]);
    assert.equal(pol.basis(input(ifs)), B_PREFERRED);
    ifs[1].probe = probe(CELL, Infinity);
    assert.deepEqual(pol.order(input(ifs)), [ETH, CELL]);
  });

  it('a forced interface is the only candidate', function () {
    var inp = input([pif(ETH, 'ethernet', 1), pif(WL, 'wifi', 101)], { forced: WL });
    assert.deepEqual(pol.order(inp), [WL]);
    assert.equal(pol.basis(inp), B_FORCED);
  });

  it('a failover sequence comes first, then the default order, regardless of scores', function () {
    var inp = input(
      [pif(ETH, 'ethernet', 1, { probe: probe(ETH, 10) }), pif(WL, 'wifi', 101, { probe: probe(WL, 5) }), pif(CELL, 'cell', 201, { probe: probe(CELL, 90) })],
      { sequence: ['cell'] }
    );
    assert.deepEqual(pol.order(inp), [CELL, ETH, WL]);
    assert.equal(pol.basis(inp), B_SEQUENCE);
  });

  it('sinks a damped (flapping) interface below the others', function () {
    var inp = input([pif(ETH, 'ethernet', 1, { damped: true }), pif(WL, 'wifi', 101)]);
    assert.deepEqual(pol.order(inp), [WL, ETH]);
    assert.equal(pol.damped([1000, 2000, 3000], 4000), true);
    assert.equal(pol.damped([1000, 2000, 3000], 62000), false);
  });

  it('fail-back needs the option, the dwell, a stable target and the margin', function () {
    var p = new ConnectionPolicy({ failBack: true });
    var cur = pif(WL, 'wifi', 101, { probe: probe(WL, 100) });
    var best = pif(ETH, 'ethernet', 1, { probe: probe(ETH, 60), readySince: 50000 });
    var inp = input([best, cur]);
    assert.equal(pol.shouldMove(inp, best, cur, 0), false, 'off by default');
    assert.equal(p.shouldMove(inp, best, cur, 0), true);
    assert.equal(p.shouldMove(inp, best, cur, 90000), false, 'within the minimum dwell');
    assert.equal(p.shouldMove(input([best, cur], { now: 60000 }), best, cur, 0), false, 'target not stable yet');
    best.probe = probe(ETH, 85);
    assert.equal(p.shouldMove(inp, best, cur, 0), false, 'inside the 25 % margin');
  });

  it('derives the cellular liveness interval from the data budget', function () {
    assert.equal(pol.idleMs('ethernet'), 5000);
    assert.equal(pol.idleMs('cell'), 248000, 'one 124-byte ping exchange per 248 s is 1800 bytes per hour');
    var frugal = new ConnectionPolicy({ cellBudgetBytesPerHour: 600 });
    assert.equal(frugal.idleMs('cell'), 744000);
  });

  it('backs off exponentially with jitter, bounded by the cap', function () {
    var g = new Prng(3);
    var rnd = function () { return g.next(); };
    var seen: number[] = [];
    for (var n = 1; n <= 12; n++) {
      var d = expBackoffMs(n, 1000, 60000, 0.5, rnd);
      var full = Math.min(60000, 1000 * Math.pow(2, n - 1));
      assert.ok(d >= full / 2 && d <= full, 'n=' + n + ' d=' + d);
      seen.push(d);
    }
    assert.equal(expBackoffMs(0, 1000, 60000, 0.5, rnd), 0);
    assert.ok(seen[10] !== seen[11], 'jittered');
  });

  it('rejects unknown or mistyped settings', function () {
    assert.throws(function () { mergeSettings(DEFAULT_SETTINGS, { graceMS: 1 }); }, TypeError);
    assert.throws(function () { mergeSettings(DEFAULT_SETTINGS, { graceMs: '1' }); }, TypeError);
    assert.equal(mergeSettings(DEFAULT_SETTINGS, { probe: { count: 4 } }).probe.count, 4);
    assert.equal(mergeSettings(DEFAULT_SETTINGS, { probe: { count: 4 } }).probe.size, 16);
  });
});

describe('BaselinePolicy', function () {
  var b = new BaselinePolicy();

  it('backs off like Device OS: 1 s five times, then 2, 4 … 128 s, no jitter', function () {
    var want = [1000, 1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 2000, 4000];
    for (var n = 1; n <= want.length; n++) assert.equal(particleBackoffMs(n), want[n - 1]);
    assert.equal(particleBackoffMs(36), 128000);
    assert.equal(particleBackoffMs(500), 128000);
    assert.equal(b.failDelayMs(0, 0, true, Math.random), 1000);
    assert.equal(b.failDelayMs(5, 0, true, Math.random), 2000);
  });

  it('moves to any strictly better interface at once (no dwell, no margin)', function () {
    var cur = pif(WL, 'wifi', 101, { probe: probe(WL, 100) });
    var best = pif(ETH, 'ethernet', 1, { probe: probe(ETH, 99), readySince: 99999 });
    assert.equal(b.shouldMove(input([best, cur]), best, cur, 99999), true);
  });

  it('ignores the failover sequence and flap damping', function () {
    var inp = input([pif(ETH, 'ethernet', 1, { damped: true }), pif(CELL, 'cell', 201)], { sequence: ['cell'] });
    assert.deepEqual(b.order(inp), [ETH, CELL]);
    assert.equal(b.damped([1, 2, 3, 4, 5], 6), false);
  });

  it('keeps alive after 25 s on Ethernet/Wi-Fi and 23 min on cellular', function () {
    assert.equal(b.idleMs('wifi'), 25000);
    assert.equal(b.idleMs('cell'), 23 * 60000);
    assert.equal(b.pingTimeoutMs('wifi'), 30000);
    assert.equal(b.s.probe.count, 10);
    assert.equal(b.s.probeBlocking, true);
  });
});

describe('normaliseSequence', function () {
  var all: IfKind[] = ['ethernet', 'wifi', 'cell'];
  it('turns specific ids generic, drops duplicates and absent hardware', function () {
    assert.deepEqual(normaliseSequence(['wl0', 'cell', 'wifi', 'eth0'], all, {}), ['wifi', 'cell', 'ethernet']);
    assert.deepEqual(normaliseSequence(['cell0', 'wifi'], ['ethernet', 'wifi'], {}), ['wifi']);
  });
  it('throws a TypeError for an unknown id or a non-array', function () {
    assert.throws(function () { normaliseSequence(['lora'], all, {}); }, TypeError);
    assert.throws(function () { normaliseSequence('wifi', all, {}); }, TypeError);
    assert.throws(function () { normaliseSequence([3], all, {}); }, TypeError);
  });
});
