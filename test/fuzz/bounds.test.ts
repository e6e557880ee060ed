/**
 * Every buffer and queue has a configured maximum, and oversize input gives an error path (an event, a
 * refused call, a dropped message counted), never growth. One `it` per bound.
 */
import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { MemoryLog } from '../../hal/host/console-log';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { Uart } from '../../hal/uart';
import { AtEngine, AtCmd, AT_OK } from '../../src/drivers/sim7600/at-engine';
import { MqttDecoder, MQ_E_SIZE } from '../../src/cloud/mqtt-codec';
import { MqttClient, MQ_BUSY, MQ_OK } from '../../src/cloud/mqtt-client';
import { CloudSession, PUB_FULL } from '../../src/cloud/cloud-session';
import { DnsClient } from '../../src/net/dns-client';
import { NativeTcpSocket } from '../../src/net/native-sockets';
import { SimNicSockets } from '../../hal/host/sim-nic-sockets';
import { SCAN_WAITERS_MAX, WifiInterface } from '../../src/drivers/wifi/wifi-interface';
import { UDP_QUEUE_MAX } from '../../src/drivers/w5500/udp-socket';
import { MOVES_MAX } from '../../src/connection/metrics';
import { E_OK, E_NO_SOCKET, IF_READY } from '../../src/net/types';
import { TcpSocket } from '../../src/net/interface';
import { rig as w5500Rig, ready as w5500Ready } from '../drivers/w5500/harness';
import { SERVER_IP, PORT_SINK } from '../sim/w5500/loopback-nic';
import { makeRig as cellRig } from '../drivers/sim7600/harness';
import { LOOP_SERVER_IP } from '../../sim/sim7600/loop-cell';
import { ECHO_IP, ECHO_PORT } from '../drivers/wifi/fake-airspace';
import { world as mgrWorld } from '../connection/fakes';

function engine(o?: any) {
  var clock = new VirtualClock(0);
  var rx: any = null, rxT: any;
  var uart: Uart = { write: function () {}, onData: function (cb, t) { rx = cb; rxT = t; }, setBaud: function () {} };
  var at = new AtEngine(Object.assign({ uart: uart, clock: clock }, o || {}));
  var garbage: string[] = [];
  at.events.on('garbage', function (t: string) { garbage.push(t); });
  return { clock: clock, at: at, garbage: garbage, feed: function (d: string) { rx.call(rxT, d); } };
}

function repeat(c: string, n: number): string {
  return new Array(n + 1).join(c);
}

