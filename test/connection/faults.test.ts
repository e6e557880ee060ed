/** Fault points of issue 5, in virtual time against the fake interfaces and cloud. */
import { strict as assert } from 'assert';
import { world, World } from './fakes';
import { IF_READY, R_NO_SERVER, R_NOT_AUTHORISED, E_NETDOWN } from '../../src/net/types';
import { CLOUD_STATUS_CONNECTING, CLOUD_STATUS_CONNECTED, CM_BACKOFF } from '../../src/connection/status';

/** Connects and runs until every interface is up and the session is on Ethernet. */
function upOnEth(w: World): void {
  w.mgr.connect(null);
  w.clock.advance(2500);
  assert.equal(w.on(), 'eth0');
}

/** Times between successive calls recorded in `times`. */
function gaps(times: number[]): number[] {
  var out: number[] = [];
  for (var i = 1; i < times.length; i++) out.push(times[i] - times[i - 1]);
  return out;
}

describe('fault: an interface dies during a probe', function () {
  it('finishes the evaluation in budget, marks it invalid and uses the best remaining one', function () {
    var w = world();
    upOnEth(w);
    w.cloud.lose(R_NO_SERVER);
    w.clock.advance(50);
    w.eth.setLink(false); // the best one dies mid-probe
    w.clock.advance(3000);
    var probes = w.rec.of('probe');
    assert.equal(probes.length, 1);
    assert.ok(probes[0].t - 2500 <= 1500);
    var eth = probes[0].v.filter(function (r: any) { return r.id === 'eth0'; })[0];
    assert.equal(eth.valid, false);
    assert.equal(eth.err, E_NETDOWN);
    assert.equal(w.on(), 'wl0');
    assert.deepEqual(w.errors, []);
  });
});

describe('fault: all interfaces down', function () {
  it('retries the interfaces with a bounded, jittered backoff and recovers as soon as one returns', function () {
    var w = world();
    upOnEth(w);
    var times: number[] = [];
    var n = w.eth.connects;
    w.eth.events.on('state', function (st: number) {
      if (st === 3 && w.eth.connects > n) times.push(w.clock.now());
    });
    w.eth.setLink(false);
    w.wl.setLink(false);
    w.cell.setLink(false);
    w.clock.advance(10 * 60000);
    assert.equal(w.on(), null);
    assert.equal(w.mgr.cloudStatus(), CLOUD_STATUS_CONNECTING);
    var g = gaps(times);
    assert.ok(g.length >= 8, 'retried ' + g.length + ' times');
    g.forEach(function (d) {
      assert.ok(d <= 60000 + 200, 'gap ' + d);
    });
    assert.ok(g[g.length - 1] >= 30000, 'grew to the cap: ' + g.join(','));
    var late = g.slice(-4);
    assert.ok(late.some(function (d) { return d !== late[0]; }), 'jittered: ' + late.join(','));
    var t = w.clock.now();
    w.wl.setLink(true);
    w.clock.advance(2000);
    assert.equal(w.on(), 'wl0');
    var up = w.rec.of('cloud_interface_changed').pop()!;
    assert.ok(up.t - t <= 600, 'recovered ' + (up.t - t) + ' ms after the link returned');
  });

  it('backs off between failed rounds when every upstream is dead, bounded and jittered, then recovers', function () {
    var w = world();
    upOnEth(w);
    w.eth.outage = true;
    w.wl.outage = true;
    w.cell.outage = true;
    var t0 = w.clock.now();
    w.cloud.lose(R_NO_SERVER);
    var backoffs: number[] = [];
    var since = 0;
    w.mgr.events.on('state', function (st: number) {
      if (st === CM_BACKOFF) since = w.clock.now();
      else if (since) {
        backoffs.push(w.clock.now() - since);
        since = 0;
      }
    });
    w.clock.advance(15 * 60000);
    assert.equal(w.on(), null);
    assert.ok(backoffs.length >= 6, backoffs.join(','));
    backoffs.forEach(function (d) {
      assert.ok(d <= 60000, 'backoff ' + d);
    });
    assert.ok(backoffs[0] <= 1000 && backoffs[backoffs.length - 1] >= 30000, backoffs.join(','));
    assert.ok(backoffs.slice(-3).some(function (d, i, a) { return d !== a[0]; }), 'jittered: ' + backoffs.join(','));
    w.wl.outage = false;
    var t = w.clock.now();
    w.clock.runUntil(function () { return w.on() !== null; }, 120000);
    assert.equal(w.on(), 'wl0');
    assert.ok(w.clock.now() - t <= 60000 + 10000, 'recovered after ' + (w.clock.now() - t) + ' ms');
    assert.ok(w.clock.now() > t0);
  });
});

