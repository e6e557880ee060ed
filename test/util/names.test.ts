import { strict as assert } from 'assert';
import { nameAt, inList } from '../../src/util/names';
import { IF_STATES, REASONS, IF_FAILED, R_NOT_AUTHORISED } from '../../src/net/types';

describe('name lists', () => {
  it('nameAt reads the i-th name, undefined past the end', () => {
    assert.equal(nameAt('a,bb,ccc', 0), 'a');
    assert.equal(nameAt('a,bb,ccc', 2), 'ccc');
    assert.equal(nameAt('a,bb,ccc', 3), undefined);
    assert.equal(nameAt(IF_STATES, IF_FAILED), 'failed');
    assert.equal(nameAt(REASONS, R_NOT_AUTHORISED), 'not_authorised');
  });

  it('inList matches whole names only, never a part or a run of names', () => {
    assert.equal(inList('open,wep,wpa2', 'wep'), true);
    assert.equal(inList('open,wep,wpa2', 'wpa'), false);
    assert.equal(inList('open,wep,wpa2', 'open,wep'), false);
    assert.equal(inList('open,wep,wpa2', ''), false);
  });
});
