import { strict as assert } from 'assert';
import { world, World } from './fakes';
import { BaselinePolicy } from '../../src/connection/baseline-policy';
import { ConnectionManager } from '../../src/connection/manager';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { R_NO_LINK, R_NO_SERVER, R_NOT_AUTHORISED, IF_READY } from '../../src/net/types';
import {
  CLOUD_STATUS_CONNECTED, CLOUD_STATUS_CONNECTING, CLOUD_STATUS_DISCONNECTED, CM_CONNECTED, CM_IDLE,
  NETWORK_STATUS_CONNECTED, NETWORK_STATUS_POWERING_ON, NETWORK_STATUS_CONNECTING
} from '../../src/connection/status';

function connected(w: World, ms?: number): void {
  w.mgr.connect(null);
  w.clock.advance(ms || 2500);
}

describe('ConnectionManager: liveness', function () {
  it('catches a silent upstream outage on Ethernet within 10 s and moves', function () {
    var w = world();
    connected(w);
    w.clock.advance(7500);
    w.eth.outage = true;
    var t = w.clock.now();
    w.clock.runUntil(function () { return w.mgr.cloudStatus() !== CLOUD_STATUS_CONNECTED; }, 60000);
    assert.ok(w.clock.now() - t <= 8000, 'noticed after ' + (w.clock.now() - t) + ' ms');
    w.clock.advance(3000);
    assert.equal(w.on(), 'wl0');
    assert.equal(w.mgr.moves()[1].reason, 'liveness');
  });

  it('counts inbound traffic as proof of life: no pings while data flows', function () {
    var w = world();
    connected(w);
    var p0 = w.cloud.pings;
    for (var i = 0; i < 30; i++) {
      w.clock.advance(2000);
      w.cloud.rx();
    }
    assert.equal(w.cloud.pings, p0);
    w.clock.advance(6000);
    assert.equal(w.cloud.pings, p0 + 1, 'pings again once idle');
  });

  it('keeps cellular liveness within its data budget and still bounds detection', function () {
    var w = world({ eth: false, wifi: false });
    connected(w, 5000);
    assert.equal(w.on(), 'cell0');
    var p0 = w.cloud.pings;
    w.clock.advance(3600000);
    var pings = w.cloud.pings - p0;
    assert.ok(pings * 124 <= 1800, pings + " pings in an hour");
    assert.ok(pings >= 14, pings + ' pings in an hour');
    w.cell.outage = true;
    var t = w.clock.now();
    w.clock.runUntil(function () { return w.mgr.cloudStatus() !== CLOUD_STATUS_CONNECTED; }, 3600000);
    assert.ok(w.clock.now() - t <= 240000 + 10000, 'noticed after ' + (w.clock.now() - t) + ' ms');
  });

  it('treats the cloud interface leaving ready as an immediate loss', function () {
    var w = world();
    connected(w);
    var t = w.clock.now();
    w.eth.fail(R_NO_LINK);
    var lost = w.rec.of('cloud_status').filter(function (e) { return e.v === CLOUD_STATUS_DISCONNECTED; });
    assert.equal(lost.length, 1);
    assert.equal(lost[0].t, t);
  });

  it('Particle.keepAlive overrides the idle time', function () {
    var w = world();
    connected(w);
    w.mgr.setKeepAlive(20000);
    var p0 = w.cloud.pings;
    w.clock.advance(100000);
    // every 20 s after the last answer (20 ms round trip): 4 within 100 s
    assert.equal(w.cloud.pings - p0, 4);
  });
});

