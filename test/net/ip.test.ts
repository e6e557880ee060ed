import { strict as assert } from 'assert';
import { bytesToIp, ipToBytes, isIpv4 } from '../../src/net/ip';

describe('ip helpers', () => {
  it('isIpv4 accepts dotted quads and rejects everything else', () => {
    for (const ok of ['0.0.0.0', '10.1.2.3', '255.255.255.255']) assert.equal(isIpv4(ok), true, ok);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', 'a.b.c.d', '1..2.3', '1.2.3.-4', 'cloud.local', '1234.1.1.1'])
      assert.equal(isIpv4(bad), false, bad);
  });

  it('ipToBytes and bytesToIp round-trip', () => {
    const b = ipToBytes('192.168.7.254');
    assert.deepEqual([...b].map((c) => c.charCodeAt(0)), [192, 168, 7, 254]);
    assert.equal(bytesToIp('xx' + b, 2), '192.168.7.254');
  });
});
