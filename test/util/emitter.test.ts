import { strict as assert } from 'assert';
import { Emitter } from '../../src/util/emitter';

describe('Emitter', () => {
  it('calls listeners in registration order with up to three arguments', () => {
    const e = new Emitter();
    const seen: any[] = [];
    e.on('x', (a, b, c) => seen.push(['1', a, b, c]));
    e.on('x', (a) => seen.push(['2', a]));
    e.emit('x', 1, 2, 3);
    assert.deepEqual(seen, [['1', 1, 2, 3], ['2', 1]]);
  });

  it('off removes only the given listener', () => {
    const e = new Emitter();
    let a = 0, b = 0;
    const fa = () => a++;
    e.on('x', fa).on('x', () => b++);
    e.off('x', fa);
    e.emit('x');
    assert.deepEqual([a, b], [0, 1]);
  });

  it('a throwing listener does not stop the others and is reported as "error"', () => {
    const e = new Emitter();
    let after = 0;
    let err: any;
    e.on('error', (x) => (err = x));
    e.on('x', () => {
      throw new Error('boom');
    });
    e.on('x', () => after++);
    e.emit('x');
    assert.equal(after, 1);
    assert.equal(err.message, 'boom');
  });

  it('a listener removed during emit still sees that emit, not the next', () => {
    const e = new Emitter();
    let n = 0;
    const f = () => {
      n++;
      e.off('x', f);
    };
    e.on('x', f);
    e.emit('x');
    e.emit('x');
    assert.equal(n, 1);
  });

  it('calls a listener given with a receiver as a method of it; off needs the same receiver', () => {
    class Counter {
      n = 0;
      hit(k: number) {
        this.n += k;
      }
    }
    const e = new Emitter();
    const a = new Counter();
    const b = new Counter();
    e.on('x', Counter.prototype.hit, a).on('x', Counter.prototype.hit, b);
    e.emit('x', 2);
    e.off('x', Counter.prototype.hit, a);
    e.emit('x', 5);
    assert.deepEqual([a.n, b.n], [2, 7]);
    e.off('x', Counter.prototype.hit);
    e.emit('x', 1);
    assert.equal(b.n, 8, 'off without the receiver removes nothing registered with one');
  });
});
