import { strict as assert } from 'assert';
import { rig } from './rig';
import { IF_READY, IF_FAILED, R_NOT_AUTHORISED } from '../../../src/net/types';

const HOME = { ssid: 'home', password: 'password1', rssi: -50 };
const TEN_MIN = 10 * 60 * 1000;

describe('WifiInterface: wrong password', () => {
  it('fails with not_authorised', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'wrong-pass' });
    t.wl.connect();
    t.clock.runUntil(() => t.wl.state() === IF_FAILED, 30000);
    assert.equal(t.wl.reason(), R_NOT_AUTHORISED);
    const d = t.events.filter((e) => e[0] === 'disconnected');
    assert.equal(d.length, 1);
    assert.equal(d[0][1].reason, R_NOT_AUTHORISED);
    assert.equal(d[0][1].cause, 'AUTH_FAIL');
  });

  it('retries on an exponential schedule with a cap and stops after maxRounds (one connect call)', () => {
    const t = rig([HOME], { retryBaseMs: 5000, retryMaxMs: 20000, maxRounds: 5 });
    t.wl.setCredentials({ ssid: 'home', password: 'wrong-pass' });
    const t0 = t.clock.now();
    t.wl.connect();
    t.clock.advance(TEN_MIN);
    assert.equal(t.air.attempts.length, 5);
    // Gaps between attempts: each round takes the same scan + join time, so gaps differ by the backoff.
    const at = t.air.attempts.map((a) => a.t - t0);
    const gaps = at.slice(1).map((x, i) => x - at[i]);
    const round = gaps[0] - 5000;
    assert.deepEqual(gaps.map((g) => g - round), [5000, 10000, 20000, 20000]);
    assert.equal(t.wl.state(), IF_FAILED);
    assert.equal(t.wl.reason(), R_NOT_AUTHORISED);
    assert.equal(t.clock.pending(), 0, 'nothing left scheduled');
  });

  it('stays bounded under a naive manager that calls connect() on every failure', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'wrong-pass' });
    let calls = 0;
    t.wl.events.on('state', (s: number) => {
      if (s === IF_FAILED) {
        calls++;
        t.wl.connect();
      }
    });
    t.wl.connect();
    t.clock.advance(TEN_MIN);
    // Defaults: 5 s doubling to a 60 s cap. After the first series, at most one attempt per cap.
    assert.ok(calls >= 10, 'the manager kept asking: ' + calls);
    assert.ok(t.air.attempts.length <= 5 + Math.ceil(TEN_MIN / 60000), 'attempts: ' + t.air.attempts.length);
    for (let i = 6; i < t.air.attempts.length; i++) {
      assert.ok(t.air.attempts[i].t - t.air.attempts[i - 1].t >= 60000, 'spacing after the first series');
    }
  });

  it('tries at once when the credentials are corrected', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'wrong-pass' });
    t.wl.connect();
    t.clock.advance(TEN_MIN);
    assert.equal(t.wl.state(), IF_FAILED);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 10000));
  });
});