describe('ConnectionManager: fail-back', function () {
  it('is off by default', function () {
    var w = world({ eth: { link: false }, wifi: { rttMs: 60 } });
    connected(w);
    w.eth.setLink(true);
    w.clock.advance(10 * 60000);
    assert.equal(w.on(), 'wl0');
  });

  it('moves make-before-break to a better interface once it has been stable, without dropping the session', function () {
    var w = world({ settings: { failBack: true }, cloud: { handover: true }, eth: { link: false }, wifi: { rttMs: 60 } });
    connected(w);
    assert.equal(w.on(), 'wl0');
    w.clock.advanceTo(10000);
    w.eth.setLink(true);
    w.clock.advance(5 * 60000);
    assert.equal(w.on(), 'eth0');
    var mv = w.mgr.moves();
    assert.deepEqual(mv.map(function (m) { return m.reason; }), ['boot', 'fail_back']);
    assert.ok(mv[1].t >= 10200 + 30000 && mv[1].t <= 10200 + 32000, 'moved at ' + mv[1].t);
    assert.equal(w.cloud.handovers, 1);
    assert.deepEqual(w.rec.values('cloud_status'), [CLOUD_STATUS_CONNECTING, CLOUD_STATUS_CONNECTED], 'never disconnected');
    assert.match(w.mgr.why(), /^on eth0: fail-back from wl0 at \d+\.\d s; probe eth0 20 ms \/ 0% loss beat wl0 60 ms/);
  });

  it('without CloudLink.handover, moves break-before-make', function () {
    var w = world({ settings: { failBack: true }, eth: { link: false }, wifi: { rttMs: 60 } });
    connected(w);
    w.eth.setLink(true);
    w.clock.advance(5 * 60000);
    assert.equal(w.on(), 'eth0');
    assert.deepEqual(w.rec.values('cloud_status'), [
      CLOUD_STATUS_CONNECTING, CLOUD_STATUS_CONNECTED, CLOUD_STATUS_DISCONNECTED, CLOUD_STATUS_CONNECTING, CLOUD_STATUS_CONNECTED
    ]);
  });

  it('does not move for a gain inside the margin', function () {
    var w = world({ settings: { failBack: true }, cloud: { handover: true }, eth: { link: false, rttMs: 50 }, wifi: { rttMs: 60 } });
    connected(w);
    w.eth.setLink(true);
    w.clock.advance(10 * 60000);
    assert.equal(w.on(), 'wl0');
    assert.ok(w.rec.of('probe').length >= 5, 'it did look');
  });

  it('moves to the preferred interface once it is stable', function () {
    var w = world({ settings: { failBack: true }, cloud: { handover: true }, wifi: { rttMs: 60 } });
    connected(w);
    assert.equal(w.on(), 'eth0');
    w.mgr.prefer('wl0', true);
    w.clock.advance(90000);
    assert.equal(w.on(), 'wl0');
    assert.match(w.mgr.why(), /wl0 is preferred/);
  });
});

describe('ConnectionManager: backoff', function () {
  it('resets the backoff only after a stable period', function () {
    var w = world({ cloud: { refuse: R_NOT_AUTHORISED }, eth: false, cell: false });
    w.mgr.connect(null);
    w.clock.advance(20000);
    assert.ok(w.mgr._rounds >= 3, 'rounds ' + w.mgr._rounds);
    w.cloud.o.refuse = 0;
    w.clock.runUntil(function () { return w.on() !== null; }, 60000);
    w.clock.advance(10000);
    // a short session: the next attempt still waits
    var t = w.clock.now();
    w.cloud.lose(R_NO_SERVER);
    w.clock.runUntil(function () { return w.cloud.attempts[w.cloud.attempts.length - 1].t > t; }, 60000);
    assert.ok(w.cloud.attempts[w.cloud.attempts.length - 1].t - t >= 2000, 'waited ' + (w.cloud.attempts[w.cloud.attempts.length - 1].t - t));
    // a stable session: the next attempt is immediate
    w.clock.runUntil(function () { return w.on() !== null; }, 60000);
    w.clock.advance(61000);
    t = w.clock.now();
    w.cloud.lose(R_NO_SERVER);
    w.clock.advance(1);
    assert.equal(w.cloud.attempts[w.cloud.attempts.length - 1].t, t);
  });
});

