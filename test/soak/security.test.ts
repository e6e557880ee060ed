/**
 * Security on the whole simulated board (boards/host-sim.ts): the credential scan (the Wi-Fi, APN and MQTT
 * passwords never in logs, events or metrics, and in Storage only under their own keys), and "require TLS"
 * (the broker's plain port sees no connection even where Ethernet is the best interface).
 */
import { strict as assert } from 'assert';
import { createSimBoard, SimBoard } from '../../boards/host-sim';
import { SecretScanner, render } from '../../sim/soak/secrets';
import { installTlsPort, useTlsSession, TLS_PORT } from '../../sim/soak/tls-sim';
import { WIFI_CRED_FILE } from '../../src/drivers/wifi/credentials';

var WIFI_PW = 'W1fi-s3cret-7d1e';
var APN_PW = 'Apn-s3cret-41c9';
var MQTT_PW = 'Mqtt-s3cret-b02f';

/** A world with all three links, secrets on every one, and a timeline that moves the cloud across all three. */
function scenario(events: any[]): any {
  return {
    name: 'secrets', durationMs: 600000,
    world: {
      ethernet: {},
      wifi: { aps: [{ ssid: 'SimNet', password: WIFI_PW, rssi: -55 }] },
      cell: { apn: 'internet', user: 'apnuser', password: APN_PW },
      cloud: { broker: { username: 'dev', password: MQTT_PW } },
    },
    device: { wifi: { ssid: 'SimNet', password: WIFI_PW }, cell: { apn: 'internet' } },
    events: events,
  };
}

/** Device TCP connects to the broker's plain port (the world's event log records every device connect). */
function plainConnects(b: SimBoard): number {
  var w = b.world;
  return w.events('tcp').filter(function (l) { return l.indexOf('>' + w.cloud.ip + ':' + w.cloud.broker.port + ' connect') >= 0; }).length;
}

/** A sketch publishing QoS 1 every 2 s. */
function publisher(api: any) {
  var n = 0;
  var last = -1e9;
  return {
    loop: function () {
      var now = api.System.millis();
      if (now - last < 2000) return;
      last = now;
      api.Particle.publish('tick', 'n=' + n++, { qos: 1 });
    },
  };
}

/**
 * The board does not pass APN credentials to its Sim7600Interface yet: give them to the interface before
 * it first configures the PDP context (nothing has run: no virtual time has passed).
 */
function apnCredentials(b: SimBoard): void {
  var c: any = b.ifs.cell0;
  if (!c._pw) {
    c._user = 'apnuser';
    c._pw = APN_PW;
  }
}

