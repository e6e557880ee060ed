import { strict as assert } from 'assert';
import { IfBase } from '../../src/net/if-base';
import { IF_CONNECTING, IF_FAILED, IF_OFF, IF_READY, R_NONE, R_NO_LINK } from '../../src/net/types';
import { MemoryLog } from '../../hal/host/console-log';

describe('IfBase', () => {
  it('emits "state" once per change, with the reason only for failed', () => {
    const log = new MemoryLog();
    const b = new IfBase('eth0', 'ethernet', log);
    const seen: Array<[number, number]> = [];
    b.events.on('state', (s, r) => seen.push([s, r]));
    b._set(IF_CONNECTING, R_NO_LINK);
    b._set(IF_CONNECTING);
    b._set(IF_FAILED, R_NO_LINK);
    b._set(IF_READY);
    assert.deepEqual(seen, [[IF_CONNECTING, R_NONE], [IF_FAILED, R_NO_LINK], [IF_READY, R_NONE]]);
    assert.equal(b.reason(), R_NONE);
    assert.deepEqual(log.lines.map((l) => l.slice(6)), ['I eth0: connecting', 'I eth0: failed (no_link)', 'I eth0: ready']);
  });

  it('starts off with zero counters and an unconfigured address', () => {
    const b = new IfBase('wl0', 'wifi');
    assert.equal(b.state(), IF_OFF);
    assert.deepEqual(b.counters(), { tx: 0, rx: 0 });
    assert.equal(b.info().ip, '0.0.0.0');
  });
});
