import { strict as assert } from 'assert';
import {
  encodeDhcp, decodeDhcp, optIp, optIps, optU32, DhcpMessage, BOOTREQUEST, DHCPDISCOVER, DHCPACK, FLAG_BROADCAST,
} from '../../src/net/dhcp-codec';

var MAC = '\x02\x08\xdc\x01\x02\x03';

function discover(): DhcpMessage {
  return {
    op: BOOTREQUEST, xid: 0xdeadbeef, secs: 3, flags: FLAG_BROADCAST, ciaddr: '0.0.0.0', yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0', giaddr: '0.0.0.0', chaddr: MAC, type: DHCPDISCOVER, opts: { 12: 'dev', 55: '\x01\x03\x06' },
  };
}

function bytes(s: string, a: number, b: number): number[] {
  return Array.from(Buffer.from(s.substring(a, b), 'latin1'));
}

describe('dhcp-codec', function () {
  it('encodes the BOOTP header: op, htype 1, hlen 6, xid, secs, flags, chaddr', function () {
    var s = encodeDhcp(discover());
    assert.deepEqual(bytes(s, 0, 12), [1, 1, 6, 0, 0xde, 0xad, 0xbe, 0xef, 0, 3, 0x80, 0]);
    assert.deepEqual(bytes(s, 28, 44), [2, 8, 0xdc, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('puts the magic cookie at 236 and option 53 first, ends with 255, pads to 300 bytes', function () {
    var s = encodeDhcp(discover());
    assert.equal(s.length, 300);
    assert.deepEqual(bytes(s, 236, 243), [99, 130, 83, 99, 53, 1, 1]);
    var end = s.indexOf('\xff', 243);
    assert.deepEqual(bytes(s, 243, end + 1), [12, 3, 100, 101, 118, 55, 3, 1, 3, 6, 255]);
  });

  it('splits an option longer than 255 bytes and joins it again on decode (RFC 3396)', function () {
    var m = discover();
    m.opts[12] = 'h'.repeat(300);
    var s = encodeDhcp(m);
    var d = decodeDhcp(s)!;
    assert.equal(d.opts[12], 'h'.repeat(300));
  });

  it('decodes what it encodes', function () {
    var m = discover();
    m.type = DHCPACK;
    m.op = 2;
    m.yiaddr = '10.0.0.9';
    m.opts = { 1: '\xff\xff\xff\x00', 3: '\x0a\x00\x00\x01', 6: '\x08\x08\x08\x08\x01\x01\x01\x01', 51: '\x00\x00\x0e\x10' };
    var d = decodeDhcp(encodeDhcp(m))!;
    assert.equal(d.op, 2);
    assert.equal(d.xid, 0xdeadbeef);
    assert.equal(d.type, DHCPACK);
    assert.equal(d.yiaddr, '10.0.0.9');
    assert.equal(d.chaddr, MAC);
    assert.equal(optIp(d, 1), '255.255.255.0');
    assert.deepEqual(optIps(d, 6), ['8.8.8.8', '1.1.1.1']);
    assert.equal(optU32(d, 51), 3600);
    assert.equal(optU32(d, 58), -1);
    assert.equal(optIp(d, 54), '');
  });

  it('reads an unsigned 32-bit lease of 0xFFFFFFFF', function () {
    var m = discover();
    m.opts = { 51: '\xff\xff\xff\xff' };
    assert.equal(optU32(decodeDhcp(encodeDhcp(m))!, 51), 0xffffffff);
  });

  it('skips pad options', function () {
    var s = encodeDhcp(discover());
    var padded = s.substr(0, 240) + '\x00\x00' + s.substr(240);
    assert.equal(decodeDhcp(padded)!.type, DHCPDISCOVER);
  });

  it('rejects a short message, a missing cookie and an option running past the end', function () {
    var s = encodeDhcp(discover());
    assert.equal(decodeDhcp(s.substr(0, 200)), null);
    assert.equal(decodeDhcp(s.substr(0, 236) + 'abcd' + s.substr(240)), null);
    assert.equal(decodeDhcp(s.substr(0, 240) + '\x0c\x09abc'), null);
  });
});
