/**
 * MQTT over TLS per interface, in the simulated world with the broker's TLS port (sim/soak/tls-sim.ts:
 * simulated TLS, handshake bytes and time, no real crypto): cellular through the SIM7600's SSL command
 * set (AT+CCH…), Wi-Fi through the runtime's tls module (connectTls), Ethernet refuses.
 */
import { strict as assert } from 'assert';
import { World } from '../../sim/world';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { HostWifiRadio } from '../../hal/host/wifi-radio';
import { SimNicSockets } from '../../hal/host/sim-nic-sockets';
import { Sim7600Model } from '../../sim/sim7600/sim7600-model';
import { W5500Model } from '../../sim/w5500/w5500-model';
import { installTlsPort, TLS_PORT } from '../../sim/soak/tls-sim';
import { Sim7600Interface } from '../../src/drivers/sim7600/sim7600-interface';
import { WifiInterface } from '../../src/drivers/wifi/wifi-interface';
import { W5500Interface } from '../../src/drivers/w5500/w5500-interface';
import { MqttClient, MC_UP, MQ_D_SOCKET } from '../../src/cloud/mqtt-client';
import { TlsDial, canTls } from '../../src/net/tls-dial';
import { NetInterface } from '../../src/net/interface';
import { IF_READY } from '../../src/net/types';

/** Device TCP connects to the cloud's plain MQTT port, from the world's event log. */
function plainConnects(world: World): number {
  return world.events('tcp').filter(function (l) { return l.indexOf('>' + world.cloud.ip + ':1883 connect') >= 0; }).length;
}

async function mqttOverTls(world: World, iface: NetInterface, id: string): Promise<MqttClient> {
  var got: string[] = [];
  var mq = new MqttClient({ clock: world.clock, id: id, user: 'dev', pass: 'mqtt-secret', keepAliveS: 30, onMessage: function (t, p) { got.push(p); } });
  mq.connect(new TlsDial(iface, world.cloud.name, TLS_PORT), world.cloud.name, TLS_PORT);
  assert.ok(await world.runUntil(function () { return mq.state() === MC_UP; }, 30000), 'MQTT over TLS not up');
  mq.subscribe(['t/' + id], [1]);
  await world.run(1000);
  mq.publish('t/' + id, 'x'.repeat(2500), 1, false);
  assert.ok(await world.runUntil(function () { return got.length > 0 && mq.inFlight() === 0; }, 30000), 'no echo of the publish');
  assert.equal(got[0], 'x'.repeat(2500));
  return mq;
}

