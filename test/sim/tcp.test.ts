import { strict as assert } from 'assert';
import { World, Rng } from '../../sim/world';
import { SimTcpConn, SimTcpHandlers, TcpCloseReason } from '../../sim/nic';

interface Side {
  connectedAt: number;
  data: Buffer[];
  endedAt: number;
  closed: TcpCloseReason | null;
  closedAt: number;
}

function side(w: World, extra?: Partial<SimTcpHandlers>): { s: Side; h: SimTcpHandlers } {
  var s: Side = { connectedAt: -1, data: [], endedAt: -1, closed: null, closedAt: -1 };
  var h: SimTcpHandlers = {
    onConnect: function () {
      s.connectedAt = w.now();
    },
    onData: function (d) {
      s.data.push(Buffer.from(d));
    },
    onEnd: function () {
      s.endedAt = w.now();
    },
    onClose: function (r) {
      assert.equal(s.closed, null, 'onClose fired twice');
      s.closed = r;
      s.closedAt = w.now();
    },
  };
  Object.assign(h, extra || {});
  return { s: s, h: h };
}

/** One-way link 20 ms + internet 10 ms, no jitter, unlimited bandwidth: RTT 60 ms. */
function setup(link?: any) {
  var w = new World({ seed: 3, cloud: { latencyMs: 10 } });
  var eth = w.ethernetNic('eth0', Object.assign({ latencyMs: 20, jitterMs: 0, bandwidthBps: 0 }, link || {}));
  eth.setAddress('192.168.1.100');
  var server: { s: Side; h: SimTcpHandlers; conn: SimTcpConn | null } = { s: null as any, h: null as any, conn: null };
  w.cloud.host.listen(9000, function (conn) {
    var x = side(w);
    server.s = x.s;
    server.h = x.h;
    server.conn = conn;
    return x.h;
  });
  return { w: w, eth: eth, server: server };
}

describe('sim TCP', function () {
  it('connects after one round trip', function () {
    var t = setup();
    var c = side(t.w);
    t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1000);
    assert.equal(c.s.connectedAt, 60);
    assert.ok(t.server.conn, 'the listener accepted');
    assert.equal(t.server.s.connectedAt, 90, 'server side: after the handshake ACK');
  });

  it('delivers both directions complete and in order over a lossy, jittery link', function () {
    var t = setup({ loss: 0.2, jitterMs: 15 });
    var rng = new Rng(9);
    var c = side(t.w);
    var conn = t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(5000);
    assert.ok(c.s.connectedAt > 0);
    var up: Buffer[] = [];
    var down: Buffer[] = [];
    for (var i = 0; i < 100; i++) {
      var a = Buffer.alloc(1 + rng.int(3000));
      for (var k = 0; k < a.length; k++) a[k] = rng.int(256);
      up.push(a);
      conn.write(a);
      var b = Buffer.alloc(1 + rng.int(500));
      for (var m = 0; m < b.length; m++) b[m] = rng.int(256);
      down.push(b);
      t.server.conn!.write(b);
      t.w.advance(rng.int(50));
    }
    t.w.advance(120000);
    assert.ok(Buffer.concat(t.server.s.data).equals(Buffer.concat(up)), 'upstream bytes intact and in order');
    assert.ok(Buffer.concat(c.s.data).equals(Buffer.concat(down)), 'downstream bytes intact and in order');
    assert.ok(t.eth.link.stats().txLost > 0, 'the link did lose segments');
    assert.equal(c.s.closed, null);
  });

  it('half-closes: FIN gives onEnd, the other side can still send, both close once both FINs are acknowledged', function () {
    var t = setup();
    var c = side(t.w);
    var conn = t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1000);
    conn.write(Buffer.from('bye'));
    conn.end();
    t.w.advance(1000);
    assert.equal(Buffer.concat(t.server.s.data).toString(), 'bye');
    assert.ok(t.server.s.endedAt > 0, 'server saw the FIN');
    assert.equal(t.server.s.closed, null, 'half-open: not closed yet');
    t.server.conn!.write(Buffer.from('late reply'));
    t.server.conn!.end();
    t.w.advance(1000);
    assert.equal(Buffer.concat(c.s.data).toString(), 'late reply');
    assert.ok(c.s.endedAt > 0);
    assert.equal(c.s.closed, 'closed');
    assert.equal(t.server.s.closed, 'closed');
  });

  it('destroy() sends an RST: the peer closes with reset, the local side is not called back', function () {
    var t = setup();
    var c = side(t.w);
    var conn = t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1000);
    conn.destroy();
    t.w.advance(1000);
    assert.equal(t.server.s.closed, 'reset');
    assert.equal(t.server.s.closedAt, 1030);
    assert.equal(c.s.closed, null);
  });

  it('is refused after one round trip when nobody listens', function () {
    var t = setup();
    var c = side(t.w);
    t.eth.tcpConnect(t.w.cloud.ip, 9999, 0, c.h);
    t.w.advance(1000);
    assert.equal(c.s.closed, 'refused');
    assert.equal(c.s.closedAt, 60);
    assert.equal(c.s.connectedAt, -1);
  });

  it('times out a SYN into a dead link at connectTimeoutMs, retransmitting at 1, 3, 7, 15 s', function () {
    var t = setup({ silent: true });
    var c = side(t.w);
    t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(60000);
    assert.equal(c.s.closed, 'timeout');
    assert.equal(c.s.closedAt, t.w.tcp.connectTimeoutMs);
    assert.equal(t.eth.link.stats().txPackets, 5, 'SYN at 0, 1, 3, 7, 15 s');
  });

  it('fails at once with unreachable when the NIC has no address', function () {
    var t = setup();
    t.eth.setAddress(null);
    var c = side(t.w);
    t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1);
    assert.equal(c.s.closed, 'unreachable');
  });

  it('stalls during a short outage and delivers the data by retransmission afterwards', function () {
    var t = setup();
    var c = side(t.w);
    var conn = t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1000);
    t.eth.link.set({ silent: true });
    var before = t.eth.link.stats().txPackets;
    conn.write(Buffer.from('during the outage'));
    t.w.advance(8000);
    assert.equal(t.server.s.data.length, 0, 'nothing passes');
    assert.ok(t.eth.link.stats().txPackets - before > 2, 'retransmitted while it lasted');
    t.eth.link.set({ silent: false });
    t.w.advance(20000);
    assert.equal(Buffer.concat(t.server.s.data).toString(), 'during the outage');
    assert.equal(c.s.closed, null);
  });

  it('aborts with timeout when unacknowledged data waits longer than userTimeoutMs', function () {
    var t = setup();
    var c = side(t.w);
    var conn = t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1000);
    t.eth.link.set({ up: false });
    conn.write(Buffer.from('lost cause'));
    t.w.advance(60000);
    assert.equal(c.s.closed, 'timeout');
    assert.equal(c.s.closedAt, 1000 + t.w.tcp.userTimeoutMs);
    assert.equal(t.server.s.closed, null, 'the server never heard of it (half-open)');
  });

  it('answers a segment for a forgotten connection with an RST', function () {
    var t = setup();
    var c = side(t.w);
    var conn = t.eth.tcpConnect(t.w.cloud.ip, 9000, 0, c.h);
    t.w.advance(1000);
    t.eth.link.set({ up: false });
    conn.destroy(); // the RST is not sent: no carrier
    t.eth.link.set({ up: true });
    t.server.conn!.write(Buffer.from('anyone?'));
    t.w.advance(1000);
    assert.equal(t.server.s.closed, 'reset');
  });
});
