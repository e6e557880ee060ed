import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { Prober, ProbeResult, lossScore, probeOrder, PM_UDP, PM_TCP, UDP_OVERHEAD, TCP_PROBE_BYTES } from '../../src/connection/probe';
import { DEFAULT_SETTINGS, ConnectionPolicy, PolicyInput } from '../../src/connection/policy';
import { Clock } from '../../hal/clock';
import { IfKind } from '../../src/net/types';
import { BASELINE_SETTINGS } from '../../src/connection/baseline-policy';
import { Prng } from '../../src/connection/backoff';
import { E_NETDOWN, R_NO_LINK } from '../../src/net/types';
import { FakeIface, CLOUD_HOST, CLOUD_IP, ECHO_PORT, BROKER_PORT } from './fakes';

var TARGET = { host: CLOUD_HOST, echoPort: ECHO_PORT, port: BROKER_PORT };

function ready(clock: VirtualClock, id: string, o: any, kind?: IfKind): FakeIface {
  var f = new FakeIface(id, kind || 'ethernet', clock, o);
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

  describe('early finish', function () {
    /** The manager's view of `ifs` (default order as given), through the real policy. */
    function orderOf(ifs: FakeIface[], o?: { pref?: string; seq?: IfKind[]; current?: string }): (res: ProbeResult[]) => string[] | null {
      var opt = o || {};
      return probeOrder(new ConnectionPolicy(), function (): PolicyInput {
        var views = [];
        for (var i = 0; i < ifs.length; i++) {
          views.push({
            id: ifs[i].id, kind: ifs[i].kind, def: i, ready: true, pending: false, probe: null, preferred: ifs[i].id === opt.pref,
            damped: false, failed: false, readySince: 0
          });
        }
        return { now: clock0.now(), ifs: views, forced: null, sequence: opt.seq || [], current: opt.current || null };
      });
    }

    /** A clock that tracks the timers the prober owns. */
    function tracked(clock: VirtualClock): { clock: Clock; live: () => number } {
      var live: any = {};
      var c: Clock = {
        now: function () {
          return clock.now();
        },
        setTimeout: function (fn: () => void, ms: number) {
          var id = clock.setTimeout(function () {
            delete live[id];
            fn();
          }, ms);
          live[id] = true;
          return id;
        },
        clearTimeout: function (id: any) {
          delete live[id];
          clock.clearTimeout(id);
        },
        setInterval: function () {
          throw new Error('unused');
        },
        clearInterval: function () {}
      };
      return {
        clock: c,
        live: function () {
          return Object.keys(live).length;
        }
      };
    }

    var clock0: VirtualClock;

    /** Resolved already: every probe starts sending at once. */
    function primed(p: Prober, ifs: FakeIface[]): void {
      for (var i = 0; i < ifs.length; i++) p._dns[ifs[i].id] = { h: CLOUD_HOST, ip: CLOUD_IP, t: p._clock.now() };
    }

    function early(clock: VirtualClock, ifs: FakeIface[], o?: any, spec?: any): { p: Prober; live: () => number; calls: number; res: ProbeResult[] | null; at: number } {
      clock0 = clock;
      var g = new Prng(7);
      var t = tracked(clock);
      var p = new Prober({ clock: t.clock, spec: spec || DEFAULT_SETTINGS.probe, rnd: function () { return g.next(); }, order: orderOf(ifs, o) });
      primed(p, ifs);
      if (o && o.suspect) p.suspect(o.suspect);
      var out = { p: p, live: t.live, calls: 0, res: null as ProbeResult[] | null, at: -1 };
      var t0 = clock.now();
      p.run(ifs, TARGET, function (r) {
        out.calls++;
        out.res = r;
        out.at = clock.now() - t0;
      });
      clock.runUntil(function () {
        return out.res !== null;
      }, 10000);
      return out;
    }

    it('finishes as soon as the leader by score cannot be beaten, with the same winner as a full evaluation', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { rttMs: 20 });
      var b = ready(clock, 'b0', { rttMs: 150 });
      var out = early(clock, [a, b]);
      var r = out.res!;
      // a's last echo is back at 200 + 20 ms; b's would be at 200 + 150 ms
      assert.equal(out.at, 220);
      assert.equal(r[0].valid, true);
      assert.ok(!r[0].cut);
      assert.equal(Math.round(r[0].score), 20);
      assert.equal(r[1].cut, true);
      assert.equal(r[1].recv, 1);
      // b's bound at 220 ms: its echo (150) with the one outstanding for 20 ms → (150 + 20) / 2 = 85
      assert.equal(r[1].score, 85);
      var full = run(clock, prober(clock), [a, b]).res!;
      assert.ok(full[1].score >= r[1].score && full[0].score < full[1].score);
      assert.deepEqual(orderOf([a, b])(r)!.slice(0, 1), orderOf([a, b])(full)!.slice(0, 1));
    });

    it('waits while a pending interface could still win by score (two fast echoes, one lost)', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { rttMs: 100 });
      // b loses its second echo; its two echoes at 30 ms keep its bound below a's 100 until its own end
      var b = ready(clock, 'b0', { rttMs: 30, loss: 0.25 });
      var out = early(clock, [a, b]);
      var r = out.res!;
      assert.equal(out.at, 800);
      assert.equal(r[1].recv, 2);
      assert.ok(!r[1].cut);
      assert.equal(r[1].valid, true);
      assert.ok(r[1].score < r[0].score, r[1].score + ' vs ' + r[0].score);
    });

    it('waits for the preferred interface however slow, and for one earlier in the failover sequence', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { rttMs: 20 }, 'ethernet');
      var b = ready(clock, 'b0', { rttMs: 150 }, 'cell');
      var pref = early(clock, [a, b], { pref: 'b0' });
      assert.equal(pref.at, 350);
      assert.ok(!pref.res![1].cut);
      var seq = early(clock, [a, b], { seq: ['cell', 'ethernet'] });
      assert.equal(seq.at, 350);
      // and cuts the later one of the sequence once the first has answered
      var seq2 = early(clock, [b, a], { seq: ['cell', 'ethernet'] });
      assert.equal(seq2.at, 350);
      var rev = early(clock, [a, b], { seq: ['ethernet', 'cell'] });
      assert.equal(rev.at, 220);
      assert.equal(rev.res![1].cut, true);
    });

    it('calls back once, closes the cut sockets, ignores late echoes and leaves no timer', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { rttMs: 20 });
      var b = ready(clock, 'b0', { rttMs: 150 });
      var out = early(clock, [a, b]);
      var cut = out.res![1];
      var recv = cut.recv;
      assert.equal(out.live(), 0);
      assert.equal(b._udps.length, 0);
      assert.equal(out.p.busy(), false);
      clock.advance(5000);
      assert.equal(out.calls, 1);
      assert.equal(cut.recv, recv);
      assert.equal(out.live(), 0);
    });

    it('ends a TCP fallback once it has taken longer than the leader\'s score', function () {
      var clock = new VirtualClock();
      // a has no echo service and its TCP connect never completes (a silent outage)
      var a = ready(clock, 'a0', { echo: false, rttMs: 20 });
      a.outage = true;
      var b = ready(clock, 'b0', { rttMs: 100 });
      var out = early(clock, [a, b]);
      // UDP phase to 800 ms, then the TCP connect passes b's 100 ms at 901
      assert.equal(out.at, 901);
      assert.equal(out.res![0].valid, false);
      assert.equal(out.res![0].cut, true);
      assert.equal(out.live(), 0);
      assert.equal(a._tcps.length, 0);
    });

    it('does not wait for a suspect interface (its session just died) that has not answered', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { echo: false, rttMs: 20 });
      a.outage = true;
      var b = ready(clock, 'b0', { rttMs: 100 });
      var out = early(clock, [a, b], { suspect: 'a0' });
      assert.equal(out.at, 300);
      assert.equal(out.res![0].valid, false);
      assert.equal(out.res![0].cut, true);
      assert.equal(out.res![1].valid, true);
      assert.equal(out.live(), 0);
    });

    it('lets a suspect interface that answers win as usual', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { rttMs: 20 });
      var b = ready(clock, 'b0', { rttMs: 100 });
      var out = early(clock, [a, b], { suspect: 'a0' });
      assert.equal(out.at, 220);
      assert.ok(out.res![0].score < out.res![1].score);
      assert.equal(out.res![1].cut, true);
    });

    it('waits for every interface with an exhaustive spec (Particle) or while a session is up', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { rttMs: 20 });
      var b = ready(clock, 'b0', { rttMs: 150 });
      var ex = early(clock, [a, b], {}, Object.assign({}, DEFAULT_SETTINGS.probe, { exhaustive: true }));
      assert.equal(ex.at, 350);
      var up = early(clock, [a, b], { current: 'a0' });
      assert.equal(up.at, 350);
      assert.ok(!up.res![1].cut);
    });

    it('leaves no timer when cancelled while waiting for a bound to pass the leader', function () {
      var clock = new VirtualClock();
      var a = ready(clock, 'a0', { echo: false, rttMs: 20 });
      a.outage = true;
      var b = ready(clock, 'b0', { rttMs: 100 });
      clock0 = clock;
      var g = new Prng(7);
      var t = tracked(clock);
      var p = new Prober({ clock: t.clock, spec: DEFAULT_SETTINGS.probe, rnd: function () { return g.next(); }, order: orderOf([a, b]) });
      primed(p, [a, b]);
      var called = false;
      p.run([a, b], TARGET, function () {
        called = true;
      });
      clock.advance(850);
      assert.ok(p._chkT !== undefined, 'a check is due');
      p.cancel();
      assert.equal(t.live(), 0);
      clock.advance(5000);
      assert.equal(called, false);
    });
  });
});
