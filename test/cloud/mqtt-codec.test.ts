import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as mp from 'mqtt-packet';
import {
  MqttDecoder, MqttPacket, encConnect, encPublish, encAck, encSubscribe, encUnsubscribe, PINGREQ_BYTES, DISCONNECT_BYTES,
  MQ_E_SIZE, MQ_E_MALFORMED, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, PUBLISH, CONNECT, SUBSCRIBE,
} from '../../src/cloud/mqtt-codec';

const bin = (b: Buffer | Uint8Array) => Buffer.from(b).toString('latin1');
/** A JS string as the binary string of its UTF-8 bytes (what our codec carries). */
const u8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** Parses bytes with mqtt-packet; throws on its errors. */
function refParse(bytes: string): any[] {
  const p = mp.parser({ protocolVersion: 4 });
  const out: any[] = [];
  let err: Error | null = null;
  p.on('packet', (x: any) => out.push(x));
  p.on('error', (e: Error) => (err = e));
  p.parse(Buffer.from(bytes, 'latin1'));
  if (err) throw err;
  return out;
}

/** Decodes with ours, feeding the bytes in the given chunk sizes. */
function ourParse(bytes: string, chunks: number[] = [], max = 1 << 20): { pk: MqttPacket[]; err: number } {
  const pk: MqttPacket[] = [];
  const d = new MqttDecoder(max, (p) => pk.push(p));
  let err = 0;
  let i = 0;
  let c = 0;
  while (i < bytes.length && !err) {
    const n = chunks.length ? Math.max(1, chunks[c++ % chunks.length]) : bytes.length;
    err = d.push(bytes.substr(i, n));
    i += n;
  }
  return { pk, err };
}

const topicChars = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !/[#+\u0000]/.test(s));
const filterArb = fc.oneof(topicChars, fc.constant('a/+/b'), fc.constant('d/#'));
const idArb = fc.integer({ min: 1, max: 65535 });
const bytesArb = fc.uint8Array({ maxLength: 300 });
const chunksArb = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 });

