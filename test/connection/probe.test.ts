import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { Prober, ProbeResult, lossScore, PM_UDP, PM_TCP, UDP_OVERHEAD, TCP_PROBE_BYTES } from '../../src/connection/probe';
import { DEFAULT_SETTINGS } from '../../src/connection/policy';
import { BASELINE_SETTINGS } from '../../src/connection/baseline-policy';
import { Prng } from '../../src/connection/backoff';
import { E_NETDOWN, R_NO_LINK } from '../../src/net/types';
import { FakeIface, CLOUD_HOST, ECHO_PORT, BROKER_PORT } from './fakes';

var TARGET = { host: CLOUD_HOST, echoPort: ECHO_PORT, port: BROKER_PORT };

function ready(clock: VirtualClock, id: string, o: any): FakeIface {
  var f = new FakeIface(id, 'ethernet', clock, o);
  f.connect();
  clock.advance(1000);
  return f;
}

function run(clock: VirtualClock, p: Prober, ifs: FakeIface[]): { res: ProbeResult[] | null; at: number } {
  var out: { res: ProbeResult[] | null; at: number } = { res: null, at: -1 };
  var t0 = clock.now();
  p.run(ifs, TARGET, function (r) {
    out.res = r;
    out.at = clock.now() - t0;
  });
  clock.runUntil(function () {
    return out.res !== null;
  }, 10000);
  return out;
}

function prober(clock: VirtualClock, spec?: any): Prober {
  var g = new Prng(7);
  return new Prober({ clock: clock, spec: spec || DEFAULT_SETTINGS.probe, rnd: function () { return g.next(); } });
}

describe('probe', function () {
  it('scores like BASELINE.md: 80 ms without loss 80, one isolated loss ≈ 98, two in a row 140', function () {
    var a = [80, 80, 80, 80, 80, 80, 80, 80, 80, 80];
    assert.equal(lossScore(a), 80);
    var b = a.slice();
    b[4] = -1;
    assert.equal(Math.round(lossScore(b)), 98);
    var c = a.slice();
    c[4] = -1;
    c[5] = -1;
    assert.equal(lossScore(c), 140);
    assert.equal(lossScore([-1, -1]), Infinity);
  });

  it('measures RTT per interface in parallel and stays within 300 bytes and 1.5 s', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', { rttMs: 30 });
    var b = ready(clock, 'b0', { rttMs: 120 });
    var out = run(clock, prober(clock), [a, b]);
    var r = out.res!;
    assert.equal(r.length, 2);
    assert.equal(r[0].method, PM_UDP);
    assert.equal(Math.round(r[0].rtt), 30);
    assert.equal(Math.round(r[1].rtt), 120);
    assert.ok(r[0].score < r[1].score);
    assert.equal(r[0].loss, 0);
    // 3 packets × (16 + 28) bytes each way
    assert.equal(r[0].bytes, 3 * 2 * (16 + UDP_OVERHEAD));
    assert.ok(r[0].bytes <= 300 && r[1].bytes <= 300);
    assert.ok(out.at <= 1500, 'evaluation took ' + out.at + ' ms');
    // both ran at once: the whole took about as long as the slower one, not the sum
    assert.ok(out.at < 600, 'took ' + out.at);
  });

  it('counts loss and penalises it', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', { rttMs: 30, loss: 1 / 3 });
    var b = ready(clock, 'b0', { rttMs: 30 });
    var r = run(clock, prober(clock), [a, b]).res!;
    assert.ok(r[0].loss > 0, 'loss ' + r[0].loss);
    assert.ok(r[0].valid);
    assert.ok(r[0].score > r[1].score);
  });

  it('is invalid when nothing answers and no TCP fallback is allowed', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', { echo: false });
    var spec = Object.assign({}, DEFAULT_SETTINGS.probe, { tcpFallback: false });
    var out = run(clock, prober(clock, spec), [a]);
    assert.equal(out.res![0].valid, false);
    assert.equal(out.res![0].score, Infinity);
    assert.ok(out.at <= 1500);
  });

  it('falls back to timing a TCP connect to the broker when no echo answers, within 1.5 s', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', { echo: false, rttMs: 40 });
    var p = prober(clock);
    var out = run(clock, p, [a]);
    var r = out.res![0];
    assert.equal(r.valid, true);
    assert.equal(r.method, PM_TCP);
    assert.equal(Math.round(r.rtt), 40);
    assert.ok(out.at <= 1500, 'took ' + out.at);
    // the next evaluation goes straight to TCP and stays within the byte budget
    var again = run(clock, p, [a]).res![0];
    assert.equal(again.method, PM_TCP);
    assert.equal(again.bytes, TCP_PROBE_BYTES);
    assert.ok(again.bytes <= 300);
  });

  it('ends an interface that dies mid-probe as invalid without stopping the others', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', { rttMs: 300 });
    var b = ready(clock, 'b0', { rttMs: 30 });
    var out: ProbeResult[] | null = null;
    prober(clock).run([a, b], TARGET, function (r) {
      out = r;
    });
    clock.advance(150);
    a.setLink(false);
    clock.runUntil(function () {
      return out !== null;
    }, 5000);
    var r = out!;
    assert.equal(r[0].valid, false);
    assert.equal(r[0].err, E_NETDOWN);
    assert.equal(r[1].valid, true);
    assert.equal(a.state(), 7);
    assert.equal(a.reason(), R_NO_LINK);
  });

  it('runs Particle\'s probe shape for the baseline: 10 packets, random sizes, about 2.3 s', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', { rttMs: 50 });
    var out = run(clock, prober(clock, BASELINE_SETTINGS.probe), [a]);
    var r = out.res![0];
    assert.equal(r.sent, 10);
    assert.equal(r.recv, 10);
    assert.ok(out.at >= 2250 && out.at <= 2400, 'took ' + out.at);
    assert.ok(r.bytes > 10 * 2 * (13 + 28), 'bytes ' + r.bytes);
  });

  it('never calls back after cancel()', function () {
    var clock = new VirtualClock();
    var a = ready(clock, 'a0', {});
    var p = prober(clock);
    var called = false;
    p.run([a], TARGET, function () {
      called = true;
    });
    clock.advance(50);
    p.cancel();
    clock.advance(5000);
    assert.equal(called, false);
    assert.equal(p.busy(), false);
  });
});
