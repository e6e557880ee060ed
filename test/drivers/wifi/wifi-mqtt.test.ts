import { strict as assert } from 'assert';
import { Duplex } from 'stream';
import { Aedes } from 'aedes';
import { rig } from './rig';
import { LINK_MS, TcpPeer } from './fake-airspace';
import { IF_READY, E_NETDOWN } from '../../../src/net/types';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { MqttClient, MC_UP, MQ_OK, MQ_D_SOCKET } from '../../../src/cloud/mqtt-client';

const BROKER_IP = '10.9.0.8';
const HOME = { ssid: 'home', password: 'password1', rssi: -50 };

/** A TCP service on the fake LAN that hands each connection to aedes as a Node Duplex. */
function aedesPeer(aedes: Aedes, clock: VirtualClock): TcpPeer {
  return (h) => {
    let closed = false;
    const fin = (r: 'closed' | 'reset') => {
      if (closed) return;
      closed = true;
      h.onClose(r);
    };
    const d = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        const b = Buffer.from(chunk);
        clock.setTimeout(() => {
          if (!closed) h.onData(b);
        }, LINK_MS);
        cb();
      },
      final(cb) {
        clock.setTimeout(() => {
          if (!closed) h.onEnd();
          fin('closed');
        }, LINK_MS);
        cb();
      },
    });
    d.on('error', () => fin('reset'));
    clock.setTimeout(() => {
      h.onConnect();
      aedes.handle(d as any);
    }, 2 * LINK_MS);
    return {
      write: (b: Buffer) => {
        const c = Buffer.from(b);
        clock.setTimeout(() => d.push(c), LINK_MS);
      },
      end: () => {
        clock.setTimeout(() => d.push(null), LINK_MS);
      },
      destroy: () => {
        d.destroy();
        fin('reset');
      },
    };
  };
}

/** Advances virtual time in small steps, letting Node's event loop (aedes) turn in between. */
async function until(clock: VirtualClock, cond: () => boolean, maxMs: number): Promise<boolean> {
  const end = clock.now() + maxMs;
  while (!cond() && clock.now() < end) {
    clock.advance(5);
    await new Promise((r) => setImmediate(r));
  }
  return cond();
}

describe('WifiInterface: an MQTT session over Wi-Fi (aedes in-process)', () => {
  let aedes: Aedes;

  beforeEach(async () => {
    aedes = new Aedes();
    await (aedes as any).listen?.();
  });

  afterEach((done) => {
    aedes.close(() => done());
  });

  it('connects, subscribes, publishes QoS 1, receives its message and ends with the link', async () => {
    const t = rig([HOME]);
    t.air.peers[BROKER_IP + ':1883'] = aedesPeer(aedes, t.clock);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));

    const got: string[] = [];
    const acks: any[] = [];
    const downs: number[][] = [];
    let subacked = false;
    const c = new MqttClient({
      clock: t.clock, id: 'dev-wifi', clean: true, keepAliveS: 0,
      onMessage: (topic, payload, qos) => got.push(topic + ' ' + payload + ' ' + qos),
      onPubAck: (tag) => acks.push(tag),
      onSubAck: () => (subacked = true),
      onDown: (code, detail) => downs.push([code, detail]),
    });
    c.connect(t.wl, BROKER_IP, 1883);
    assert.ok(await until(t.clock, () => c.state() === MC_UP, 10000), 'CONNACK');
    assert.equal(c.subscribe(['dev/wifi/#'], [1]), MQ_OK);
    assert.ok(await until(t.clock, () => subacked, 10000), 'SUBACK');
    assert.equal(c.publish('dev/wifi/t', '21.5', 1, false, 'p1'), MQ_OK);
    assert.ok(await until(t.clock, () => acks.length === 1 && got.length === 1, 10000), 'PUBACK and delivery');
    assert.deepEqual(acks, ['p1']);
    assert.deepEqual(got, ['dev/wifi/t 21.5 1']);
    assert.ok(t.wl.counters().tx > 0 && t.wl.counters().rx > 0);

    t.air.removeAp('home');
    assert.ok(await until(t.clock, () => downs.length > 0, 1000));
    assert.deepEqual(downs[0], [MQ_D_SOCKET, E_NETDOWN]);
  });
});
