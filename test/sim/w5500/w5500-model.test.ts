import { strict as assert } from 'assert';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { W5500Model, W5500ModelOptions } from '../../../sim/w5500/w5500-model';
import { LoopbackNic, SERVER_IP } from './loopback-nic';

/** Raw frames, written out as CHIPS.md §1.1 gives them. */
function rd(m: W5500Model, ctl: number, addr: number, len: number): number[] {
  var f = new Uint8Array(3 + len);
  f[0] = addr >> 8;
  f[1] = addr & 0xff;
  f[2] = ctl;
  return Array.from(m.send(f));
}
function wr(m: W5500Model, ctl: number, addr: number, data: number[]): number[] {
  return Array.from(m.send(Uint8Array.from([addr >> 8, addr & 0xff, ctl].concat(data))));
}
function data(m: W5500Model, ctl: number, addr: number, len: number): number[] {
  return rd(m, ctl, addr, len).slice(3);
}

function mk(o?: Partial<W5500ModelOptions>) {
  var clock = new VirtualClock(0);
  var nic = new LoopbackNic(clock);
  var m = new W5500Model(Object.assign({ clock: clock, nic: nic }, o || {}));
  return { clock, nic, m };
}

/** Socket 0 in UDP mode on `port`. */
function openUdp(m: W5500Model, port: number) {
  wr(m, 0x0c, 0x00, [0x02]);
  wr(m, 0x0c, 0x04, [port >> 8, port & 0xff]);
  wr(m, 0x0c, 0x01, [0x01]);
}

