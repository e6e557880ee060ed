import { strict as assert } from 'assert';
import { rig, ready } from './harness';
import { SERVER_IP } from '../../sim/w5500/loopback-nic';
import { E_NETDOWN } from '../../../src/net/types';

describe('W5500 UDP socket', function () {
  it('echoes a datagram and reports the peer address and port', function () {
    var r = rig();
    ready(r);
    var got: Array<[string, string, number]> = [];
    var u = r.eth.udp({ onMessage: (d, h, p) => got.push([d, h, p]) })!;
    assert.equal(u.send('ping\x00\xff', SERVER_IP, 7), true);
    r.clock.advance(50);
    assert.deepEqual(got, [['ping\x00\xff', SERVER_IP, 7]]);
  });

  it('binds the requested local port and uses the highest free socket', function () {
    var r = rig();
    ready(r);
    r.eth.udp({ port: 4444 });
    var s7 = r.model.s[7];
    assert.equal(s7.sr, 0x22);
    assert.equal(s7.u16(0x04), 4444);
  });

  it('refuses a second socket on the same local port', function () {
    var r = rig();
    ready(r);
    assert.ok(r.eth.udp({ port: 4444 }));
    assert.equal(r.eth.udp({ port: 4444 }), null);
  });

  it('queues datagrams behind the outstanding SEND and delivers all echoes in order', function () {
    var r = rig();
    ready(r);
    var got: string[] = [];
    var u = r.eth.udp({ onMessage: (d) => got.push(d) })!;
    for (var i = 0; i < 5; i++) assert.equal(u.send('m' + i, SERVER_IP, 7), true);
    assert.equal(u.send('m5', SERVER_IP, 7), false, 'one in the chip, four queued');
    r.clock.advance(200);
    assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.deepEqual(r.model.violations, []);
  });

  it('writes Sn_DIPR/Sn_DPORT only when the destination changes', function () {
    var r = rig({}, { trace: true });
    ready(r);
    var u = r.eth.udp({})!;
    r.model.resetCounters();
    u.send('a', SERVER_IP, 7);
    r.clock.advance(30);
    u.send('b', SERVER_IP, 7);
    r.clock.advance(30);
    u.send('c', SERVER_IP, 9);
    r.clock.advance(30);
    var dst = r.model.frames.filter((f) => f.write && f.addr === 0x0c && (f.bsb & 3) === 1);
    assert.equal(dst.length, 2);
    assert.deepEqual(dst[1].data, [192, 168, 1, 1, 0, 9]);
  });

  it('reads several queued datagrams in one RX burst and splits them', function () {
    var r = rig({ idlePollMs: 200, pollMs: 200 }, { trace: true });
    ready(r);
    var got: string[] = [];
    var u = r.eth.udp({ onMessage: (d) => got.push(d) })!;
    u.send('one', SERVER_IP, 7);
    r.clock.advance(1);
    var m = r.model.s[7];
    m.datagram('10.0.0.1', 1000, Buffer.from('two'));
    m.datagram('10.0.0.2', 2000, Buffer.from('three'));
    r.model.resetCounters();
    r.clock.advance(400);
    assert.deepEqual(got, ['two', 'three', 'one']);
    assert.equal(r.model.frames.filter((f) => (f.bsb & 3) === 3).length, 1);
  });

  it('survives a datagram that does not fit the RX buffer: dropped by the chip, the next one arrives', function () {
    var r = rig({ txKb: [4, 4, 2, 2, 1, 1, 1, 1], rxKb: [4, 4, 2, 2, 1, 1, 1, 1] });
    ready(r);
    var got: string[] = [];
    var u = r.eth.udp({ onMessage: (d) => got.push(d) })!;
    var big = 'x'.repeat(1020);
    assert.equal(u.send(big, SERVER_IP, 7), true, '1020 bytes fit the 1 KB TX buffer');
    r.clock.advance(50);
    assert.equal(r.model.udpDrops, 1, '8 + 1020 > 1024: dropped');
    u.send('small', SERVER_IP, 7);
    r.clock.advance(50);
    assert.deepEqual(got, ['small']);
  });

  it('refuses a datagram larger than the TX buffer, a host name and a bad port', function () {
    var r = rig();
    ready(r);
    var u = r.eth.udp({})!;
    assert.equal(u.send('x'.repeat(1025), SERVER_IP, 7), false);
    assert.equal(u.send('x', 'echo.example', 7), false);
    assert.equal(u.send('x', SERVER_IP, 0), false);
  });

  it('close() frees the hardware socket without calling onClose', function () {
    var r = rig();
    ready(r);
    var closed = -1;
    var u = r.eth.udp({ onClose: (e) => (closed = e) })!;
    u.close();
    assert.equal(r.model.s[7].sr, 0);
    assert.equal(closed, -1);
    assert.equal(u.send('x', SERVER_IP, 7), false);
  });

  it('closes with E_NETDOWN on disconnect()', function () {
    var r = rig();
    ready(r);
    var closed = -1;
    r.eth.udp({ onClose: (e) => (closed = e) });
    r.eth.disconnect();
    assert.equal(closed, E_NETDOWN);
    assert.equal(r.eth.state(), 2);
  });

  it('drops a unicast datagram whose ARP times out and carries on with the next', function () {
    var r = rig({ retryMs: 100, retryCount: 1, linkPollMs: 5000 });
    ready(r);
    var got: string[] = [];
    var u = r.eth.udp({ onMessage: (d) => got.push(d) })!;
    r.nic.setLink(false); // the driver will not poll the link for a while
    assert.equal(u.send('lost', SERVER_IP, 7), true);
    assert.equal(u.send('queued', SERVER_IP, 7), true);
    r.clock.advance(150);
    assert.equal(r.model.s[7].sending, true, 'ARP still trying');
    r.clock.advance(40);
    r.nic.setLink(true); // back before the ARP timeout (200 ms) ends
    r.clock.advance(100);
    assert.equal(r.eth.state(), 4, 'the driver never saw the link drop');
    assert.deepEqual(got, ['queued']);
  });
});
