/**
 * Fuzzing the MQTT byte stream: the decoder alone (random bytes, valid packets from the reference codec,
 * truncated and mutated ones, in random chunks) and the whole cloud session (client + session + outbox)
 * receiving such a stream from a broker while the sketch publishes.
 *
 * Properties: nothing throws; the decoder never holds more than maxPacket bytes; an error is sticky until
 * reset; the session's send backlog, QoS 1 window and outbox stay within their maxima; a malformed
 * stream ends the session through its one error path (an event), never by an exception.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as mp from 'mqtt-packet';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { IfBase } from '../../src/net/if-base';
import { NetInterface, TcpOptions, TcpSocket, UdpSocket } from '../../src/net/interface';
import { IF_READY, E_OK } from '../../src/net/types';
import { MqttDecoder } from '../../src/cloud/mqtt-codec';
import { CloudSession } from '../../src/cloud/cloud-session';
import { params, binary, bin, cut, count } from './fuzz-config';

var MAX_PACKET = 512;

var topic = fc.oneof(
  fc.constantFrom('d/dev1/f/led', 'd/dev1/v/temp/get', 'd/other/e/alarm', 'd/dev1/e/x', 'd/', 'd//e/', 'x', ''),
  fc.string({ maxLength: 40 }),
);
var pid = fc.integer({ min: 0, max: 65535 });
/** Valid packets as the reference codec (mqtt-packet) writes them. */
var refPacket: fc.Arbitrary<string> = fc.oneof(
  fc.record({ topic: topic, payload: binary(80), qos: fc.constantFrom(0, 1, 2), retain: fc.boolean(), dup: fc.boolean(), messageId: fc.integer({ min: 1, max: 65535 }) })
    .map(function (p) { return { cmd: 'publish', topic: p.topic, payload: Buffer.from(p.payload, 'latin1'), qos: p.qos, retain: p.retain, dup: p.dup, messageId: p.messageId }; }),
  pid.map(function (id) { return { cmd: 'puback', messageId: id || 1 }; }),
  pid.map(function (id) { return { cmd: 'pubrec', messageId: id || 1 }; }),
  pid.map(function (id) { return { cmd: 'pubcomp', messageId: id || 1 }; }),
  pid.map(function (id) { return { cmd: 'unsuback', messageId: id || 1 }; }),
  fc.tuple(pid, fc.array(fc.constantFrom(0, 1, 2, 128), { minLength: 1, maxLength: 4 })).map(function (t) { return { cmd: 'suback', messageId: t[0] || 1, granted: t[1] }; }),
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })).map(function (t) { return { cmd: 'connack', sessionPresent: t[0], returnCode: t[1] }; }),
  fc.constant({ cmd: 'pingresp' }),
  fc.constant({ cmd: 'pingreq' }),
).map(function (p: any) { return mp.generate(p).toString('latin1'); });

/** A valid packet, truncated, with bytes flipped, or random bytes. */
var chunkSrc = fc.oneof(
  { arbitrary: refPacket, weight: 6 },
  { arbitrary: fc.tuple(refPacket, fc.nat()).map(function (t) { return t[0].substr(0, t[1] % (t[0].length + 1)); }), weight: 1 },
  { arbitrary: fc.tuple(refPacket, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }))
    .map(function (t) {
      var a = t[0].split('');
      for (var i = 0; i < t[1].length; i++) a[t[1][i][0] % a.length] = String.fromCharCode(t[1][i][1]);
      return a.join('');
    }), weight: 2 },
  { arbitrary: binary(64), weight: 1 },
  // A header announcing a huge remaining length (must be refused as soon as it is read).
  { arbitrary: fc.constantFrom('\x30\xff\xff\xff\x7f', '\x30\x80\x80\x80\x80\x01', '\x90\xff\x7f'), weight: 1 },
);
var stream = fc.tuple(fc.array(chunkSrc, { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 8 }))
  .map(function (t) { return cut(t[0].join(''), t[1]); });

/** A NetInterface whose one TCP socket is played by the test (synchronous, no broker). */
class ScriptedIface extends IfBase implements NetInterface {
  sock: { o: TcpOptions; out: string; open: boolean } | null = null;
  clock: VirtualClock;
  room = 4096;
  constructor(clock: VirtualClock) {
    super('eth0', 'ethernet');
    this.clock = clock;
    this._st = IF_READY;
  }
  configured() { return true; }
  on() {}
  off() {}
  connect() {}
  disconnect() {}
  tcp(o: TcpOptions): TcpSocket | null {
    var self = this;
    var s = { o: o, out: '', open: true };
    this.sock = s;
    this.clock.setTimeout(function () { if (s.open && o.onConnect) o.onConnect(); }, 1);
    return {
      write: function (d: string) {
        if (!s.open || s.out.length + d.length > self.room) return false;
        s.out += d;
        return true;
      },
      close: function () {
        if (!s.open) return;
        s.open = false;
        self.clock.setTimeout(function () { if (o.onClose) o.onClose(E_OK); }, 0);
      },
    };
  }
  udp(): UdpSocket | null { return null; }
  resolve(host: string, cb: (err: number, ip: string) => void) {
    this.clock.setTimeout(function () { cb(E_OK, '203.0.113.10'); }, 1);
  }
  /** The broker side: delivers bytes to the device. */
  feed(d: string) {
    var s = this.sock;
    if (s && s.open && s.o.onData) s.o.onData(d);
  }
  /** The network takes what was written. */
  drain() {
    var s = this.sock;
    if (!s || !s.out) return;
    s.out = '';
    if (s.o.onWritable) s.o.onWritable();
  }
}

