import { strict as assert } from 'assert';
import { MemoryStorage } from '../../../hal/host/memory-storage';

describe('MemoryStorage', () => {
  it('rejects names longer than Espruino allows and writes beyond capacity', () => {
    const s = new MemoryStorage(10);
    assert.equal(s.write('x'.repeat(29), 'a'), false);
    assert.equal(s.write('a', '12345678'), true);
    assert.equal(s.write('b', '123'), false);
    assert.equal(s.write('a', '1234567890'), true, 'rewriting a file reuses its own space');
  });

  it('readJSON gives undefined for absent or corrupt files', () => {
    const s = new MemoryStorage();
    s.write('bad', '{nope');
    assert.equal(s.readJSON('bad'), undefined);
    assert.equal(s.readJSON('none'), undefined);
    s.writeJSON('ok', { a: [1] });
    assert.deepEqual(s.readJSON('ok'), { a: [1] });
  });

  it('lists by prefix, sorted', () => {
    const s = new MemoryStorage();
    for (const n of ['ob.2', 'cfg', 'ob.1']) s.write(n, '');
    assert.deepEqual(s.list('ob.'), ['ob.1', 'ob.2']);
    assert.deepEqual(s.list(), ['cfg', 'ob.1', 'ob.2']);
  });
});