describe('mqtt-codec', () => {
  describe('our encoder, parsed by mqtt-packet', () => {
    it('CONNECT with every flag combination', () => {
      fc.assert(
        fc.property(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 23 }),
            keepAlive: fc.integer({ min: 0, max: 65535 }),
            clean: fc.boolean(),
            user: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
            pass: fc.option(bytesArb, { nil: undefined }),
            will: fc.option(fc.record({ topic: topicChars, payload: bytesArb, qos: fc.integer({ min: 0, max: 2 }), retain: fc.boolean() }), { nil: undefined }),
          }),
          (c) => {
            const pass = c.user === undefined || c.pass === undefined ? undefined : bin(c.pass);
            const will = c.will && { topic: u8(c.will.topic), payload: bin(c.will.payload), qos: c.will.qos, retain: c.will.retain };
            const [r] = refParse(encConnect({ id: u8(c.id), keepAlive: c.keepAlive, clean: c.clean, user: c.user === undefined ? undefined : u8(c.user), pass, will }));
            assert.equal(r.cmd, 'connect');
            assert.equal(r.protocolId, 'MQTT');
            assert.equal(r.protocolVersion, 4);
            assert.equal(r.clientId, c.id);
            assert.equal(r.keepalive, c.keepAlive);
            assert.equal(r.clean, c.clean);
            assert.equal(r.username, c.user);
            assert.equal(r.password === undefined ? undefined : bin(r.password), pass);
            if (c.will) {
              assert.equal(r.will.topic, c.will.topic);
              assert.equal(bin(r.will.payload), bin(c.will.payload));
              assert.equal(r.will.qos, c.will.qos);
              assert.equal(r.will.retain, c.will.retain);
            } else assert.equal(r.will, undefined);
          },
        ),
      );
    });

    it('PUBLISH QoS 0/1 with DUP and retain, payloads up to 300 bytes', () => {
      fc.assert(
        fc.property(topicChars, bytesArb, fc.integer({ min: 0, max: 1 }), fc.boolean(), fc.boolean(), idArb, (t, p, qos, retain, dup, id) => {
          const [r] = refParse(encPublish(u8(t), bin(p), qos, retain, dup && qos > 0, id));
          assert.equal(r.cmd, 'publish');
          assert.equal(r.topic, t);
          assert.equal(bin(r.payload), bin(p));
          assert.equal(r.qos, qos);
          assert.equal(r.retain, retain);
          assert.equal(r.dup, dup && qos > 0);
          if (qos) assert.equal(r.messageId, id);
        }),
      );
    });

    it('PUBLISH of 20 000 bytes (a three-byte remaining length)', () => {
      const p = 'x'.repeat(20000);
      const [r] = refParse(encPublish('big', p, 1, false, false, 7));
      assert.equal(r.payload.length, 20000);
      assert.equal(r.messageId, 7);
    });

    it('PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK', () => {
      const names: { [t: number]: string } = { [PUBACK]: 'puback', [PUBREC]: 'pubrec', [PUBREL]: 'pubrel', [PUBCOMP]: 'pubcomp', [UNSUBACK]: 'unsuback' };
      fc.assert(
        fc.property(fc.constantFrom(PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK), idArb, (t, id) => {
          const [r] = refParse(encAck(t, id));
          assert.equal(r.cmd, names[t]);
          assert.equal(r.messageId, id);
        }),
      );
    });

    it('SUBSCRIBE and UNSUBSCRIBE with several filters', () => {
      fc.assert(
        fc.property(idArb, fc.array(fc.record({ t: filterArb, q: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 5 }), (id, subs) => {
          const [s] = refParse(encSubscribe(id, subs.map((x) => u8(x.t)), subs.map((x) => x.q)));
          assert.equal(s.cmd, 'subscribe');
          assert.equal(s.messageId, id);
          assert.deepEqual(s.subscriptions.map((x: any) => [x.topic, x.qos]), subs.map((x) => [x.t, x.q]));
          const [u] = refParse(encUnsubscribe(id, subs.map((x) => u8(x.t))));
          assert.equal(u.cmd, 'unsubscribe');
          assert.deepEqual(u.unsubscriptions, subs.map((x) => x.t));
        }),
      );
    });

    it('PINGREQ and DISCONNECT', () => {
      assert.equal(refParse(PINGREQ_BYTES)[0].cmd, 'pingreq');
      assert.equal(refParse(DISCONNECT_BYTES)[0].cmd, 'disconnect');
    });
  });

  describe('mqtt-packet generated, parsed by ours', () => {
    const gen = (o: any) => bin(mp.generate(o));

    it('every packet type, split into random chunks', () => {
      const packetArb = fc.oneof(
        fc.record({
          cmd: fc.constant('connect'), protocolId: fc.constant('MQTT'), protocolVersion: fc.constant(4), clean: fc.boolean(),
          clientId: fc.string({ minLength: 1, maxLength: 23 }), keepalive: fc.integer({ min: 0, max: 65535 }),
          username: fc.string({ maxLength: 10 }), password: bytesArb.map((b) => Buffer.from(b)),
          will: fc.option(fc.record({ topic: topicChars, payload: bytesArb.map((b) => Buffer.from(b)), qos: fc.integer({ min: 0, max: 2 }), retain: fc.boolean() }), { nil: undefined }),
        }),
        fc.record({ cmd: fc.constant('connack'), returnCode: fc.integer({ min: 0, max: 5 }), sessionPresent: fc.boolean() }),
        fc.record({ cmd: fc.constant('publish'), topic: topicChars, payload: bytesArb.map((b) => Buffer.from(b)), qos: fc.integer({ min: 0, max: 2 }), dup: fc.boolean(), retain: fc.boolean(), messageId: idArb }),
        fc.record({ cmd: fc.constantFrom('puback', 'pubrec', 'pubrel', 'pubcomp', 'unsuback'), messageId: idArb }),
        fc.record({ cmd: fc.constant('subscribe'), messageId: idArb, subscriptions: fc.array(fc.record({ topic: filterArb, qos: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 4 }) }),
        fc.record({ cmd: fc.constant('suback'), messageId: idArb, granted: fc.array(fc.constantFrom(0, 1, 2, 128), { minLength: 1, maxLength: 4 }) }),
        fc.record({ cmd: fc.constant('unsubscribe'), messageId: idArb, unsubscriptions: fc.array(filterArb, { minLength: 1, maxLength: 4 }) }),
        fc.record({ cmd: fc.constantFrom('pingreq', 'pingresp', 'disconnect') }),
      );
      fc.assert(
        fc.property(fc.array(packetArb, { minLength: 1, maxLength: 4 }), chunksArb, (pkts: any[], chunks) => {
          const { pk, err } = ourParse(pkts.map(gen).join(''), chunks);
          assert.equal(err, 0);
          assert.equal(pk.length, pkts.length);
          pkts.forEach((o, i) => check(o, pk[i]));
        }),
      );
    });

    function check(o: any, p: MqttPacket): void {
      const types: { [k: string]: number } = { connect: 1, connack: 2, publish: 3, puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7, subscribe: 8, suback: 9, unsubscribe: 10, unsuback: 11, pingreq: 12, pingresp: 13, disconnect: 14 };
      assert.equal(p.type, types[o.cmd]);
      switch (o.cmd) {
        case 'connect': {
          const c = p.connect!;
          assert.equal(c.id, u8(o.clientId));
          assert.equal(c.keepAlive, o.keepalive);
          assert.equal(c.clean, o.clean);
          assert.equal(c.user, u8(o.username));
          assert.equal(c.pass, bin(o.password));
          assert.equal(c.level, 4);
          if (o.will) assert.deepEqual(c.will, { topic: u8(o.will.topic), payload: bin(o.will.payload), qos: o.will.qos, retain: o.will.retain });
          else assert.equal(c.will, undefined);
          break;
        }
        case 'connack':
          assert.equal(p.rc, o.returnCode);
          assert.equal(p.sp, o.sessionPresent);
          break;
        case 'publish':
          assert.equal(p.topic, u8(o.topic));
          assert.equal(p.payload, bin(o.payload));
          assert.equal(p.qos, o.qos);
          assert.equal(p.dup, o.dup);
          assert.equal(p.retain, o.retain);
          assert.equal(p.id, o.qos ? o.messageId : undefined);
          break;
        case 'subscribe':
          assert.equal(p.id, o.messageId);
          assert.deepEqual(p.topics, o.subscriptions.map((s: any) => u8(s.topic)));
          assert.deepEqual(p.qoss, o.subscriptions.map((s: any) => s.qos));
          break;
        case 'suback':
          assert.equal(p.id, o.messageId);
          assert.deepEqual(p.granted, o.granted);
          break;
        case 'unsubscribe':
          assert.equal(p.id, o.messageId);
          assert.deepEqual(p.topics, o.unsubscriptions.map(u8));
          break;
        case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': case 'unsuback':
          assert.equal(p.id, o.messageId);
          break;
      }
    }
  });

  describe('decoder bounds and errors', () => {
    it('refuses a packet larger than maxPacket as soon as its length is known', () => {
      const d = new MqttDecoder(100, () => assert.fail('no packet expected'));
      const big = encPublish('t', 'x'.repeat(200), 0, false, false, 0);
      assert.equal(d.push(big.substr(0, 3)), MQ_E_SIZE);
      assert.equal(d.held(), 0);
      assert.equal(d.push(big.substr(3)), MQ_E_SIZE, 'sticky until reset');
    });

    it('accepts a packet of exactly maxPacket bytes', () => {
      const pkt = encPublish('t', 'x'.repeat(90), 0, false, false, 0);
      const got: MqttPacket[] = [];
      const d = new MqttDecoder(pkt.length, (p) => got.push(p));
      assert.equal(d.push(pkt), 0);
      assert.equal(got.length, 1);
      assert.equal(got[0].type, PUBLISH);
    });

    it('reports malformed input: a fifth length byte, bad flags, QoS 3, short bodies', () => {
      for (const bad of ['\x30\xff\xff\xff\xff\x01', '\x40\x01\x00', '\x41\x02\x00\x01', '\x36\x03\x00\x01t', '\x82\x02\x00\x01', '\x20\x02\x02\x00', '\x00\x00', '\xf0\x00', '\x90\x03\x00\x01\x03']) {
        const d = new MqttDecoder(1000, () => undefined);
        assert.equal(d.push(bad), MQ_E_MALFORMED, JSON.stringify(bad));
      }
    });

    it('rejects a CONNECT with a password but no user name, and a will QoS without a will', () => {
      const c = encConnect({ id: 'a', keepAlive: 1, clean: true });
      const flags = c.indexOf('\x04') + 1;
      const withPass = c.substr(0, flags) + '\x42' + c.substr(flags + 1);
      const withWillQos = c.substr(0, flags) + '\x0a' + c.substr(flags + 1);
      assert.equal(ourParse(withPass).err, MQ_E_MALFORMED);
      assert.equal(ourParse(withWillQos).err, MQ_E_MALFORMED);
      assert.equal(ourParse(c).pk[0].type, CONNECT);
    });

    it('recovers after reset()', () => {
      const got: MqttPacket[] = [];
      const d = new MqttDecoder(50, (p) => got.push(p));
      assert.equal(d.push('\x00\x00'), MQ_E_MALFORMED);
      d.reset();
      assert.equal(d.push(encSubscribe(3, ['a'], [1])), 0);
      assert.equal(got[0].type, SUBSCRIBE);
    });

    it('fuzzed byte streams never throw and never hold more than maxPacket bytes', () => {
      const valid = fc.constantFrom(
        encPublish('a/b', 'hello', 1, true, true, 9), encConnect({ id: 'x', keepAlive: 5, clean: true, user: 'u', pass: 'p' }),
        encSubscribe(1, ['a', 'b/#'], [0, 1]), encAck(PUBACK, 3), '\x20\x02\x01\x00', '\x90\x03\x00\x01\x80', '\xd0\x00',
      );
      const piece = fc.oneof(bytesArb.map(bin), valid, valid.map((s) => s.substr(0, s.length >> 1)));
      fc.assert(
        fc.property(fc.integer({ min: 5, max: 200 }), fc.array(piece, { maxLength: 12 }), chunksArb, (max, pieces, chunks) => {
          let n = 0;
          const d = new MqttDecoder(max, () => n++);
          const s = pieces.join('');
          let i = 0;
          let c = 0;
          while (i < s.length) {
            const k = chunks[c++ % chunks.length] * 9;
            const r = d.push(s.substr(i, k));
            assert.ok(r === 0 || r === MQ_E_SIZE || r === MQ_E_MALFORMED);
            assert.ok(d.held() <= max, `held ${d.held()} > ${max}`);
            if (r && (c & 1)) d.reset();
            i += k;
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
