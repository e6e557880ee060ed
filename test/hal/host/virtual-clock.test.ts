import { strict as assert } from 'assert';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { elapsedMs } from '../../../hal/clock';

describe('VirtualClock', () => {
  it('fires timers in due order, then creation order, each seeing its due time', () => {
    const c = new VirtualClock();
    const seen: string[] = [];
    c.setTimeout(() => seen.push('b@' + c.now()), 20);
    c.setTimeout(() => seen.push('a@' + c.now()), 10);
    c.setTimeout(() => seen.push('c@' + c.now()), 20);
    assert.equal(c.advance(25), 3);
    assert.deepEqual(seen, ['a@10', 'b@20', 'c@20']);
    assert.equal(c.now(), 25);
  });

  it('does not fire a timer before its due time', () => {
    const c = new VirtualClock();
    let fired = false;
    c.setTimeout(() => (fired = true), 100);
    c.advance(99.9);
    assert.equal(fired, false);
    c.advance(0.1);
    assert.equal(fired, true);
  });

  it('fires timers created by a timer within the same advance', () => {
    const c = new VirtualClock();
    const seen: number[] = [];
    c.setTimeout(() => c.setTimeout(() => seen.push(c.now()), 5), 5);
    c.advance(10);
    assert.deepEqual(seen, [10]);
  });

  it('repeats intervals until cleared', () => {
    const c = new VirtualClock();
    let n = 0;
    const id = c.setInterval(() => {
      if (++n === 3) c.clearInterval(id);
    }, 10);
    c.advance(100);
    assert.equal(n, 3);
    assert.equal(c.pending(), 0);
  });

  it('clearTimeout cancels, and tolerates undefined and stale ids', () => {
    const c = new VirtualClock();
    let fired = false;
    const id = c.setTimeout(() => (fired = true), 5);
    c.clearTimeout(id);
    c.clearTimeout(undefined);
    c.clearTimeout(id);
    c.advance(10);
    assert.equal(fired, false);
  });

  it('runUntil stops at the first timer after which the condition holds', () => {
    const c = new VirtualClock();
    let v = 0;
    c.setTimeout(() => (v = 1), 30);
    c.setTimeout(() => (v = 2), 60);
    assert.equal(c.runUntil(() => v === 1, 1000), true);
    assert.equal(c.now(), 30);
    assert.equal(c.runUntil(() => v === 3, 100), false);
    assert.equal(c.now(), 130);
  });

  it('elapsedMs is never negative', () => {
    const c = new VirtualClock(50);
    assert.equal(elapsedMs(c, 80), 0);
    assert.equal(elapsedMs(c, 20), 30);
  });
});
