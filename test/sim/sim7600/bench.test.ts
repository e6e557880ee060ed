import { strict as assert } from 'assert';
import { runSim7600Bench } from '../../../sim/sim7600/bench';

describe('runSim7600Bench', function () {
  it('moves 16 KB each way and reports UART bytes per payload byte', function () {
    var r = runSim7600Bench();
    assert.equal(r.send.payload, 16384);
    assert.equal(r.recv.payload, 16384);
    // 11 chunks of ≤ 1500 bytes each way; per chunk a few dozen bytes of AT framing.
    assert.ok(r.send.uartBytes > 16384 + 11 * 40 && r.send.uartBytes < 16384 + 11 * 70, 'send ' + r.send.uartBytes);
    assert.ok(r.recv.uartBytes > 16384 + 11 * 40 && r.recv.uartBytes < 16384 + 11 * 70, 'recv ' + r.recv.uartBytes);
    assert.ok(r.send.dataDirBytesPerPayloadByte <= 1.03 && r.recv.dataDirBytesPerPayloadByte <= 1.03);
    assert.equal(r.uartBytesPerPayloadByte, Math.round((r.send.uartBytes + r.recv.uartBytes) / 32768 * 10000) / 10000);
  });
});