describe('fuzz: MQTT byte stream', function () {
  it('the decoder never throws and never holds more than maxPacket bytes', function () {
    fc.assert(fc.property(stream, function (chunks) {
      var got = 0;
      var d = new MqttDecoder(MAX_PACKET, function () { got++; });
      var err = 0;
      for (var i = 0; i < chunks.length; i++) {
        count('mqtt');
        var e = d.push(chunks[i]);
        assert.ok(d.held() <= MAX_PACKET, 'held ' + d.held());
        if (err) assert.equal(e, err, 'an error must be sticky until reset');
        err = e;
      }
      d.reset();
      assert.equal(d.held(), 0);
      assert.equal(d.push('\xd0\x00'), 0, 'a reset decoder takes a PINGRESP');
      void got;
    }), params(1000));
  });

  it('valid packets from the reference codec decode to the same number of packets in any chunking', function () {
    fc.assert(fc.property(fc.array(refPacket, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), function (pk, cuts) {
      var all = pk.join('');
      var got: number[] = [];
      var d = new MqttDecoder(1 << 20, function (p) { got.push(p.type); });
      var chunks = cut(all, cuts);
      var err = 0;
      for (var i = 0; i < chunks.length && !err; i++) err = d.push(chunks[i]);
      var want = pk.map(function (s) { return s.charCodeAt(0) >> 4; });
      // mqtt-packet writes QoS 2 PUBLISH and CONNACK codes above 5 that we accept as bytes; every one decodes.
      assert.equal(err, 0);
      assert.deepEqual(got, want);
    }), params(300));
  });

  it('the cloud session survives any broker stream with bounded buffers', function () {
    var action = fc.oneof(
      { arbitrary: stream.map(function (s) { return { feed: s }; }), weight: 4 },
      { arbitrary: fc.tuple(fc.constantFrom(0, 1), binary(120)).map(function (t) { return { pub: t }; }), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 70000 }).map(function (ms) { return { wait: ms }; }), weight: 2 },
      { arbitrary: fc.constant({ drain: true }), weight: 2 },
      { arbitrary: fc.constant({ reconnect: true }), weight: 1 },
    );
    fc.assert(fc.property(fc.array(action, { minLength: 1, maxLength: 14 }), function (actions: any[]) {
      var clock = new VirtualClock(0);
      var iface = new ScriptedIface(clock);
      var s = new CloudSession({ clock: clock, host: 'cloud.sim', deviceId: 'dev1', username: 'dev1', password: 'pw',
        keepAliveS: 30, maxPacket: MAX_PACKET, outbox: { maxCount: 8, maxBytes: 1024 } });
      var lost = 0;
      s.events.on('lost', function () { lost++; });
      s.function('led', function (a: string) { return a.length; });
      s.variable('temp', function () { return 21; });
      s.subscribe('alarm', function () {});
      var connect = function () {
        s.connect(iface, function () {});
        clock.advance(2);
        iface.feed('\x20\x02\x00\x00');
      };
      connect();
      for (var i = 0; i < actions.length; i++) {
        var a = actions[i];
        if (a.feed) for (var j = 0; j < a.feed.length; j++) {
          count('mqtt');
          iface.feed(a.feed[j]);
        }
        else if (a.pub) s.publish('ev', a.pub[1], { qos: a.pub[0] });
        else if (a.wait !== undefined) clock.advance(a.wait);
        else if (a.drain) iface.drain();
        else if (a.reconnect) connect();
        var st = s.stats();
        var cl: any = s._cl;
        assert.ok(st.queued <= 8 && st.queuedBytes <= 1024, 'outbox over its bounds');
        assert.ok(st.inFlight <= 8, 'window over its bound');
        assert.ok(cl._q.length <= 2 * MAX_PACKET, 'send backlog ' + cl._q.length);
        assert.ok(cl._dec.held() <= MAX_PACKET, 'decoder holds ' + cl._dec.held());
      }
      void lost;
    }), params(300, 0.1));
  });

  it('a stream announcing an oversize packet ends the session with an event, not growth', function () {
    var clock = new VirtualClock(0);
    var iface = new ScriptedIface(clock);
    var s = new CloudSession({ clock: clock, host: 'cloud.sim', deviceId: 'dev1', maxPacket: MAX_PACKET });
    var lost: number[] = [];
    var proto: number[] = [];
    s.events.on('lost', function (r: number, code: number) { lost.push(code); });
    s.events.on('protocol_error', function (e: number) { proto.push(e); });
    s.connect(iface, function () {});
    clock.advance(2);
    iface.feed('\x20\x02\x00\x00');
    assert.ok(s.connected());
    iface.feed('\x30\xff\x07' + bin(new Array(200).fill(65)));
    assert.ok(!s.connected());
    assert.equal(proto.length, 1);
    assert.equal(lost.length, 1);
    assert.equal((s._cl as any)._dec.held(), 0);
  });
});
