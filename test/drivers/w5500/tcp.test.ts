import { strict as assert } from 'assert';
import { rig, ready, str, Rig } from './harness';
import {
  pattern, PORT_ECHO, PORT_SINK, PORT_SOURCE, PORT_REFUSE, PORT_BLACKHOLE, PORT_ECHO_CLOSE, PORT_RESET,
} from '../../sim/w5500/loopback-nic';
import { E_OK, E_REFUSED, E_TIMEOUT, E_RESET, E_NETDOWN, E_DNS, IF_READY } from '../../../src/net/types';
import { TcpSocket, TcpOptions } from '../../../src/net/interface';

interface Client {
  s: TcpSocket;
  rx: string[];
  n: () => number;
  data: () => string;
  connected: boolean;
  closed: number;
  closedAt: number;
}

function client(r: Rig, o: Partial<TcpOptions>): Client {
  var c: Client = {
    s: null as any, rx: [], connected: false, closed: -1, closedAt: -1,
    n: () => c.rx.reduce((a, b) => a + b.length, 0),
    data: () => c.rx.join(''),
  };
  c.s = r.eth.tcp(Object.assign({
    host: '192.168.1.1', port: PORT_ECHO,
    onConnect: () => (c.connected = true),
    onData: (d: string) => c.rx.push(d),
    onClose: (e: number) => {
      c.closed = e;
      c.closedAt = r.clock.now();
    },
  }, o))!;
  assert.ok(c.s, 'socket');
  return c;
}

/** Writes `data` through the queue, continuing on onWritable. */
function pump(r: Rig, c: Client, data: string, chunk: number) {
  var off = 0;
  var go = () => {
    while (off < data.length) {
      var p = data.substr(off, chunk);
      if (!c.s.write(p)) return;
      off += p.length;
    }
  };
  (c.s as any)._o.onWritable = go;
  go();
  return () => off;
}

