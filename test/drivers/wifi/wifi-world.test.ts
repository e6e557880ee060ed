import { strict as assert } from 'assert';
import { World } from '../../../sim/world';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { MemoryStorage } from '../../../hal/host/memory-storage';
import { HostWifiRadio } from '../../../hal/host/wifi-radio';
import { SimNicSockets } from '../../../hal/host/sim-nic-sockets';
import { WifiInterface } from '../../../src/drivers/wifi/wifi-interface';
import { MqttClient, MC_UP, MQ_OK, MQ_D_SOCKET } from '../../../src/cloud/mqtt-client';
import { IF_READY, IF_CONNECTING, IF_FAILED, E_OK, E_NETDOWN, R_NOT_AUTHORISED } from '../../../src/net/types';

/** The Wi-Fi interface on the simulated world's access points (sim/world). */
function build(aps: any[]) {
  const world = new World({ seed: 7 });
  const air = world.airspace({ aps });
  const clock = world.clock as VirtualClock;
  const radio = new HostWifiRadio({ airspace: air, clock });
  const sockets = new SimNicSockets({ nic: () => radio.nic(), clock });
  const wl = new WifiInterface({ radio, sockets, clock, storage: new MemoryStorage() });
  const events: Array<[string, any]> = [];
  for (const ev of ['link', 'disconnected']) wl.events.on(ev, (a: any) => events.push([ev, a]));
  return { world, air, clock, radio, wl, events };
}

describe('WifiInterface in the simulated world', () => {
  let w: ReturnType<typeof build> | null = null;
  afterEach(async () => {
    if (w) await w.world.close();
    w = null;
  });

  it('joins the strongest stored AP and gets its lease from the world DHCP', async () => {
    w = build([{ ssid: 'home', password: 'password1', rssi: -48 }, { ssid: 'office', password: 'password2', rssi: -71 }]);
    w.wl.setCredentials({ ssid: 'office', password: 'password2' });
    w.wl.setCredentials({ ssid: 'home', password: 'password1' });
    w.wl.connect();
    assert.ok(await w.world.runUntil(() => w!.wl.state() === IF_READY, 60000));
    assert.equal(w.air.associated(), 'home');
    const i = w.wl.info();
    const lease = w.radio.nic()!.lease!()!;
    assert.equal(i.ip, w.radio.nic()!.address());
    assert.deepEqual([i.netmask, i.gateway, i.dns], [lease.netmask, lease.gateway, lease.dns]);
    assert.equal(i.rssi, -48);
  });

  it('keeps a static address: the world DHCP does not override it', async () => {
    w = build([{ ssid: 'home', password: 'password1' }]);
    w.wl.setCredentials({ ssid: 'home', password: 'password1' });
    w.wl.connect();
    assert.ok(await w.world.runUntil(() => w!.wl.state() === IF_READY, 60000));
    const lease = w.radio.nic()!.lease!()!;
    const ip = lease.gateway.split('.').slice(0, 3).join('.') + '.222';
    w.wl.disconnect();
    w.wl.setConfig({ ip, netmask: lease.netmask, gateway: lease.gateway, dns: lease.dns });
    await w.world.run(100);
    w.wl.connect();
    assert.ok(await w.world.runUntil(() => w!.wl.state() === IF_READY, 60000));
    await w.world.run(60000);
    assert.equal(w.radio.nic()!.address(), ip);
    assert.equal(w.wl.info().ip, ip);
    let echoed = false;
    w.wl.udp({ onMessage: () => (echoed = true) })!.send('x', w.world.cloud.ip, w.world.cloud.echo.port);
    assert.ok(await w.world.runUntil(() => echoed, 5000), 'the static address routes');
  });

  it('fails with not_authorised against the world AP with a wrong password', async () => {
    w = build([{ ssid: 'home', password: 'password1' }]);
    w.wl.setCredentials({ ssid: 'home', password: 'not-the-one' });
    w.wl.connect();
    assert.ok(await w.world.runUntil(() => w!.wl.state() === IF_FAILED, 60000));
    assert.equal(w.wl.reason(), R_NOT_AUTHORISED);
  });

  it('echoes UDP off the cloud host, an MQTT session runs, and the AP going away ends both', async () => {
    w = build([{ ssid: 'home', password: 'password1' }]);
    const { world, wl } = w;
    wl.setCredentials({ ssid: 'home', password: 'password1' });
    wl.connect();
    assert.ok(await world.runUntil(() => wl.state() === IF_READY, 60000));

    let cloudIp = '';
    wl.resolve(world.cloud.name, (e, ip) => (cloudIp = e === E_OK ? ip : 'err'));
    assert.ok(await world.runUntil(() => cloudIp !== '', 5000));
    assert.equal(cloudIp, world.cloud.ip);
    const echoes: string[] = [];
    const u = wl.udp({ onMessage: (d, h, p) => echoes.push(h + ':' + p + ' ' + d) })!;
    assert.equal(u.send('probe\x01\xfe', cloudIp, world.cloud.echo.port), true);
    assert.ok(await world.runUntil(() => echoes.length === 1, 5000));
    assert.equal(echoes[0], cloudIp + ':' + world.cloud.echo.port + ' probe\x01\xfe');

    const got: string[] = [];
    const downs: number[][] = [];
    let acked = 0;
    let subacked = false;
    const c = new MqttClient({
      clock: w.clock, id: 'wl0-dev', keepAliveS: 30,
      onMessage: (t, p) => got.push(t + '=' + p),
      onPubAck: () => acked++,
      onSubAck: () => (subacked = true),
      onDown: (code, detail) => downs.push([code, detail]),
    });
    c.connect(wl, world.cloud.name, world.cloud.broker.port);
    assert.ok(await world.runUntil(() => c.state() === MC_UP, 30000), 'CONNACK over Wi-Fi');
    assert.equal(c.subscribe(['wl0/#'], [1]), MQ_OK);
    assert.ok(await world.runUntil(() => subacked, 10000));
    assert.equal(c.publish('wl0/hello', 'world', 1, false), MQ_OK);
    assert.ok(await world.runUntil(() => acked === 1 && got.length === 1, 10000));
    assert.deepEqual(got, ['wl0/hello=world']);

    w.air.apDown('home');
    assert.ok(await world.runUntil(() => wl.state() === IF_CONNECTING, 30000));
    assert.deepEqual(w.events.filter((e) => e[0] === 'link').map((e) => e[1]), [true, false]);
    assert.equal(w.events.filter((e) => e[0] === 'disconnected').length, 1);
    assert.ok(await world.runUntil(() => downs.length > 0, 1000));
    assert.deepEqual(downs[0], [MQ_D_SOCKET, E_NETDOWN]);
  });
});
