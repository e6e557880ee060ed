import { strict as assert } from 'assert';
import { encodeQuery, decodeDns, answerA, readName, validName, TYPE_A } from '../../src/net/dns-codec';

function b(a: number[]): string {
  return Buffer.from(a).toString('latin1');
}

/** A response to "www.ex.io": CNAME to "h.ex.io" (compressed), then its A record. */
var RESP = b([
  0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
  3, 119, 119, 119, 2, 101, 120, 2, 105, 111, 0, 0, 1, 0, 1,
  0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 100, 0, 4, 1, 104, 0xc0, 16,
  0xc0, 39, 0, 1, 0, 1, 0, 0, 0, 50, 0, 4, 10, 1, 2, 3,
]);

describe('dns-codec', function () {
  it('encodes a recursive A query byte for byte', function () {
    assert.deepEqual(Array.from(Buffer.from(encodeQuery(0xabcd, 'a.bc', TYPE_A), 'latin1')), [
      0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 97, 2, 98, 99, 0, 0, 1, 0, 1,
    ]);
  });

  it('accepts a trailing dot in the name', function () {
    assert.equal(encodeQuery(1, 'a.bc.', TYPE_A), encodeQuery(1, 'a.bc', TYPE_A));
  });

  it('decodes id, rcode, the question and compressed answers', function () {
    var m = decodeDns(RESP)!;
    assert.equal(m.id, 0x1234);
    assert.equal(m.rcode, 0);
    assert.equal(m.qname, 'www.ex.io');
    assert.deepEqual(m.answers.map((a) => [a.name, a.type, a.ttl, a.data]), [
      ['www.ex.io', 5, 100, 'h.ex.io'],
      ['h.ex.io', 1, 50, '10.1.2.3'],
    ]);
  });

  it('follows a CNAME to the A record and keeps the smallest TTL', function () {
    assert.deepEqual(answerA(decodeDns(RESP)!, 'WWW.ex.io'), { ip: '10.1.2.3', ttl: 50 });
    assert.equal(answerA(decodeDns(RESP)!, 'other.io'), null);
  });

  it('rejects a name whose pointers loop, and a truncated message', function () {
    assert.equal(readName(b([0xc0, 0]), 0), null);
    assert.equal(decodeDns(RESP.substr(0, RESP.length - 2)), null);
    assert.equal(decodeDns('abc'), null);
  });

  it('validates names: labels of 1–63 characters, 253 in all', function () {
    assert.equal(validName('a.b'), true);
    assert.equal(validName('a..b'), false);
    assert.equal(validName('x'.repeat(64) + '.io'), false);
    assert.equal(validName(('a'.repeat(50) + '.').repeat(5) + 'io'), false);
    assert.equal(validName(''), false);
  });
});