describe('TLS per interface (simulated TLS port)', function () {
  var world: World;
  afterEach(function () {
    return world.close();
  });

  it('cellular: MQTT over the SIM7600 SSL commands, handshake on the wire, nothing to the plain port', async function () {
    world = new World({ seed: 11 });
    var tls = installTlsPort(world);
    var model = new Sim7600Model({ clock: world.clock, net: world.cellNetwork({ apn: 'internet' }) });
    var cell = new Sim7600Interface({ uart: model.uart, clock: world.clock, pwrkey: model.pwrkey, status: model.status, apn: 'internet' });
    assert.ok(canTls(cell));
    cell.connect();
    assert.ok(await world.runUntil(function () { return cell.state() === IF_READY; }, 60000));
    var air0 = world.link('cell0').stats();
    await mqttOverTls(world, cell, 'cell-tls');
    assert.equal(tls.handshakes, 1);
    assert.equal(plainConnects(world), 0);
    assert.ok(model.counts['AT+CCHOPEN'] === 1 && model.counts['AT+CCHSEND'] >= 2 && model.counts['AT+CCHRECV'] >= 1);
    assert.equal(model.counts['AT+CIPOPEN'] || 0, 0);
    // The handshake's ~3.4 KB crossed the radio link.
    var air1 = world.link('cell0').stats();
    assert.ok(air1.rxBytes - air0.rxBytes > 2900, JSON.stringify(air1));
  });

  it('cellular: a handshake that fails (certificate for another name, verification on) closes the socket', async function () {
    world = new World({ seed: 12 });
    installTlsPort(world, { certName: 'evil.example' });
    var model = new Sim7600Model({ clock: world.clock, net: world.cellNetwork({ apn: 'internet' }), tls: { verify: true } });
    var cell = new Sim7600Interface({ uart: model.uart, clock: world.clock, pwrkey: model.pwrkey, status: model.status, apn: 'internet' });
    cell.connect();
    assert.ok(await world.runUntil(function () { return cell.state() === IF_READY; }, 60000));
    var downs: number[] = [];
    var mq = new MqttClient({ clock: world.clock, id: 'c2', onDown: function (c) { downs.push(c); } });
    mq.connect(new TlsDial(cell, world.cloud.name, TLS_PORT), world.cloud.name, TLS_PORT);
    assert.ok(await world.runUntil(function () { return downs.length > 0; }, 30000));
    assert.deepEqual(downs, [MQ_D_SOCKET]);
    assert.equal(cell.state(), IF_READY, 'a refused handshake is no modem fault');
  });

  it('Wi-Fi: MQTT over the runtime tls module, nothing to the plain port', async function () {
    world = new World({ seed: 13 });
    var tls = installTlsPort(world);
    var air = world.airspace({ aps: [{ ssid: 'home', password: 'wifi-secret' }] });
    var clock = world.clock as VirtualClock;
    var radio = new HostWifiRadio({ airspace: air, clock: clock });
    var wl = new WifiInterface({ radio: radio, sockets: new SimNicSockets({ nic: function () { return radio.nic(); }, clock: clock }), clock: clock, storage: new MemoryStorage() });
    wl.setCredentials({ ssid: 'home', password: 'wifi-secret' });
    assert.ok(canTls(wl));
    wl.connect();
    assert.ok(await world.runUntil(function () { return wl.state() === IF_READY; }, 60000));
    await mqttOverTls(world, wl, 'wl-tls');
    assert.equal(tls.handshakes, 1);
    assert.equal(plainConnects(world), 0);
  });

  it('Wi-Fi without a tls module (and Ethernet always) refuses a TLS socket instead of going plain', async function () {
    world = new World({ seed: 14 });
    var air = world.airspace({ aps: [{ ssid: 'home', password: 'wifi-secret' }] });
    var clock = world.clock as VirtualClock;
    var radio = new HostWifiRadio({ airspace: air, clock: clock });
    var wl = new WifiInterface({ radio: radio, sockets: new SimNicSockets({ nic: function () { return radio.nic(); }, clock: clock, tls: false }), clock: clock, storage: new MemoryStorage() });
    wl.setCredentials({ ssid: 'home', password: 'wifi-secret' });
    var eth = new W5500Interface({ spi: new W5500Model({ clock: clock, nic: world.ethernetNic('eth0') }), clock: clock });
    wl.connect();
    eth.connect();
    assert.ok(await world.runUntil(function () { return wl.state() === IF_READY && eth.state() === IF_READY; }, 60000));
    assert.ok(!canTls(wl) && !canTls(eth));
    assert.equal(wl.tcp({ host: world.cloud.name, port: TLS_PORT, tls: true }), null);
    assert.equal(eth.tcp({ host: world.cloud.name, port: TLS_PORT, tls: true }), null);
    assert.equal(new TlsDial(eth, world.cloud.name, TLS_PORT).tcp({ host: 'x', port: 1883 }), null);
    await world.run(5000);
    assert.equal(plainConnects(world), 0);
  });

  it('Espruino: connectTls goes through require("tls").connect with the CA, and the Wi-Fi driver offers TLS over it', function () {
    world = new World({ seed: 15 });
    var es = require('../../hal/espruino/sockets');
    var seen: any[] = [];
    var sock: any = { on: function () {}, write: function () { return false; }, end: function () {} };
    var tlsMod = { connect: function (o: any, cb: any) { seen.push(o); return sock; } };
    var ns = new es.EspruinoSockets({ tls: tlsMod, net: { connect: function () { throw new Error('plain'); } } });
    ns.connectTls('cloud.example', 8883, { onConnect: function () {}, onData: function () {}, onClose: function () {}, onDrain: function () {} }, { ca: 'ca.pem' });
    assert.deepEqual(seen, [{ host: 'cloud.example', port: 8883, ca: 'ca.pem' }]);
    var wl = new WifiInterface({ radio: null, sockets: ns, clock: world.clock, storage: new MemoryStorage() });
    assert.ok(canTls(wl));
  });
});