describe('W5500 TCP client', function () {
  it('echoes a message round trip', function () {
    var r = rig();
    ready(r);
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    assert.equal(c.s.write('hello, wiznet'), true);
    r.clock.runUntil(() => c.n() >= 13, 5000);
    assert.equal(c.data(), 'hello, wiznet');
  });

  it('connects with CLOSE, Sn_MR=TCP, PORT, OPEN, DIPR+DPORT in one frame, CONNECT', function () {
    var r = rig({}, { trace: true });
    ready(r);
    r.model.resetCounters();
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    var w = r.model.frames.filter((f) => f.write && f.bsb === 1).map((f) => [f.addr].concat(f.data));
    var lp = r.nic.conns[0].lport;
    assert.deepEqual(w.slice(0, 6), [
      [0x01, 0x10], [0x02, 0xff], [0x00, 0x01], [0x04, lp >> 8, lp & 0xff], [0x01, 0x01],
      [0x0c, 192, 168, 1, 1, 0, 7],
    ]);
    assert.deepEqual(w[6], [0x01, 0x04]);
    assert.ok(lp >= 49152);
  });

  it('sends a write as TX burst at TX_WR, TX_WR += n, SEND, then waits for SEND_OK', function () {
    var r = rig({}, { trace: true });
    ready(r);
    var c = client(r, { port: PORT_SINK });
    r.clock.runUntil(() => c.connected, 5000);
    r.model.resetCounters();
    c.s.write('abc');
    r.clock.advance(30);
    var f = r.model.frames;
    var tx = f.findIndex((x) => x.bsb === 2 && x.write);
    assert.deepEqual(f[tx].data, [0x61, 0x62, 0x63]);
    var wr = r.model.s[0].txWr;
    assert.deepEqual([f[tx + 1].bsb, f[tx + 1].addr, f[tx + 1].data], [1, 0x24, [wr >> 8, wr & 0xff]]);
    assert.deepEqual([f[tx + 2].addr, f[tx + 2].data], [0x01, [0x20]]);
    assert.deepEqual([f[tx + 3].addr, f[tx + 3].write, f[tx + 3].miso], [0x01, false, [0]]);
    var clr = f.find((x) => x.write && x.bsb === 1 && x.addr === 0x02);
    assert.deepEqual(clr!.data, [0x10], 'SEND_OK cleared by writing 1');
    assert.equal(r.nic.conns[0].data().toString('latin1'), 'abc');
  });

  it('moves more than 64 KB each way so both 16-bit pointers wrap, byte-exact', function () {
    this.timeout(10000);
    var r = rig();
    ready(r);
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    var N = 70000, data = str(pattern(N, 3));
    pump(r, c, data, 1500);
    r.clock.runUntil(() => c.n() >= N, 60000);
    assert.equal(c.n(), N);
    assert.ok(c.data() === data, 'echo differs');
    var ms = r.model.s[0];
    assert.ok(ms.txWr < N - 65536 + 10 && ms.rxRd < N - 65536 + 10, 'pointers wrapped');
    assert.deepEqual(r.model.violations, []);
  });

  it('handles pointers that start near 0xFFFF and wrap within a transfer', function () {
    var r = rig({}, { ptrStart: 0xfff0 });
    ready(r);
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    var data = str(pattern(6000, 9));
    pump(r, c, data, 2000);
    r.clock.runUntil(() => c.n() >= 6000, 10000);
    assert.ok(c.data() === data);
    assert.ok(r.model.s[0].rxRd < 0x2000, 'wrapped');
  });

  it('keeps one SEND outstanding: no SEND before SEND_OK, none beyond TX_FSR', function () {
    var r = rig({ txQueueMax: 20000 }, { bytesPerMs: 50 });
    ready(r);
    var c = client(r, { port: PORT_SINK });
    r.clock.runUntil(() => c.connected, 5000);
    var data = str(pattern(20000));
    assert.equal(c.s.write(data), true);
    r.clock.runUntil(() => r.nic.conns[0].rxBytes >= 20000, 20000);
    assert.equal(r.nic.conns[0].data().toString('latin1'), data);
    assert.deepEqual(r.model.violations, []);
  });

  it('reads received data correctly when Sn_RX_RSR changes between its two bytes', function () {
    var r = rig({}, { tearRsr: true }, (n) => (n.sourceBytes = 30000));
    ready(r);
    var c = client(r, { port: PORT_SOURCE });
    r.clock.runUntil(() => c.closed >= 0, 20000);
    assert.equal(c.n(), 30000);
    assert.ok(c.data() === str(pattern(30000)));
  });

  it('reads Sn_RX_RSR twice until two reads agree', function () {
    var r = rig({}, { trace: true }, (n) => (n.sourceBytes = 500));
    ready(r);
    var c = client(r, { port: PORT_SOURCE });
    r.clock.runUntil(() => c.n() >= 500, 5000);
    var f = r.model.frames;
    var i = f.findIndex((x) => x.bsb === 3);
    assert.deepEqual([f[i - 1].addr, f[i - 2].addr], [0x26, 0x26]);
    assert.deepEqual(f[i - 1].miso, f[i - 2].miso);
  });

  it('write returns false when the queue is full, then onWritable, and nothing is lost', function () {
    var r = rig({ txQueueMax: 3000 });
    ready(r);
    var c = client(r, { port: PORT_SINK });
    var writable = 0;
    (c.s as any)._o.onWritable = () => writable++;
    r.clock.runUntil(() => c.connected, 5000);
    assert.equal(c.s.write(str(pattern(2000))), true);
    assert.equal(c.s.write(str(pattern(2000))), false);
    r.clock.advance(50);
    assert.equal(writable, 1);
    assert.equal(c.s.write(str(pattern(2000, 1))), true);
    r.clock.advance(100);
    assert.equal(r.nic.conns[0].rxBytes, 4000);
  });

  it('write returns false before the connection is up', function () {
    var r = rig();
    ready(r);
    var c = client(r, {});
    assert.equal(c.s.write('x'), false);
  });

  it('closes gracefully: DISCON, FIN both ways, CLOSED, onClose(E_OK)', function () {
    var r = rig();
    ready(r);
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    c.s.write('bye');
    c.s.close();
    r.clock.runUntil(() => c.closed >= 0, 5000);
    assert.equal(c.closed, E_OK);
    var pc = r.nic.conns[0];
    assert.equal(pc.ended, true, 'our FIN reached the peer');
    assert.equal(pc.destroyed, false, 'no RST');
    assert.equal(pc.data().toString('latin1'), 'bye', 'queued data went out first');
    assert.equal(r.model.s[0].sr, 0);
  });

  it('forces CLOSE after closeTimeoutMs when the peer never finishes', function () {
    var r = rig({ closeTimeoutMs: 800 }, {}, (n) => (n.finOnEnd = false));
    ready(r);
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    var t0 = r.clock.now();
    c.s.close();
    r.clock.runUntil(() => c.closed >= 0, 5000);
    assert.equal(c.closed, E_OK);
    assert.ok(c.closedAt - t0 >= 800 && c.closedAt - t0 < 900, 'after ' + (c.closedAt - t0));
    assert.equal(r.model.s[0].sr, 0);
  });

  it('peer closing mid-transfer: every byte is delivered, then onClose(E_OK) after our DISCON', function () {
    var r = rig({}, {}, (n) => (n.sourceBytes = 50000));
    ready(r);
    var c = client(r, { port: PORT_SOURCE });
    r.clock.runUntil(() => c.closed >= 0, 20000);
    assert.equal(c.closed, E_OK);
    assert.equal(c.n(), 50000);
    assert.ok(c.data() === str(pattern(50000)));
    assert.equal(r.nic.conns[0].ended, true);
  });

  it('peer closing while we still write: the echo it sent arrives, then onClose(E_OK)', function () {
    var r = rig({}, {}, (n) => (n.closeAfter = 1000));
    ready(r);
    var c = client(r, { port: PORT_ECHO_CLOSE });
    r.clock.runUntil(() => c.connected, 5000);
    pump(r, c, str(pattern(5000)), 500);
    r.clock.runUntil(() => c.closed >= 0, 10000);
    assert.equal(c.closed, E_OK);
    assert.equal(c.data(), str(pattern(1000)));
  });

  it('reports a refused connection as E_REFUSED', function () {
    var r = rig();
    ready(r);
    var c = client(r, { port: PORT_REFUSE });
    r.clock.runUntil(() => c.closed >= 0, 5000);
    assert.equal(c.closed, E_REFUSED);
    assert.equal(c.connected, false);
  });

  it('reports a peer reset as E_RESET', function () {
    var r = rig();
    ready(r);
    var c = client(r, { port: PORT_RESET });
    r.clock.runUntil(() => c.closed >= 0, 5000);
    assert.equal(c.connected, true);
    assert.equal(c.closed, E_RESET);
  });

  it('times out a connect to a silent host after timeoutMs with E_TIMEOUT', function () {
    var r = rig();
    ready(r);
    var t0 = r.clock.now();
    var c = client(r, { port: PORT_BLACKHOLE, timeoutMs: 3000 });
    r.clock.runUntil(() => c.closed >= 0, 60000);
    assert.equal(c.closed, E_TIMEOUT);
    assert.ok(c.closedAt - t0 >= 3000 && c.closedAt - t0 < 3100, 'after ' + (c.closedAt - t0));
    assert.equal(r.model.s[0].sr, 0);
  });

  it('times out at the chip\'s RTR/RCR time when that comes first', function () {
    var r = rig({ retryMs: 100, retryCount: 2 });
    ready(r);
    var t0 = r.clock.now();
    var c = client(r, { port: PORT_BLACKHOLE, timeoutMs: 20000 });
    r.clock.runUntil(() => c.closed >= 0, 60000);
    assert.equal(c.closed, E_TIMEOUT);
    assert.ok(c.closedAt - t0 >= 700 && c.closedAt - t0 < 800, 'after ' + (c.closedAt - t0));
  });

  it('resolves a host name through DNS and connects to its address', function () {
    var r = rig();
    ready(r);
    var c = client(r, { host: 'cloud.example', port: PORT_ECHO });
    r.clock.runUntil(() => c.connected, 5000);
    assert.equal(r.nic.conns[0].ip, '10.0.0.5');
  });

  it('fails with E_DNS for an unknown host name', function () {
    var r = rig();
    ready(r);
    var c = client(r, { host: 'nowhere.example' });
    r.clock.runUntil(() => c.closed >= 0, 20000);
    assert.equal(c.closed, E_DNS);
  });

  it('close() before the connection is up gives onClose(E_OK) asynchronously', function () {
    var r = rig();
    ready(r);
    var c = client(r, { port: PORT_BLACKHOLE });
    r.clock.advance(20);
    c.s.close();
    assert.equal(c.closed, -1);
    r.clock.advance(1);
    assert.equal(c.closed, E_OK);
    c.s.close();
  });

  it('cable pulled during a send: onClose(E_NETDOWN) within a link poll, no violation; works again after replug', function () {
    var r = rig({ txQueueMax: 100000 }, { bytesPerMs: 100 });
    ready(r);
    var c = client(r, { port: PORT_SINK });
    r.clock.runUntil(() => c.connected, 5000);
    c.s.write(str(pattern(60000)));
    r.clock.runUntil(() => r.nic.conns[0].rxBytes > 5000, 10000);
    var t0 = r.clock.now();
    r.nic.setLink(false);
    r.clock.runUntil(() => c.closed >= 0, 5000);
    assert.equal(c.closed, E_NETDOWN);
    assert.ok(c.closedAt - t0 <= 260);
    assert.ok(r.nic.conns[0].rxBytes < 60000);
    r.nic.setLink(true);
    r.clock.runUntil(() => r.eth.state() === IF_READY, 10000);
    var d = client(r, {});
    r.clock.runUntil(() => d.connected, 5000);
    d.s.write('again');
    r.clock.runUntil(() => d.n() >= 5, 5000);
    assert.equal(d.data(), 'again');
    assert.deepEqual(r.model.violations, []);
  });

  it('returns null when all 8 hardware sockets are taken, and a freed one is reused', function () {
    var r = rig();
    ready(r);
    var cs: Client[] = [];
    for (var i = 0; i < 8; i++) cs.push(client(r, {}));
    assert.equal(r.eth.tcp({ host: '192.168.1.1', port: 7 }), null);
    cs[3].s.close();
    r.clock.advance(10);
    assert.ok(r.eth.tcp({ host: '192.168.1.1', port: 7 }));
  });

  it('returns null when not ready and throws TypeError on a bad port', function () {
    var r = rig();
    assert.equal(r.eth.tcp({ host: '1.2.3.4', port: 80 }), null);
    assert.throws(() => r.eth.tcp({ host: '1.2.3.4', port: 0 }), TypeError);
    assert.throws(() => r.eth.tcp({ host: '', port: 80 }), TypeError);
  });

  it('counts payload bytes in counters()', function () {
    var r = rig();
    ready(r);
    var c = client(r, {});
    r.clock.runUntil(() => c.connected, 5000);
    var tx0 = r.eth.counters().tx, rx0 = r.eth.counters().rx;
    c.s.write('0123456789');
    r.clock.runUntil(() => c.n() >= 10, 5000);
    assert.equal(r.eth.counters().tx - tx0, 10);
    assert.equal(r.eth.counters().rx - rx0, 10);
  });
});