describe('security on the simulated board', function () {
  this.timeout(60000);
  var board: SimBoard | null = null;
  var scan: SecretScanner | null = null;
  afterEach(async function () {
    if (scan) scan.unhook();
    scan = null;
    if (board) await board.stop();
    board = null;
  });

  it('the credential scan finds no password in logs, events, metrics or foreign Storage keys while all three carry the cloud', async function () {
    scan = new SecretScanner({ wifi: WIFI_PW, apn: APN_PW, mqtt: MQTT_PW });
    scan.hookEmitters();
    var b = (board = await createSimBoard({
      seed: 21, sketch: publisher, session: { username: 'dev', password: MQTT_PW },
      scenario: scenario([
        { at: 60000, do: 'link-down', nic: 'eth0' },
        { at: 120000, do: 'ap-down', ssid: 'SimNet' },
        { at: 240000, do: 'ap-up', ssid: 'SimNet' },
        { at: 300000, do: 'link-up', nic: 'eth0' },
        { at: 360000, do: 'broker-restart', downMs: 3000 },
        { at: 420000, do: 'cell-pdp-lost' },
      ]),
    }));
    apnCredentials(b);
    var used: { [id: string]: boolean } = {};
    b.manager.events.on('cloud_interface_changed', function (d: any) { used[d.to] = true; });
    for (var t = 0; t < 480000; t += 20000) {
      await b.run(20000);
      scan.scanValue('metrics', b.manager.metrics());
      scan.scanValue('session stats', b.session.stats());
      for (var id in b.ifs) scan.scanValue('info ' + id, [b.ifs[id].info(), b.ifs[id].counters()]);
    }
    assert.deepEqual(Object.keys(used).sort(), ['cell0', 'eth0', 'wl0'], 'the cloud must have used all three');
    scan.scanText('device log', b.log.lines.join('\n'));
    scan.scanText('why', b.manager.why());
    scan.scanStorage(b.storage, { wifi: [WIFI_CRED_FILE] });
    // The check must be able to fail: the secrets are where they belong.
    assert.ok((b.storage.read(WIFI_CRED_FILE) || '').indexOf(WIFI_PW) >= 0, 'the Wi-Fi password is stored under its key');
    assert.ok(scan.events > 300, 'events inspected: ' + scan.events);
    assert.ok(b.log.lines.length > 50);
    assert.deepEqual(scan.hits, []);
  });

  it('the scanner itself sees a password that reaches an event or a log', function () {
    var s = new SecretScanner({ apn: APN_PW });
    s.hookEmitters();
    try {
      var { Emitter } = require('../../src/util/emitter');
      new Emitter().emit('x', { cmd: { c: 'AT+CGAUTH=1,1,"' + APN_PW + '","u"' } });
    } finally {
      s.unhook();
    }
    s.scanText('log', 'connect as ' + MQTT_PW);
    assert.deepEqual(s.hits, ['event "x": apn']);
    assert.ok(render({ a: [1, { b: APN_PW }] }).indexOf(APN_PW) > 0);
  });

  it('with requireTls the broker plain port sees no connection, though Ethernet is the best interface', async function () {
    var b = (board = await createSimBoard({
      seed: 22, sketch: publisher, settings: { requireTls: true }, session: { username: 'dev', password: MQTT_PW },
      scenario: scenario([{ at: 200000, do: 'ap-down', ssid: 'SimNet' }, { at: 400000, do: 'ap-up', ssid: 'SimNet' }]),
    }));
    apnCredentials(b);
    var tls = installTlsPort(b.world);
    useTlsSession(b.session, b.world.cloud.name, TLS_PORT);
    var on: string[] = [];
    b.manager.events.on('cloud_interface_changed', function (d: any) { on.push(d.to); });
    await b.run(600000);
    assert.equal(b.ifs.eth0.state(), 4, 'Ethernet was ready all along');
    assert.ok(on.length >= 2 && on.indexOf('eth0') < 0, 'cloud went over ' + on.join(','));
    assert.ok(on.indexOf('cell0') >= 0, 'cellular carried it while Wi-Fi was down');
    assert.ok(tls.handshakes >= 2, 'TLS handshakes ' + tls.handshakes);
    assert.equal(plainConnects(b), 0);
    assert.ok(b.session.connected());
    assert.equal(b.session.stats().queued, 0, 'every QoS 1 publish delivered');
  });

  it('without requireTls the same board does use the plain port over Ethernet (the check can fail)', async function () {
    var b = (board = await createSimBoard({ seed: 23, session: { username: 'dev', password: MQTT_PW }, scenario: scenario([]) }));
    apnCredentials(b);
    await b.run(30000);
    assert.equal(b.manager.cloudIface()!.id, 'eth0');
    assert.ok(plainConnects(b) >= 1);
  });
});

describe('security: AT commands carrying secrets', function () {
  it('a timed-out AT+CGAUTH (APN password) or AT+CPIN (PIN) shows only its name in the timeout event', function () {
    var { VirtualClock } = require('../../hal/host/virtual-clock');
    var { Sim7600 } = require('../../src/drivers/sim7600/sim7600');
    var clock = new VirtualClock(0);
    var pin = { write: function () {}, read: function () { return false; }, watch: function () { return function () {}; } };
    var m = new Sim7600({ uart: { write: function () {}, onData: function () {}, setBaud: function () {} }, clock: clock, pwrkey: pin });
    var seen: any[] = [];
    m.at.events.on('timeout', function (c: any) { seen.push(c); });
    var s = new SecretScanner({ apn: APN_PW, pin: '918273' });
    s.hookEmitters();
    try {
      m.pdpConfig('internet', 'apnuser', APN_PW, function () {});
      m.enterPin('918273', function () {});
      clock.advance(120000);
    } finally {
      s.unhook();
    }
    assert.ok(seen.length >= 2, 'timeouts seen: ' + seen.length);
    assert.ok(seen.some(function (c) { return c.c === 'AT+CGAUTH=…'; }));
    assert.deepEqual(s.hits, []);
  });
});
