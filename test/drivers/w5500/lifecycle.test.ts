import { strict as assert } from 'assert';
import { rig, FakePin } from './harness';
import { IF_ON, IF_OFF, IF_FAILED, R_NO_HARDWARE } from '../../../src/net/types';
import { W5500Interface } from '../../../src/drivers/w5500/w5500-interface';
import { VirtualClock } from '../../../hal/host/virtual-clock';

describe('W5500Interface lifecycle', function () {
  it('powers on: powering_on → on, and is configured once VERSIONR read 0x04', function () {
    var r = rig({}, { trace: true });
    assert.equal(r.eth.configured(), false);
    r.eth.on();
    r.clock.advance(50);
    assert.deepEqual(r.states, ['powering_on', 'on']);
    assert.equal(r.eth.configured(), true);
  });

  it('soft-resets with MR=0x80 (frame 00 00 04 80) and polls MR back to 0', function () {
    var r = rig({}, { trace: true, resetMs: 3 });
    r.eth.on();
    r.clock.advance(50);
    var f = r.model.frames;
    assert.deepEqual([f[0].addr, f[0].bsb, f[0].write, f[0].data], [0, 0, true, [0x80]]);
    var mrReads = f.filter((x) => !x.write && x.bsb === 0 && x.addr === 0).map((x) => x.miso[0]);
    assert.ok(mrReads.length >= 3, 'polled while the reset lasted');
    assert.equal(mrReads[mrReads.length - 1], 0);
    assert.ok(mrReads.slice(0, -1).every((v) => v === 0x80));
  });

  it('writes the MAC, RTR/RCR and every socket\'s buffer sizes', function () {
    var r = rig({ mac: '02:00:00:aa:bb:cc', retryMs: 150, retryCount: 3 });
    r.eth.on();
    r.clock.advance(50);
    var c = r.model.c;
    assert.deepEqual(Array.from(c.subarray(9, 15)), [2, 0, 0, 0xaa, 0xbb, 0xcc]);
    assert.deepEqual(Array.from(c.subarray(0x19, 0x1c)), [0x05, 0xdc, 3]);
    assert.deepEqual(r.model.s.map((s) => s.txSize() / 1024), [4, 4, 2, 2, 1, 1, 1, 1]);
    assert.deepEqual(r.model.s.map((s) => s.rxSize() / 1024), [4, 4, 2, 2, 1, 1, 1, 1]);
  });

  it('uses a locally administered default MAC', function () {
    var r = rig();
    r.eth.on();
    r.clock.advance(50);
    assert.equal(r.model.c[9] & 0x03, 0x02);
    assert.equal(r.eth.info().mac, '02:08:DC:01:02:03');
  });

  it('retries VERSIONR when the first reads after reset return 0', function () {
    var r = rig({}, { versionZeroReads: 3 });
    r.eth.on();
    r.clock.advance(50);
    assert.equal(r.eth.state(), IF_ON);
  });

  it('pulses RSTn low then high before the soft reset when an RST pin is given', function () {
    var rst = new FakePin();
    var r = rig({ rst: rst });
    r.eth.on();
    assert.deepEqual(rst.writes, [false]);
    r.clock.advance(50);
    assert.deepEqual(rst.writes, [false, true]);
    assert.equal(r.eth.state(), IF_ON);
  });

  for (const mode of ['zeros', 'ones'] as const) {
    it('fails with no_hardware, without throwing, when MISO is all ' + (mode === 'zeros' ? '0x00' : '0xFF'), function () {
      var r = rig({}, { absent: mode });
      r.eth.on();
      r.clock.advance(100);
      assert.equal(r.eth.state(), IF_FAILED);
      assert.equal(r.eth.reason(), R_NO_HARDWARE);
      assert.equal(r.eth.configured(), false);
      assert.equal(r.clock.pending(), 0, 'no timer left running');
    });
  }

  it('gives up on an absent chip within 50 ms of virtual time', function () {
    var r = rig({}, { absent: 'ones' });
    r.eth.on();
    var t0 = r.clock.now();
    r.clock.runUntil(() => r.eth.state() === IF_FAILED, 1000);
    assert.ok(r.clock.now() - t0 <= 50, 'took ' + (r.clock.now() - t0));
  });

  it('fails with no_hardware when another chip answers (VERSIONR 0x51)', function () {
    var r = rig({}, { version: 0x51 });
    r.eth.on();
    r.clock.advance(100);
    assert.equal(r.eth.reason(), R_NO_HARDWARE);
  });

  it('connect() on an absent chip ends in failed/no_hardware, and tcp/udp return null', function () {
    var r = rig({}, { absent: 'zeros' });
    r.eth.connect();
    r.clock.advance(200);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.tcp({ host: '1.2.3.4', port: 80 }), null);
    assert.equal(r.eth.udp({}), null);
  });

  it('leaves another interface on the same clock untouched when the chip is absent', function () {
    var r = rig({}, { absent: 'ones' });
    var other = rig();
    r.eth.connect();
    other.eth.connect();
    r.clock.advance(100);
    other.clock.runUntil(() => other.eth.state() === 4, 10000);
    assert.equal(other.eth.state(), 4);
    assert.equal(r.eth.reason(), R_NO_HARDWARE);
  });

  it('off() resets the chip and stops every timer', function () {
    var r = rig();
    r.eth.on();
    r.clock.advance(50);
    var resets = r.model.resets;
    r.eth.off();
    assert.equal(r.eth.state(), IF_OFF);
    assert.equal(r.model.resets, resets + 1);
    assert.equal(r.clock.pending(), 0);
  });

  it('holds RSTn low after off() when an RST pin is given', function () {
    var rst = new FakePin();
    var r = rig({ rst: rst });
    r.eth.on();
    r.clock.advance(50);
    r.eth.off();
    assert.equal(rst.writes[rst.writes.length - 1], false);
  });

  it('can be powered on again after off()', function () {
    var r = rig();
    r.eth.on();
    r.clock.advance(50);
    r.eth.off();
    r.eth.on();
    r.clock.advance(50);
    assert.equal(r.eth.state(), IF_ON);
  });

  it('rejects a malformed MAC and bad buffer sizes with a TypeError', function () {
    var clock = new VirtualClock();
    var spi = { send: (d: Uint8Array) => new Uint8Array(d.length) };
    assert.throws(() => new W5500Interface({ spi: spi, clock: clock, mac: '02:08:dc' }), TypeError);
    assert.throws(() => new W5500Interface({ spi: spi, clock: clock, txKb: [8, 8, 2, 0, 0, 0, 0, 0] }), TypeError);
    assert.throws(() => new W5500Interface({ spi: spi, clock: clock, rxKb: [3, 0, 0, 0, 0, 0, 0, 0] }), TypeError);
  });

  it('polls a stuck Sn_CR a bounded number of times and fails the socket instead of hanging', function () {
    var r = rig({}, { crStuck: true });
    r.eth.setConfig({ ip: '192.168.1.50', gateway: '192.168.1.1', dns: '192.168.1.1' });
    r.eth.connect();
    r.clock.advance(50);
    var closed = -1;
    r.eth.tcp({ host: '192.168.1.1', port: 7, onClose: (e) => (closed = e) });
    var f0 = r.model.spiFrames;
    r.clock.advance(50);
    assert.equal(closed, 8, 'E_DEVICE');
    assert.ok(r.model.spiFrames - f0 < 100);
  });

  it('reports a chip that stops answering as failed/no_hardware', function () {
    var r = rig();
    r.eth.connect();
    r.clock.runUntil(() => r.eth.state() === 4, 10000);
    r.model.o.absent = 'ones';
    r.clock.advance(1000);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.reason(), R_NO_HARDWARE);
  });
});
