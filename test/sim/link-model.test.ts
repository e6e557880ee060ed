import { strict as assert } from 'assert';
import { World } from '../../sim/world';

/** Mean and standard deviation. */
function stats(xs: number[]): { mean: number; sd: number; min: number; max: number } {
  var m = 0;
  for (var i = 0; i < xs.length; i++) m += xs[i];
  m /= xs.length;
  var v = 0;
  for (var j = 0; j < xs.length; j++) v += (xs[j] - m) * (xs[j] - m);
  return { mean: m, sd: Math.sqrt(v / (xs.length - 1)), min: Math.min.apply(null, xs), max: Math.max.apply(null, xs) };
}

describe('sim link model', function () {
  // The model: each packet is lost with probability `loss`; otherwise its one-way delay is uniform in
  // [latency - jitter, latency + jitter] (mean = latency, sd = jitter / sqrt(3)). The sink host has no
  // extra internet delay, so what is measured is the link alone.
  var L = 30;
  var J = 10;
  var P = 0.1;
  var N = 10000;

  function setup(seed: number) {
    var w = new World({ seed: seed });
    var eth = w.ethernetNic('eth0', { latencyMs: L, jitterMs: J, loss: P, bandwidthBps: 0 });
    eth.setAddress('192.168.1.100');
    var sink = w.addHost('sink', '203.0.113.50', 0);
    return { w: w, eth: eth, sink: sink };
  }

  it('loses and delays 10 000 upstream datagrams as the model says', function () {
    var s = setup(42);
    var delays: number[] = [];
    s.sink.udpOpen(9000, function (src, sport, data) {
      delays.push(s.w.now() - data.readDoubleBE(0));
    });
    var port = s.eth.udpOpen(0, function () {});
    for (var i = 0; i < N; i++) {
      var b = Buffer.alloc(8);
      b.writeDoubleBE(s.w.now(), 0);
      port.send('203.0.113.50', 9000, b);
      s.w.advance(10);
    }
    s.w.advance(1000);
    var lost = 1 - delays.length / N;
    // Binomial sd of the loss fraction is sqrt(p(1-p)/N) = 0.003; allow 5 sd.
    assert.ok(Math.abs(lost - P) < 0.015, 'loss ' + lost);
    var st = stats(delays);
    // sd of the mean over ~9000 samples is ~0.06 ms; allow 0.5 ms.
    assert.ok(Math.abs(st.mean - L) < 0.5, 'mean delay ' + st.mean);
    assert.ok(Math.abs(st.sd - J / Math.sqrt(3)) < 0.3, 'sd ' + st.sd);
    assert.ok(st.min >= L - J && st.max <= L + J, 'range ' + st.min + '..' + st.max);
    var ls = s.eth.link.stats();
    assert.equal(ls.txPackets, N);
    assert.equal(ls.txLost, N - delays.length);
  });

  it('loses and delays 10 000 downstream datagrams as the model says', function () {
    var s = setup(43);
    var delays: number[] = [];
    s.eth.udpOpen(7000, function (src, sport, data) {
      delays.push(s.w.now() - data.readDoubleBE(0));
    });
    var port = s.sink.udpOpen(0, function () {});
    for (var i = 0; i < N; i++) {
      var b = Buffer.alloc(8);
      b.writeDoubleBE(s.w.now(), 0);
      port.send('192.168.1.100', 7000, b);
      s.w.advance(10);
    }
    s.w.advance(1000);
    var lost = 1 - delays.length / N;
    assert.ok(Math.abs(lost - P) < 0.015, 'loss ' + lost);
    var st = stats(delays);
    assert.ok(Math.abs(st.mean - L) < 0.5, 'mean delay ' + st.mean);
    assert.equal(s.eth.link.stats().rxLost, N - delays.length);
  });

  it('serialises back-to-back datagrams at the link bandwidth', function () {
    var w = new World({ seed: 1 });
    var eth = w.ethernetNic('eth0', { latencyMs: 5, jitterMs: 0, loss: 0, bandwidthBps: 1e6 });
    eth.setAddress('192.168.1.100');
    var sink = w.addHost('sink', '203.0.113.50', 0);
    var at: number[] = [];
    sink.udpOpen(9000, function () {
      at.push(w.now());
    });
    var port = eth.udpOpen(0, function () {});
    // 972 bytes + 28 header = 1000 bytes = 8 ms at 1 Mbit/s.
    for (var i = 0; i < 10; i++) port.send('203.0.113.50', 9000, Buffer.alloc(972));
    w.advance(1000);
    assert.equal(at.length, 10);
    for (var k = 0; k < 10; k++) assert.ok(Math.abs(at[k] - (5 + 8 * (k + 1))) < 1e-9, 'arrival ' + k + ' at ' + at[k]);
  });

  it('counts UDP bytes with a 28-byte header per datagram', function () {
    var w = new World({ seed: 1 });
    var eth = w.ethernetNic('eth0', { jitterMs: 0 });
    eth.setAddress('192.168.1.100');
    var port = eth.udpOpen(0, function () {});
    for (var i = 0; i < 10; i++) port.send(w.cloud.ip, 7, Buffer.alloc(100));
    w.advance(1000);
    var st = eth.link.stats();
    assert.equal(st.txBytes, 10 * 128);
    assert.equal(st.rxBytes, 10 * 128, 'the echoes come back');
  });

  it('counts TCP bytes with a 40-byte header per segment, one segment per write up to the MSS', function () {
    var w = new World({ seed: 1 });
    var eth = w.ethernetNic('eth0', { jitterMs: 0, bandwidthBps: 0 });
    eth.setAddress('192.168.1.100');
    var got = 0;
    w.cloud.host.listen(9000, function () {
      return { onConnect: function () {}, onData: function (d) { got += d.length; }, onEnd: function () {}, onClose: function () {} };
    });
    var c = eth.tcpConnect(w.cloud.ip, 9000, 0, { onConnect: function () {}, onData: function () {}, onEnd: function () {}, onClose: function () {} });
    w.advance(1000);
    c.write(Buffer.alloc(3000));
    w.advance(1000);
    assert.equal(got, 3000);
    var st = eth.link.stats();
    // Up: SYN, the handshake's ACK, then 1460 + 1460 + 80 in three segments.
    assert.equal(st.txPackets, 5);
    assert.equal(st.txBytes, 40 + 40 + 3000 + 3 * 40);
    // Down: SYN-ACK, an ACK for the first two segments at once (every second segment), a delayed ACK for the third.
    assert.equal(st.rxPackets, 3);
    assert.equal(st.rxBytes, 3 * 40);
  });

  it('sends nothing and counts nothing while the carrier is down', function () {
    var w = new World({ seed: 1 });
    var eth = w.ethernetNic('eth0');
    eth.setAddress('192.168.1.100');
    var echoes = 0;
    var port = eth.udpOpen(0, function () {
      echoes++;
    });
    w.link('eth0').set({ up: false });
    assert.equal(eth.linkUp(), false);
    port.send(w.cloud.ip, 7, Buffer.alloc(10));
    w.advance(1000);
    assert.equal(echoes, 0);
    assert.equal(eth.link.stats().txBytes, 0);
    w.link('eth0').set({ up: true });
    port.send(w.cloud.ip, 7, Buffer.alloc(10));
    w.advance(1000);
    assert.equal(echoes, 1);
  });

  it('drops everything beyond the access network during a silent outage, but not the LAN', function () {
    var w = new World({ seed: 1 });
    var eth = w.ethernetNic('eth0');
    eth.setAddress('192.168.1.100');
    var echoes = 0;
    var port = eth.udpOpen(0, function () {
      echoes++;
    });
    w.link('eth0').set({ silent: true });
    assert.equal(eth.linkUp(), true, 'carrier stays up');
    port.send(w.cloud.ip, 7, Buffer.alloc(10));
    w.advance(1000);
    assert.equal(echoes, 0);
    assert.equal(eth.link.stats().txBytes, 38, 'the datagram still went out on the link');
    assert.equal(w.cloud.echo.echoed, 0);
    w.link('eth0').set({ silent: false });
    port.send(w.cloud.ip, 7, Buffer.alloc(10));
    w.advance(1000);
    assert.equal(echoes, 1);
  });

  it('writes every parameter change to the event log', function () {
    var w = new World({ seed: 1 });
    w.ethernetNic('eth0');
    w.advance(500);
    w.link('eth0').set({ latencyMs: 50, loss: 0.2 });
    w.link('eth0').set({ silent: true });
    var lines = w.events('link');
    assert.deepEqual(lines, ['     500.000 link eth0 latencyMs=50 loss=0.2', '     500.000 link eth0 outage-start']);
  });

  it('rejects nonsense parameters', function () {
    var w = new World({ seed: 1 });
    var l = w.ethernetNic('eth0').link;
    assert.throws(function () {
      l.set({ loss: 2 });
    }, TypeError);
    assert.throws(function () {
      l.set({ latencyMs: -1 });
    }, TypeError);
  });
});