describe('ConnectionManager: events and metrics', function () {
  it('reports network_status like Particle and per-interface states', function () {
    var w = world();
    connected(w);
    var ns = w.rec.values('network_status');
    assert.deepEqual(ns.slice(0, 3), [NETWORK_STATUS_POWERING_ON, NETWORK_STATUS_CONNECTING, NETWORK_STATUS_CONNECTED]);
    var eth = w.rec.values('interface_status').filter(function (v) { return v.id === 'eth0'; }).map(function (v) { return v.state; });
    assert.deepEqual(eth, [1, 2, 3, 4]);
  });

  it('keeps per-interface metrics and the log of moves', function () {
    var w = world({ wifi: { rttMs: 30 } });
    connected(w);
    w.eth.setLink(false);
    w.clock.advance(3000);
    var m = w.mgr.metrics();
    assert.equal(m.iface, 'wl0');
    var wl = m.ifs.filter(function (i) { return i.id === 'wl0'; })[0];
    assert.equal(wl.rtt, 30);
    assert.equal(wl.valid, true);
    assert.equal(wl.method, 'udp');
    assert.ok(wl.tx > 0 && wl.rx > 0);
    var eth = m.ifs.filter(function (i) { return i.id === 'eth0'; })[0];
    assert.equal(eth.reason, 'no_link');
    assert.equal(m.moves[1].from, 'eth0');
    assert.equal(m.moves[1].to, 'wl0');
    assert.equal(m.moves[1].cause, 'eth0 failed (no_link)');
    assert.equal(w.mgr.why(), 'on wl0: eth0 failed (no_link) at 2.5 s; probe wl0 30 ms / 0% loss beat cell0 >= 80 ms (cut)');
    assert.ok(m.probeBytes <= 2 * 300);
  });

  it('validates its options and arguments', function () {
    assert.throws(function () { new ConnectionManager({} as any); }, TypeError);
    var w = world();
    assert.throws(function () { w.mgr.connect(3 as any); }, TypeError);
    assert.throws(function () { w.mgr.networkOff('' as any); }, TypeError);
    assert.throws(function () { w.mgr.setKeepAlive('5' as any); }, TypeError);
    assert.throws(function () { w.mgr.prefer(undefined as any, true); }, TypeError);
    var c = new VirtualClock();
    assert.throws(function () {
      new ConnectionManager({ clock: c, storage: new MemoryStorage(), interfaces: [], cloud: {} as any, settings: { nope: 1 } });
    }, TypeError);
  });
});

describe('ConnectionManager with the Particle-like baseline', function () {
  it('reconnects over the same interface on stale scores after 1 s, without a probe', function () {
    var w = world({ policy: new BaselinePolicy() });
    connected(w);
    assert.equal(w.on(), 'eth0');
    var t = w.clock.now();
    w.cloud.lose(R_NO_SERVER);
    w.clock.advance(5000);
    assert.deepEqual(w.cloud.attempts.filter(function (a) { return a.t >= t; }).map(function (a) { return a.t - t + ' ' + a.id; }), ['1000 eth0']);
    assert.equal(w.rec.of('probe').length, 0);
  });

  it('after a failed connect runs a blocking probe and retries with its fixed backoff', function () {
    var w = world({ policy: new BaselinePolicy(), cloud: { refuse: R_NOT_AUTHORISED } });
    w.mgr.connect(null);
    var blocked = 0;
    for (var i = 0; i < 400; i++) {
      w.clock.advance(100);
      if (w.mgr.blocking()) blocked++;
    }
    assert.ok(blocked >= 20, 'blocked ' + blocked);
    var ts = w.cloud.attempts.map(function (a) { return a.t; });
    assert.ok(ts.length >= 5);
    var probeMs = w.rec.of('probe').length;
    assert.ok(probeMs >= 3);
  });

  it('moves at once to a strictly better interface on a network event (no dwell, no margin)', function () {
    var w = world({ policy: new BaselinePolicy(), eth: { link: false }, wifi: { rttMs: 25 } });
    connected(w);
    assert.equal(w.on(), 'wl0');
    w.eth.setLink(true);
    w.clock.advance(10000);
    assert.equal(w.on(), 'eth0');
    assert.equal(w.mgr.moves()[1].reason, 'reselect');
  });

  it('keeps alive every 25 s', function () {
    var w = world({ policy: new BaselinePolicy() });
    connected(w);
    var p0 = w.cloud.pings;
    w.clock.advance(100000);
    assert.equal(w.cloud.pings - p0, 4);
  });
});

describe('ConnectionManager: forced interface', function () {
  it('moves a running session to a newly forced interface and reports why', function () {
    var w = world();
    connected(w);
    assert.equal(w.on(), 'eth0');
    w.mgr.connect('wl0');
    w.clock.advance(2000);
    assert.equal(w.on(), 'wl0');
    assert.deepEqual(w.rec.values('cloud_interface_changed').pop(), { from: 'eth0', to: 'wl0', reason: 'forced' });
    assert.match(w.mgr.why(), /forced by Particle\.connect\(wl0\)/);
  });
});

describe('ConnectionManager: disconnect', function () {
  it('Particle.disconnect closes the session and stays idle', function () {
    var w = world();
    connected(w);
    w.mgr.disconnect();
    w.clock.advance(60000);
    assert.equal(w.mgr.state(), CM_IDLE);
    assert.equal(w.cloud.connected(), false);
    assert.equal(w.eth.state(), IF_READY, 'the network stays up');
    w.mgr.connect(null);
    w.clock.advance(3000);
    assert.equal(w.mgr.state(), CM_CONNECTED);
  });
});