describe('bounds: every buffer and queue has a maximum', function () {
  it('AT engine: a line longer than maxLine is a "garbage" event and never grows the line buffer', function () {
    var t = engine({ maxLine: 64 });
    for (var i = 0; i < 50; i++) {
      t.feed(repeat('y', 40));
      assert.ok(t.at._buf.length <= 64, 'buffer ' + t.at._buf.length);
    }
    assert.ok(t.garbage.length >= 20, 'garbage events ' + t.garbage.length);
  });

  it('AT engine: the command queue refuses past maxQueue (send returns false, no callback)', function () {
    var t = engine({ maxQueue: 4 });
    var done = 0;
    var ok = 0;
    for (var i = 0; i < 10; i++) if (t.at.send({ c: 'AT', t: 1000, cb: function () { done++; } })) ok++;
    assert.equal(ok, 5, 'one on the wire, four queued');
    t.clock.advance(20000);
    assert.equal(done, 5);
  });

  it('AT engine: a binary payload announced larger than maxBin is garbage and not read', function () {
    var t = engine({ maxBin: 100 });
    var res: AtCmd[] = [];
    t.at.send({ c: 'AT+CIPRXGET=2,0,1500', t: 1000, p: '+CIPRXGET: 2,', n: 1, cb: function (r, c) { if (r === AT_OK) res.push(c); } });
    t.feed('\r\n+CIPRXGET: 2,0,500,0\r\n');
    assert.equal(t.at._bin, 0);
    assert.equal(t.garbage.length, 1);
    t.feed('\r\nOK\r\n');
    assert.equal(res.length, 1);
    assert.equal(res[0].b, undefined);
  });

  it('MQTT decoder: a packet announced over maxPacket is refused at its header, nothing held', function () {
    var d = new MqttDecoder(1024, function () {});
    assert.equal(d.push('\x30\x81\x08'), MQ_E_SIZE);
    assert.equal(d.held(), 0);
    assert.equal(d.push(repeat('z', 5000)), MQ_E_SIZE);
    assert.equal(d.held(), 0);
  });

  it('MQTT client: the send backlog stops at maxTx (QoS 0 publish busy), the QoS 1 window at its size', function () {
    var clock = new VirtualClock(0);
    var sent = '';
    var cbs: any = null;
    var net = {
      tcp: function (o: any): TcpSocket {
        cbs = o;
        return { write: function (d: string) { if (sent.length > 100) return false; sent += d; return true; }, close: function () {} };
      },
    };
    var c = new MqttClient({ clock: clock, id: 'b', maxTx: 1000, window: 3 });
    c.connect(net, '10.0.0.1', 1883);
    cbs.onConnect();
    cbs.onData('\x20\x02\x00\x00');
    var busy = 0;
    for (var i = 0; i < 50; i++) if (c.publish('t', repeat('p', 90), 0, false) === MQ_BUSY) busy++;
    assert.ok(busy >= 30, 'busy ' + busy);
    assert.ok(c._q.length <= 1000, 'backlog ' + c._q.length);
    var w = 0;
    for (i = 0; i < 10; i++) if (c.publish('t', 'q', 1, false) === MQ_OK) w++;
    assert.equal(w, 3);
    assert.equal(c.inFlight(), 3);
  });

  it('outbox: drop-oldest keeps maxCount and emits "drop"; reject-new answers PUB_FULL', function () {
    var clock = new VirtualClock(0);
    var s = new CloudSession({ clock: clock, host: 'h', deviceId: 'd', storage: new MemoryStorage(), outbox: { maxCount: 5, maxBytes: 10000 } });
    var drops: number[] = [];
    s.events.on('drop', function (n: number) { drops.push(n); });
    for (var i = 0; i < 12; i++) s.publish('e', 'm' + i, { qos: 1 });
    assert.equal(s.stats().queued, 5);
    assert.deepEqual(drops, [1, 2, 3, 4, 5, 6, 7]);
    var r = new CloudSession({ clock: clock, host: 'h', deviceId: 'd', outbox: { maxCount: 2, policy: 'reject-new' } });
    var res: number[] = [];
    for (i = 0; i < 3; i++) r.publish('e', 'x', { qos: 1 }, function (v: number) { res.push(v); });
    clock.advance(1);
    assert.equal(res[2], PUB_FULL);
    assert.equal(r.stats().queued, 2);
  });

  it('outbox: maxBytes bounds the bytes held', function () {
    var s = new CloudSession({ clock: new VirtualClock(0), host: 'h', deviceId: 'd', outbox: { maxCount: 100, maxBytes: 500 } });
    for (var i = 0; i < 40; i++) s.publish('e', repeat('b', 60), { qos: 1 });
    assert.ok(s.stats().queuedBytes <= 500, 'bytes ' + s.stats().queuedBytes);
  });

  it('W5500 TCP: the send queue refuses a write past txQueueMax, even the first one', function () {
    var r = w5500Rig({ txQueueMax: 1000 });
    w5500Ready(r);
    var up = false;
    var s = r.eth.tcp({ host: SERVER_IP, port: PORT_SINK, onConnect: function () { up = true; } })!;
    assert.ok(r.clock.runUntil(function () { return up; }, 5000));
    assert.equal(s.write(repeat('a', 5000)), false, 'one oversize write');
    assert.equal(s.write(repeat('a', 800)), true);
    assert.equal(s.write(repeat('a', 300)), false);
    assert.ok((s as any)._qn <= 1000);
  });

  it('W5500 UDP: at most UDP_QUEUE_MAX datagrams wait', function () {
    var r = w5500Rig();
    w5500Ready(r);
    var u = r.eth.udp({})!;
    var ok = 0;
    for (var i = 0; i < 20; i++) if (u.send('d' + i, SERVER_IP, PORT_SINK)) ok++;
    assert.ok(ok <= UDP_QUEUE_MAX + 1, 'accepted ' + ok);
  });

  it('SIM7600 TCP: the send buffer refuses past txBufMax; UDP queues at most 4 datagrams', function () {
    var r = cellRig({ cell: { txBufMax: 2000 } });
    r.cell.connect();
    assert.ok(r.clock.runUntil(function () { return r.cell.state() === IF_READY; }, 60000));
    var up = false;
    var s = r.cell.tcp({ host: LOOP_SERVER_IP, port: 7, onConnect: function () { up = true; } })!;
    assert.ok(r.clock.runUntil(function () { return up; }, 20000));
    assert.equal(s.write(repeat('c', 2500)), false);
    assert.equal(s.write(repeat('c', 1500)), true);
    assert.equal(s.write(repeat('c', 600)), false);
    var u = r.cell.udp({})!;
    r.clock.advance(1);
    var ok = 0;
    for (var i = 0; i < 10; i++) if (u.send('x', LOOP_SERVER_IP, 7)) ok++;
    assert.ok(ok <= 4, 'accepted ' + ok);
  });

  it('Wi-Fi (native sockets): past sendBufMax the socket reports full, refuses writes, and resumes on drain', function () {
    var clock = new VirtualClock(0);
    // A NIC whose TCP peer never acknowledges: everything written stays pending.
    var pending = 0;
    var nic: any = {
      address: function () { return '192.168.1.50'; },
      tcpConnect: function (ip: string, port: number, lp: number, h: any) {
        clock.setTimeout(function () { h.onConnect(); }, 1);
        return { write: function (b: Buffer) { pending += b.length; }, end: function () {}, destroy: function () {}, pendingBytes: function () { return pending; } };
      },
    };
    var ns = new SimNicSockets({ nic: function () { return nic; }, clock: clock, sendBufMax: 1000 });
    var writable = 0;
    var cnt = { tx: 0, rx: 0 };
    var s = new NativeTcpSocket(ns, { host: ECHO_IP, port: ECHO_PORT, onWritable: function () { writable++; } }, clock, cnt);
    clock.advance(100);
    var taken = 0;
    for (var i = 0; i < 20; i++) if (s.write(repeat('w', 300))) taken++;
    assert.ok(taken <= 4, 'taken ' + taken);
    clock.advance(5000);
    assert.equal(writable, 0, 'no room while the peer acknowledges nothing');
    pending = 0;
    clock.advance(100);
    assert.ok(writable >= 1, 'onWritable after the drain');
    assert.equal(s.write('more'), true);
  });

  it('Espruino sockets: write reports full after SEND_BUF_MAX bytes until the runtime\'s "drain"', function () {
    var es = require('../../hal/espruino/sockets');
    var sock: any = { h: {}, on: function (e: string, f: any) { this.h[e] = f; }, write: function () { return false; }, end: function () {} };
    var net = { connect: function () { return sock; } };
    var t = new es.EspruinoSockets({ net: net }).connect('h', 1, { onConnect: function () {}, onData: function () {}, onClose: function () {}, onDrain: function () {} });
    var n = 0;
    while (t.write(repeat('e', 100)) && n < 1000) n++;
    assert.equal(n, Math.ceil(es.SEND_BUF_MAX / 100) - 1);
    sock.h.drain();
    assert.equal(t.write('x'), true);
  });

  it('DNS client: the cache keeps cacheMax names; queries in flight are bounded (E_NO_SOCKET)', function () {
    var clock = new VirtualClock(0);
    var sent: string[] = [];
    var open: any = null;
    var d = new DnsClient({ clock: clock, servers: function () { return ['1.1.1.1']; }, cacheMax: 2, maxPending: 2,
      udp: function (o) { open = o; return { send: function (x: string) { sent.push(x); return true; }, close: function () {} }; } });
    var errs: number[] = [];
    ['a.sim', 'b.sim', 'c.sim'].forEach(function (n) { d.resolve(n, function (e) { errs.push(e); }); });
    clock.advance(1);
    assert.deepEqual(errs, [E_NO_SOCKET]);
    // Answer everything with A records: the cache still holds at most 2.
    sent.forEach(function (q) {
      var r = q.substr(0, 2) + '\x81\x80' + q.substr(4, 2) + '\x00\x01\x00\x00\x00\x00' + q.substr(12) + '\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00\x01';
      open.onMessage(r, '1.1.1.1', 53);
    });
    ['d.sim', 'e.sim'].forEach(function (n) { d.resolve(n, function () {}); });
    sent.slice(2).forEach(function (q) {
      var r = q.substr(0, 2) + '\x81\x80' + q.substr(4, 2) + '\x00\x01\x00\x00\x00\x00' + q.substr(12) + '\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00\x02';
      open.onMessage(r, '1.1.1.1', 53);
    });
    clock.advance(1);
    assert.ok(errs.filter(function (e) { return e === E_OK; }).length >= 2);
    assert.ok(d._c.length <= 2, 'cache ' + d._c.length);
  });

  it('connection manager: the move log keeps MOVES_MAX entries, the drop history 8', function () {
    var w = mgrWorld({ settings: { failBack: true, failBackStableMs: 1000, failBackCheckMs: 1000, minDwellMs: 0, flapCount: 0 } });
    w.mgr.connect(null);
    w.mgr.prefer('eth0', true);
    w.clock.advance(3000);
    for (var i = 0; i < 40; i++) {
      w.eth.setLink(false);
      w.clock.advance(20000);
      w.eth.setLink(true);
      w.clock.advance(90000);
    }
    assert.ok(w.mgr.moves().length <= MOVES_MAX, 'moves ' + w.mgr.moves().length);
    assert.ok(w.mgr.moves().length >= MOVES_MAX - 2, 'the test moved enough: ' + w.mgr.moves().length);
    w.mgr._recs.forEach(function (r: any) { assert.ok(r.downs.length <= 8); });
  });

  it('logs: MemoryLog keeps its maximum of lines', function () {
    var l = new MemoryLog(function () { return 0; }, -1, 100);
    for (var i = 0; i < 1000; i++) l.log(2, 't', 'line ' + i);
    assert.equal(l.lines.length, 100);
    assert.ok(l.lines[99].indexOf('line 999') > 0);
  });

  it('Wi-Fi: callers waiting for a scan are bounded; more hear "no result" at once', function () {
    var clock = new VirtualClock(0);
    var radio: any = { onEvent: function () {}, scan: function () {}, getRssi: function () { return -50; } };
    var wl = new WifiInterface({ radio: radio, sockets: { connect: function () { return null as any; }, udp: function () { return null as any; } }, clock: clock, storage: new MemoryStorage() });
    var got: number[] = [];
    for (var i = 0; i < 30; i++) wl.scan(function (aps) { got.push(aps.length); });
    clock.advance(1);
    assert.equal(got.length, 30 - SCAN_WAITERS_MAX);
    assert.equal(wl._scq.length, SCAN_WAITERS_MAX);
  });
});
