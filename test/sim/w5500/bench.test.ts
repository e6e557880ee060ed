import { strict as assert } from 'assert';
import { benchW5500 } from '../../../sim/w5500/bench';

describe('benchW5500', function () {
  var b = benchW5500();

  it('sends 16 KB over TCP with at most 1.02 SPI bytes per payload byte', function () {
    assert.equal(b.send.payload, 16384);
    assert.ok(b.send.spiBytesPerPayloadByte > 1 && b.send.spiBytesPerPayloadByte <= 1.02, String(b.send.spiBytesPerPayloadByte));
  });

  it('receives 16 KB over TCP with at most 1.02 SPI bytes per payload byte', function () {
    assert.ok(b.receive.spiBytesPerPayloadByte > 1 && b.receive.spiBytesPerPayloadByte <= 1.02, String(b.receive.spiBytesPerPayloadByte));
  });

  it('bursts whole chunks: few SPI transactions per KB', function () {
    assert.ok(b.send.transactionsPerKB < 5, String(b.send.transactionsPerKB));
    assert.ok(b.receive.transactionsPerKB < 5, String(b.receive.transactionsPerKB));
  });

  it('counts every byte of the window (transactions × 3 header bytes + payload ≤ bytes)', function () {
    assert.ok(b.send.spiBytes >= b.send.payload + 3 * b.send.transactions);
    assert.ok(b.receive.spiBytes >= b.receive.payload + 3 * b.receive.transactions);
  });
});