describe('fault: a link flapping every second', function () {
  it('moves at most once per dwell period, and fails back only once it is stable', function () {
    var w = world({ settings: { failBack: true }, wifi: { rttMs: 60 } });
    upOnEth(w);
    var up = true;
    for (var t = 10000; t < 70000; t += 500) {
      w.clock.advanceTo(t);
      up = !up;
      w.eth.setLink(up);
      if (t === 40000) assert.equal(w.mgr.metrics().ifs[0].damped, true, 'eth0 damped while flapping');
    }
    w.eth.setLink(true);
    w.clock.advance(5 * 60000);
    var mv = w.rec.of('cloud_interface_changed');
    var reasons = mv.map(function (m) { return m.v.reason; });
    assert.deepEqual(reasons, ['boot', 'if_down', 'fail_back']);
    for (var i = 2; i < mv.length; i++) assert.ok(mv[i].t - mv[i - 1].t >= 30000, 'moves ' + (mv[i].t - mv[i - 1].t) + ' ms apart');
    // back once stable for 30 s and no longer damped (3 drops within 60 s; the last drops at 67, 68, 69 s)
    assert.ok(mv[2].t >= 67000 + 60000 && mv[2].t <= 67000 + 62000, 'fail-back at ' + mv[2].t);
    assert.equal(w.on(), 'eth0');
  });

  it('damps two flapping links and settles on the steady one', function () {
    var w = world({ settings: { failBack: true } });
    upOnEth(w);
    var onAt: number[] = [];
    for (var t = 10000; t < 70000; t += 500) {
      w.clock.advanceTo(t);
      var phase = ((t - 10000) / 500) % 4;
      // Ethernet and Wi-Fi each down half the time, out of step
      w.eth.setLink(phase !== 0 && phase !== 1);
      w.wl.setLink(phase !== 2 && phase !== 3);
      onAt.push(w.rec.of('cloud_interface_changed').length);
    }
    var mv = w.rec.of('cloud_interface_changed');
    var late = mv.filter(function (m) { return m.t >= 40000; });
    assert.equal(late.length, 0, 'no moves once damped: ' + JSON.stringify(mv));
    assert.ok(mv.length <= 5, mv.length + ' moves');
    assert.equal(w.on(), 'cell0');
  });
});

describe('fault: a cloud refusing connects', function () {
  it('tries every ready interface per round, backs off between rounds, resets the network after 10 min, recovers', function () {
    var w = world({ cloud: { refuse: R_NOT_AUTHORISED } });
    w.mgr.connect(null);
    w.clock.advance(12 * 60000);
    assert.equal(w.on(), null);
    var ids = w.cloud.attempts.map(function (a) { return a.id; });
    assert.ok(ids.indexOf('eth0') >= 0 && ids.indexOf('wl0') >= 0 && ids.indexOf('cell0') >= 0);
    var times = w.cloud.attempts.map(function (a) { return a.t; });
    var g = gaps(times);
    assert.ok(Math.max.apply(null, g) <= 60000 + 3000, 'gaps ' + g.join(','));
    assert.ok(w.cloud.attempts.length < 80, w.cloud.attempts.length + ' attempts in 12 min');
    assert.equal(w.rec.of('network_reset').length, 1);
    assert.ok(w.rec.of('network_reset')[0].t >= 600000);
    assert.deepEqual(w.rec.values('cloud_status'), [CLOUD_STATUS_CONNECTING], 'status stays "connecting"');
    assert.match(w.mgr.why(), /not_authorised/);
    w.cloud.o.refuse = 0;
    w.clock.runUntil(function () { return w.on() !== null; }, 120000);
    assert.equal(w.mgr.cloudStatus(), CLOUD_STATUS_CONNECTED);
    assert.equal(w.eth.state(), IF_READY);
  });
});
