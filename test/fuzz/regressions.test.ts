/** Bugs the fuzzers found, each pinned by the input that showed it. */
import { strict as assert } from 'assert';
import { decodeDns, answerA, encodeName } from '../../src/net/dns-codec';

describe('fuzz regressions', function () {
  it('dns-codec: an A record that is not 4 bytes long gives no address (it gave its raw bytes, e.g. "a.b")', function () {
    var rdata = 'a.b';
    var s = String.fromCharCode(0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0) + encodeName('cloud.sim') +
      String.fromCharCode(0, 1, 0, 1, 0, 0, 0, 60, 0, rdata.length) + rdata;
    var m = decodeDns(s);
    assert.ok(m);
    assert.equal(m!.answers.length, 1);
    assert.equal(answerA(m!, 'cloud.sim'), null);
  });
});