describe('W5500Model', function () {
  it('answers a VERSIONR read with 01 02 03 04 on MISO', function () {
    var { m } = mk();
    assert.deepEqual(rd(m, 0x00, 0x0039, 1), [1, 2, 3, 4]);
  });

  it('echoes 01 02 03 during the header of a write frame too', function () {
    var { m } = mk();
    assert.deepEqual(wr(m, 0x04, 0x0001, [10, 0, 0, 1]).slice(0, 3), [1, 2, 3]);
  });

  it('has the common register reset values of CHIPS.md §1.2', function () {
    var { m } = mk();
    var c = data(m, 0x00, 0x0000, 0x2e);
    assert.deepEqual(c.slice(0, 0x19), new Array(0x19).fill(0));
    assert.deepEqual(c.slice(0x19, 0x1d), [0x07, 0xd0, 0x08, 0x28]);
    assert.deepEqual(c.slice(0x26, 0x28), [0xff, 0xff]);
    assert.equal(data(m, 0x00, 0x2e, 1)[0] & 0xf8, 0xb8);
  });

  it('has the socket register reset values of CHIPS.md §1.3 in every socket', function () {
    var { m } = mk();
    for (var n = 0; n < 8; n++) {
      var r = data(m, ((4 * n + 1) << 3), 0x00, 0x30);
      assert.deepEqual(r.slice(0, 6), [0, 0, 0, 0, 0, 0], 'S' + n + ' MR..PORT');
      assert.deepEqual(r.slice(6, 12), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 'S' + n + ' DHAR');
      assert.equal(r[0x16], 0x80, 'TTL');
      assert.deepEqual(r.slice(0x1e, 0x22), [2, 2, 0x08, 0x00], 'sizes, TX_FSR');
      assert.deepEqual(r.slice(0x22, 0x2c), new Array(10).fill(0), 'pointers');
      assert.deepEqual(r.slice(0x2c, 0x30), [0xff, 0x40, 0x00, 0x00], 'IMR, FRAG, KPALVTR');
    }
  });

  it('reports the link bit from the world and 100 Mbit full duplex while up', function () {
    var { m, nic } = mk();
    assert.equal(data(m, 0x00, 0x2e, 1)[0], 0xbf);
    nic.setLink(false);
    assert.equal(data(m, 0x00, 0x2e, 1)[0], 0xb8);
  });

  it('reads the link as down when the PHY is configured to power down', function () {
    var { m } = mk();
    wr(m, 0x04, 0x2e, [0xf0]);
    assert.equal(data(m, 0x00, 0x2e, 1)[0] & 1, 0);
  });

  it('auto-increments across registers within one frame', function () {
    var { m } = mk();
    wr(m, 0x04, 0x0001, [192, 168, 1, 1, 255, 255, 255, 0, 2, 8, 0xdc, 1, 2, 3, 192, 168, 1, 9]);
    assert.deepEqual(data(m, 0x00, 0x0009, 6), [2, 8, 0xdc, 1, 2, 3]);
    assert.deepEqual(data(m, 0x00, 0x000f, 4), [192, 168, 1, 9]);
  });

  it('passes SIPR to the NIC as its source address', function () {
    var { m, nic } = mk();
    wr(m, 0x04, 0x000f, [10, 1, 2, 3]);
    assert.equal(nic.address(), '10.1.2.3');
    wr(m, 0x04, 0x000f, [0, 0, 0, 0]);
    assert.equal(nic.address(), null);
  });

  it('decodes the block select of socket 5 (register 0x29, TX 0x2A, RX 0x2B)', function () {
    var { m } = mk();
    wr(m, (0x15 << 3) | 4, 0x04, [0x12, 0x34]);
    assert.deepEqual(data(m, 0x15 << 3, 0x04, 2), [0x12, 0x34]);
    assert.deepEqual(data(m, 0x01 << 3, 0x04, 2), [0, 0], 'socket 0 untouched');
    wr(m, (0x16 << 3) | 4, 0x0000, [0xaa]);
    assert.deepEqual(data(m, 0x16 << 3, 0x0000, 1), [0xaa]);
  });

  it('masks TX buffer offsets by the buffer size, so a burst past the end wraps', function () {
    var { m } = mk();
    wr(m, 0x14, 0xfffe, [1, 2, 3, 4]);
    assert.deepEqual(data(m, 0x10, 0x07fe, 2), [1, 2]);
    assert.deepEqual(data(m, 0x10, 0x0000, 2), [3, 4]);
    assert.deepEqual(data(m, 0x10, 0x0800, 2), [3, 4], 'offset 0x800 is offset 0 of a 2 KB buffer');
  });

  it('masks by the new size after Sn_TXBUF_SIZE changes', function () {
    var { m } = mk();
    wr(m, 0x0c, 0x1f, [4]);
    wr(m, 0x14, 0x0800, [9]);
    assert.deepEqual(data(m, 0x10, 0x0800, 1), [9]);
    assert.deepEqual(data(m, 0x10, 0x1800, 1), [9]);
    assert.deepEqual(data(m, 0x10, 0x0000, 1), [0]);
  });

  it('clears Sn_CR once a command is accepted and moves Sn_SR (OPEN in UDP mode → SOCK_UDP)', function () {
    var { m } = mk();
    openUdp(m, 5000);
    assert.deepEqual(data(m, 0x08, 0x01, 3), [0x00, 0x00, 0x22]);
  });

  it('leaves Sn_CR set when told to (fault knob for bounded polls)', function () {
    var { m } = mk({ crStuck: true });
    openUdp(m, 5000);
    assert.equal(data(m, 0x08, 0x01, 1)[0], 0x01);
  });

  it('OPEN in TCP mode gives SOCK_INIT; CONNECT gives SYNSENT then ESTABLISHED with Sn_IR.CON', function () {
    var { m, clock } = mk();
    wr(m, 0x0c, 0x00, [0x01]);
    wr(m, 0x0c, 0x04, [0xc0, 0x00]);
    wr(m, 0x0c, 0x01, [0x01]);
    assert.equal(data(m, 0x08, 0x03, 1)[0], 0x13);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x0c, 0x01, [0x04]);
    assert.equal(data(m, 0x08, 0x03, 1)[0], 0x15);
    clock.advance(5);
    assert.deepEqual(data(m, 0x08, 0x02, 2), [0x01, 0x17]);
    assert.equal(data(m, 0x00, 0x17, 1)[0], 0x01, 'SIR bit 0');
  });

  it('clears Sn_IR bits written as 1 and leaves the others; SIR drops with the last one', function () {
    var { m, clock } = mk();
    openUdp(m, 5000);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x14, 0x0000, [1, 2, 3]);
    wr(m, 0x0c, 0x24, [0, 3]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    assert.equal(data(m, 0x08, 0x02, 1)[0], 0x14, 'SEND_OK and RECV (the echo)');
    wr(m, 0x0c, 0x02, [0x10]);
    assert.equal(data(m, 0x08, 0x02, 1)[0], 0x04);
    assert.equal(data(m, 0x00, 0x17, 1)[0], 0x01);
    wr(m, 0x0c, 0x02, [0x04]);
    assert.equal(data(m, 0x08, 0x02, 1)[0], 0x00);
    assert.equal(data(m, 0x00, 0x17, 1)[0], 0x00);
  });

  it('prefixes a UDP datagram with peer IP, port and length; RSR counts header and payload', function () {
    var { m, clock } = mk();
    openUdp(m, 5000);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x14, 0x0000, [0x61, 0x62]);
    wr(m, 0x0c, 0x24, [0, 2]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    assert.deepEqual(data(m, 0x08, 0x26, 2), [0, 10]);
    assert.deepEqual(data(m, 0x18, 0x0000, 10), [192, 168, 1, 1, 0, 7, 0, 2, 0x61, 0x62]);
  });

  it('drops a UDP datagram whose 8 + length does not fit in the free RX space', function () {
    var { m, clock } = mk();
    wr(m, 0x0c, 0x1e, [1]);
    openUdp(m, 5000);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x0c, 0x1f, [2]);
    var big = new Array(1017).fill(0x41);
    wr(m, 0x14, 0x0000, big);
    wr(m, 0x0c, 0x24, [(1017 >> 8) & 0xff, 1017 & 0xff]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    assert.equal(m.udpDrops, 1);
    assert.deepEqual(data(m, 0x08, 0x26, 2), [0, 0]);
    var fits = new Array(1016).fill(0x42);
    wr(m, 0x0c, 0x02, [0x1f]);
    wr(m, 0x14, 1017, fits);
    wr(m, 0x0c, 0x24, [(2033 >> 8) & 0xff, 2033 & 0xff]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    assert.equal(m.udpDrops, 1);
    assert.deepEqual(data(m, 0x08, 0x26, 2), [0x04, 0x00]);
  });

  it('counts a second SEND before SEND_OK as a violation and ignores it', function () {
    var { m, nic, clock } = mk();
    openUdp(m, 5000);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x14, 0x0000, [1]);
    wr(m, 0x0c, 0x24, [0, 1]);
    wr(m, 0x0c, 0x01, [0x20]);
    wr(m, 0x14, 0x0001, [2]);
    wr(m, 0x0c, 0x24, [0, 2]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    assert.equal(m.violations.length, 1);
    assert.equal(nic.udpEchoed, 1);
  });

  it('sets Sn_IR.TIMEOUT and CLOSED when a TCP connect gets no answer, after the RTR/RCR time', function () {
    var { m, clock } = mk();
    wr(m, 0x04, 0x19, [0x03, 0xe8, 0x02]); // RTR 100 ms, RCR 2 → 100+200+400 ms
    wr(m, 0x0c, 0x00, [0x01]);
    wr(m, 0x0c, 0x01, [0x01]);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 6]);
    wr(m, 0x0c, 0x01, [0x04]);
    clock.advance(690);
    assert.equal(data(m, 0x08, 0x03, 1)[0], 0x15);
    clock.advance(20);
    assert.deepEqual(data(m, 0x08, 0x02, 2), [0x08, 0x00]);
  });

  it('shows CLOSE_WAIT with Sn_IR.DISCON when the peer sends FIN, only after its data is read', function () {
    var { m, nic, clock } = mk();
    nic.sourceBytes = 3000;
    wr(m, 0x0c, 0x00, [0x01]);
    wr(m, 0x0c, 0x01, [0x01]);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 19]);
    wr(m, 0x0c, 0x01, [0x04]);
    clock.advance(10);
    assert.equal(data(m, 0x08, 0x03, 1)[0], 0x17, 'RX buffer full (2 KB), FIN not seen yet');
    assert.deepEqual(data(m, 0x08, 0x26, 2), [0x08, 0x00]);
    wr(m, 0x0c, 0x28, [0x08, 0x00]);
    wr(m, 0x0c, 0x01, [0x40]);
    assert.deepEqual(data(m, 0x08, 0x26, 2), [(952 >> 8) & 0xff, 952 & 0xff]);
    assert.equal(data(m, 0x08, 0x03, 1)[0], 0x1c);
    assert.equal(data(m, 0x08, 0x02, 1)[0] & 0x02, 0x02);
  });

  it('goes FIN_WAIT then TIME_WAIT then CLOSED on DISCON against an echo peer', function () {
    var { m, clock } = mk();
    wr(m, 0x0c, 0x00, [0x01]);
    wr(m, 0x0c, 0x01, [0x01]);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x0c, 0x01, [0x04]);
    clock.advance(5);
    wr(m, 0x0c, 0x01, [0x08]);
    var seen = [data(m, 0x08, 0x03, 1)[0]];
    for (var i = 0; i < 20; i++) {
      clock.advance(0.5);
      var s = data(m, 0x08, 0x03, 1)[0];
      if (s !== seen[seen.length - 1]) seen.push(s);
    }
    assert.deepEqual(seen, [0x18, 0x1b, 0x00]);
  });

  it('resets every register and socket on MR.RST, and reads MR as 0x80 until the reset is over', function () {
    var { m, clock } = mk({ resetMs: 1 });
    wr(m, 0x04, 0x0009, [2, 8, 0xdc, 1, 2, 3]);
    openUdp(m, 5000);
    wr(m, 0x04, 0x0000, [0x80]);
    assert.equal(data(m, 0x00, 0x00, 1)[0], 0x80);
    clock.advance(1);
    assert.equal(data(m, 0x00, 0x00, 1)[0], 0x00);
    assert.deepEqual(data(m, 0x00, 0x09, 6), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(data(m, 0x08, 0x00, 4), [0, 0, 0, 0]);
    assert.equal(m.resets, 1);
  });

  it('reads VERSIONR as 0 the configured number of times after a reset', function () {
    var { m } = mk({ versionZeroReads: 2 });
    assert.deepEqual([data(m, 0, 0x39, 1)[0], data(m, 0, 0x39, 1)[0], data(m, 0, 0x39, 1)[0]], [0, 0, 4]);
  });

  it('answers all 0x00 or all 0xFF, header included, when the chip is absent', function () {
    assert.deepEqual(rd(mk({ absent: 'zeros' }).m, 0, 0x39, 1), [0, 0, 0, 0]);
    assert.deepEqual(rd(mk({ absent: 'ones' }).m, 0, 0x39, 1), [255, 255, 255, 255]);
  });

  it('counts SPI bytes and chip-select windows', function () {
    var { m } = mk();
    rd(m, 0, 0x39, 1);
    wr(m, 0x04, 0x0001, [1, 2, 3, 4]);
    assert.equal(m.spiFrames, 2);
    assert.equal(m.spiBytes, 11);
  });

  it('asserts INTn while an unmasked socket interrupt is pending (SIMR and Sn_IMR)', function () {
    var seen: boolean[] = [];
    var { m, clock } = mk({ onInt: (a) => seen.push(a) });
    openUdp(m, 5000);
    wr(m, 0x04, 0x18, [0x01]);
    wr(m, 0x0c, 0x0c, [192, 168, 1, 1, 0, 7]);
    wr(m, 0x14, 0x0000, [1]);
    wr(m, 0x0c, 0x24, [0, 1]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    assert.equal(m.intAsserted(), true);
    wr(m, 0x0c, 0x02, [0xff]);
    assert.equal(m.intAsserted(), false);
    assert.deepEqual(seen, [true, false]);
  });

  it('reaches the world through the NIC: a UDP datagram to the DNS server gets an answer', function () {
    var { m, clock } = mk();
    openUdp(m, 4000);
    var q = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 99, 108, 111, 117, 100, 7, 101, 120, 97, 109, 112, 108, 101, 0, 0, 1, 0, 1];
    wr(m, 0x0c, 0x0c, SERVER_IP.split('.').map(Number).concat([0, 53]));
    wr(m, 0x14, 0, q);
    wr(m, 0x0c, 0x24, [0, q.length]);
    wr(m, 0x0c, 0x01, [0x20]);
    clock.advance(5);
    var rsr = data(m, 0x08, 0x26, 2);
    var n = (rsr[0] << 8) | rsr[1];
    var d = data(m, 0x18, 0, n);
    assert.deepEqual(d.slice(n - 4), [10, 0, 0, 5]);
  });
});
