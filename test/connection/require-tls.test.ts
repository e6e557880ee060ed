import { strict as assert } from 'assert';
import { world } from './fakes';
import { DEFAULT_SETTINGS, mergeSettings } from '../../src/connection/policy';

/** Marks the fake interfaces that can provide TLS (the fakes have no canTls of their own). */
function tlsOn(w: ReturnType<typeof world>, ids: string[]): void {
  w.ifs.forEach(function (f) {
    (f as any).canTls = function () { return ids.indexOf(f.id) >= 0; };
  });
}

describe('ConnectionManager: requireTls', function () {
  it('is off by default', function () {
    assert.equal(DEFAULT_SETTINGS.requireTls, false);
    assert.equal(mergeSettings(DEFAULT_SETTINGS, { requireTls: true }).requireTls, true);
  });

  it('skips Ethernet (no TLS) even when it is ready first and best', function () {
    var w = world({ settings: { requireTls: true } });
    tlsOn(w, ['wl0', 'cell0']);
    w.mgr.connect(null);
    w.clock.advance(10000);
    assert.equal(w.on(), 'wl0');
    assert.deepEqual(w.cloud.attempts.filter(function (a) { return a.id === 'eth0'; }), []);
  });

  it('without the setting, Ethernet carries the cloud as usual', function () {
    var w = world();
    tlsOn(w, ['wl0', 'cell0']);
    w.mgr.connect(null);
    w.clock.advance(10000);
    assert.equal(w.on(), 'eth0');
  });

  it('treats an interface without canTls as unable, and waits rather than use it', function () {
    var w = world({ wifi: false, cell: false, settings: { requireTls: true } });
    w.mgr.connect(null);
    w.clock.advance(60000);
    assert.equal(w.on(), null);
    assert.equal(w.cloud.attempts.length, 0);
  });

  it('never fails back to Ethernet while connected over a TLS interface', function () {
    var w = world({ settings: { requireTls: true, failBack: true, failBackStableMs: 1000, failBackCheckMs: 1000, minDwellMs: 0 } });
    tlsOn(w, ['wl0', 'cell0']);
    w.mgr.connect(null);
    w.clock.advance(600000);
    assert.equal(w.on(), 'wl0');
    assert.ok(w.mgr.moves().every(function (m) { return m.to !== 'eth0'; }));
  });
});
