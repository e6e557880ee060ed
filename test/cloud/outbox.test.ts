import { strict as assert } from 'assert';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { STORAGE_NAME_MAX } from '../../hal/storage';
import { Outbox, OutboxOptions, OB_OK, OB_FULL, OB_TOO_BIG } from '../../src/cloud/outbox';

/** MemoryStorage that counts writes and erases. */
class CountingStorage extends MemoryStorage {
  writes = 0;
  erases = 0;
  write(name: string, data: string): boolean {
    this.writes++;
    return super.write(name, data);
  }
  erase(name: string): void {
    this.erases++;
    super.erase(name);
  }
}

function drain(ob: Outbox): string[] {
  const out: string[] = [];
  for (let e = ob.next(); e; e = ob.next()) {
    out.push(e.t + '=' + e.p + (e.r ? '(r)' : ''));
    ob.ack(e);
  }
  return out;
}

describe('Outbox', () => {
  let st: CountingStorage;
  const mk = (o: Partial<OutboxOptions> = {}) => new Outbox({ storage: st, ...o });
  beforeEach(() => (st = new CountingStorage()));

  it('hands out messages oldest first and forgets them when acknowledged', () => {
    const ob = mk();
    ob.add('a', '1', false, false);
    ob.add('b', '2', true, false);
    const e = ob.next()!;
    assert.equal(e.t, 'a');
    e.f = true;
    assert.equal(ob.next()!.t, 'b', 'skips what the client holds');
    ob.ack(e);
    assert.deepEqual(drain(ob), ['b=2(r)']);
    assert.equal(ob.count(), 0);
    assert.equal(ob.bytes(), 0);
  });

  it('writes nothing to Storage for a message sent while online and acknowledged', () => {
    const ob = mk();
    ob.add('t', 'p', false, false);
    ob.ack(ob.next()!);
    assert.equal(st.writes + st.erases, 0);
  });

  it('writes one small file per offline message and erases it on the acknowledgement', () => {
    const ob = mk();
    for (let i = 0; i < 5; i++) ob.add('d/dev1/e/t', 'value ' + i, false, true);
    assert.equal(st.writes, 5);
    assert.equal(st.list('mqob_').length, 5);
    for (const n of st.list()) assert.ok(n.length <= STORAGE_NAME_MAX);
    drain(ob);
    assert.equal(st.erases, 5);
    assert.deepEqual(st.list(), []);
  });

  it('persist() writes the messages still unacknowledged when the link drops', () => {
    const ob = mk();
    ob.add('a', '1', false, false);
    ob.add('b', '2', false, false);
    ob.ack(ob.next()!);
    ob.persist();
    ob.persist();
    assert.equal(st.writes, 1);
    assert.equal(st.list().length, 1);
  });

  it('survives a reboot: a new outbox over the same Storage delivers in order and continues the sequence', () => {
    const a = mk();
    for (let i = 0; i < 12; i++) a.add('t' + i, 'p' + i, i === 3, true);
    a.ack(a.next()!);
    const b = mk();
    assert.equal(b.count(), 11);
    assert.equal(b.bytes(), a.bytes());
    b.add('new', 'x', false, true);
    assert.equal(st.list().length, 12, 'no name collision with old files');
    const want = [];
    for (let i = 1; i < 12; i++) want.push('t' + i + '=p' + i + (i === 3 ? '(r)' : ''));
    want.push('new=x');
    assert.deepEqual(drain(b), want);
    assert.deepEqual(st.list(), []);
  });

  it('drop-oldest: keeps the newest within maxCount and counts each drop', () => {
    const drops: number[] = [];
    const ob = mk({ maxCount: 3, onDrop: (n) => drops.push(n) });
    for (let i = 0; i < 5; i++) assert.equal(ob.add('t', '' + i, false, true), OB_OK);
    assert.deepEqual(drops, [1, 2]);
    assert.equal(ob.nDropped, 2);
    assert.deepEqual(drain(ob), ['t=2', 't=3', 't=4']);
    assert.deepEqual(st.list(), [], 'dropped files erased');
  });

  it('drop-oldest: keeps within maxBytes', () => {
    const ob = mk({ maxBytes: 30 });
    ob.add('t', 'x'.repeat(10), false, false);
    ob.add('t', 'y'.repeat(10), false, false);
    ob.add('t', 'z'.repeat(10), false, false);
    assert.ok(ob.bytes() <= 30);
    assert.deepEqual(drain(ob), ['t=' + 'y'.repeat(10), 't=' + 'z'.repeat(10)]);
  });

  it('reject-new: refuses when full and counts the refusal as a drop', () => {
    const drops: number[] = [];
    const ob = mk({ maxCount: 2, policy: 'reject-new', onDrop: (n) => drops.push(n) });
    ob.add('t', '1', false, false);
    ob.add('t', '2', false, false);
    assert.equal(ob.add('t', '3', false, false), OB_FULL);
    assert.deepEqual(drops, [1]);
    assert.deepEqual(drain(ob), ['t=1', 't=2']);
  });

  it('refuses a message larger than maxBytes on its own', () => {
    const ob = mk({ maxBytes: 10 });
    assert.equal(ob.add('topic', 'payload!', false, false), OB_TOO_BIG);
    assert.equal(ob.count(), 0);
  });

  it('keeps a message in RAM when Storage is full', () => {
    st.capacity = 5;
    const ob = mk();
    ob.add('topic', 'payload', false, true);
    assert.deepEqual(st.list(), []);
    assert.deepEqual(drain(ob), ['topic=payload']);
  });

  it('drops unreadable records found at boot', () => {
    st.write('mqob_0', 'x');
    st.write('mqob_1', '\x00\x00\x01tp');
    const drops: number[] = [];
    const ob = mk({ onDrop: (n) => drops.push(n) });
    assert.deepEqual(drain(ob), ['t=p']);
    assert.deepEqual(drops, [1]);
    assert.deepEqual(st.list(), []);
  });

  it('applies the bounds to what it finds at boot', () => {
    const a = mk();
    for (let i = 0; i < 6; i++) a.add('t', '' + i, false, true);
    const b = mk({ maxCount: 4 });
    assert.equal(b.nDropped, 2);
    assert.deepEqual(drain(b), ['t=2', 't=3', 't=4', 't=5']);
  });

  it('works in RAM only without Storage', () => {
    const ob = new Outbox({});
    ob.add('a', 'b', false, true);
    ob.persist();
    assert.deepEqual(drain(ob), ['a=b']);
  });
});
