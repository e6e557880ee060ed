import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { Liveness } from '../../src/connection/liveness';

/** A cloud whose last inbound packet is at `rx` and whose pings are answered after 50 ms. */
function cloudAt(clock: VirtualClock, rx: { t: number }): any {
  return {
    lastRx: () => rx.t,
    ping: (_timeoutMs: number, cb: (ok: boolean) => void) => {
      clock.setTimeout(() => {
        rx.t = clock.now();
        cb(true);
      }, 50);
    },
  };
}

describe('Liveness', () => {
  it('pings once the session has been idle for idleMs, and counts inbound traffic as life', () => {
    const clock = new VirtualClock(0);
    const rx = { t: 0 };
    const l = new Liveness(clock, cloudAt(clock, rx), () => assert.fail('declared dead'));
    l.start(5000, 3000);
    clock.advance(3000);
    rx.t = clock.now(); // a packet at 3 s pushes the first ping to 8 s
    clock.advance(4999);
    assert.equal(l.pings, 0);
    clock.advance(2);
    assert.equal(l.pings, 1);
  });

  it('declares the session dead when a ping goes unanswered', () => {
    const clock = new VirtualClock(0);
    let dead = 0;
    const cloud = { lastRx: () => 0, ping: () => {} } as any;
    const l = new Liveness(clock, cloud, () => dead++);
    l.start(5000, 3000);
    clock.advance(5000 + 3000 + 1000);
    assert.deepEqual([l.pings, l.misses, dead], [1, 1, 1]);
  });

  it('does not re-arm at the same instant when idle arithmetic rounds to zero (regression)', () => {
    // last packet and now such that now - last < idle, yet last + idle - now === 0 in doubles.
    // A hand-driven clock fires one timer at a time, so a zero-delay re-arm loop fails instead of hanging.
    const last = 13667.811727140399;
    const now = 18667.811727140397;
    const timers: Array<{ due: number; fn: () => void }> = [];
    const clock: any = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => timers.push({ due: now + ms, fn }) - 1,
      clearTimeout: () => {},
    };
    let pinged = 0;
    const cloud = { lastRx: () => last, ping: () => pinged++ } as any;
    const l = new Liveness(clock, cloud, () => {});
    l._idle = 5000;
    l._timeout = 3000;
    l._check();
    for (let i = 0; i < 100 && !pinged && i < timers.length; i++) timers[i].fn();
    assert.equal(pinged, 1, 'no ping after ' + timers.length + ' timers re-armed at t=' + now);
  });
});
