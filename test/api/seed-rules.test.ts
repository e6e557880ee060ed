/**
 * The seed rules of issue 5, one `describe` per rule, through the Particle-style API, in virtual time:
 * which interface carries the session, which events fired, in what order and when.
 */
import { strict as assert } from 'assert';
import { board, Board } from './harness';
import { MemoryStorage } from '../../hal/host/memory-storage';
import {
  AUTOMATIC, SEMI_AUTOMATIC, MANUAL, FEATURE_ETHERNET_DETECTION, CONFIG_SOURCE_STATIC, CONFIG_SOURCE_DHCP,
  CLOUD_STATUS_CONNECTED, CLOUD_STATUS_CONNECTING, CLOUD_STATUS_DISCONNECTED, CLOUD_STATUS_DISCONNECTING
} from '../../src/api/constants';
import { NetworkInterfaceConfig } from '../../src/api/network-config';
import { SEQ_FILE } from '../../src/connection/failover-sequence';
import { IF_OFF, IF_READY, IF_FAILED, R_NO_LINK, R_NO_SIM, R_NO_SERVER, R_NOT_AUTHORISED } from '../../src/net/types';
import { CM_PROBING } from '../../src/connection/status';

/** The connection events after time `t` as compact strings, in order. */
function trail(b: Board, t: number): string[] {
  return b.ev
    .filter(function (e) { return e.t >= t && (e.ev === 'cloud_status' || e.ev === 'probe' || e.ev === 'cloud_interface_changed'); })
    .map(function (e) {
      if (e.ev === 'cloud_status') return 'cloud:' + e.v;
      if (e.ev === 'probe') return 'probe:' + e.v.map(function (r: any) { return r.id; }).join(',');
      return 'moved:' + e.v.from + '>' + e.v.to + '(' + e.v.reason + ')';
    });
}

function moves(b: Board): { t: number; v: any }[] {
  return b.of('cloud_interface_changed');
}

describe('seed rule 1: at boot the first available of Ethernet, Wi-Fi, Cellular is used', function () {
  it('uses Ethernet when all three come up, and reports it once', function () {
    var b = board();
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
    assert.deepEqual(trail(b, 0), ['cloud:' + CLOUD_STATUS_CONNECTING, 'moved:null>eth0(boot)', 'cloud:' + CLOUD_STATUS_CONNECTED]);
    assert.equal(moves(b)[0].t, 600); // ready at 300 ms + 300 ms cloud connect
    assert.deepEqual(b.attemptsSince(0), ['eth0']);
    assert.deepEqual(b.errors, []);
  });

  it('waits out the grace window for a higher-ranked interface that comes up later', function () {
    var b = board({ eth: { connectMs: 1000 } }); // Wi-Fi ready at 0.3 s, Ethernet at 1.1 s
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
    assert.deepEqual(b.attemptsSince(0), ['eth0']);
    assert.equal(moves(b)[0].t, 1400);
  });

  it('takes Wi-Fi at once when Ethernet has no link, and Cellular when only it is there', function () {
    var b = board({ eth: { link: false } });
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0');
    assert.equal(moves(b)[0].t, 600);
    var c = board({ eth: false, wifi: { configured: false } });
    c.clock.advance(5000);
    assert.equal(c.on(), 'cell0');
    assert.equal(moves(c)[0].t, 2300);
  });
});

describe('seed rule 2: after cloud loss all available interfaces are probed; lower loss and latency wins', function () {
  it('moves to the interface without loss', function () {
    var b = board({ wifi: { rttMs: 30 } });
    b.clock.advance(2500);
    assert.equal(b.on(), 'eth0');
    b.eth.o.loss = 1 / 3;
    b.cloud.lose(R_NO_SERVER);
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0');
    assert.deepEqual(trail(b, 2500), [
      'cloud:' + CLOUD_STATUS_DISCONNECTED, 'cloud:' + CLOUD_STATUS_CONNECTING, 'probe:eth0,wl0,cell0',
      'moved:eth0>wl0(cloud_lost)', 'cloud:' + CLOUD_STATUS_CONNECTED
    ]);
    var probe = b.of('probe')[0];
    assert.ok(probe.t - 2500 <= 1500, 'probe took ' + (probe.t - 2500) + ' ms');
    var eth = probe.v.filter(function (r: any) { return r.id === 'eth0'; })[0];
    assert.ok(eth.loss > 0 && eth.valid);
  });

  it('moves to the interface with the lower latency', function () {
    var b = board({ wifi: { rttMs: 30 } });
    b.clock.advance(2500);
    b.eth.o.rttMs = 150;
    b.cloud.lose(R_NO_SERVER);
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0');
    // eth0 just lost the session, so it is suspect: the probe ends without waiting for its 150 ms echoes.
    assert.match(b.api.Network.why(), /^on wl0: cloud lost on eth0 \(no_server\) at 2\.5 s; probe wl0 30 ms \/ 0% loss beat cell0 >= 80 ms \(cut\), eth0 cut/);
  });
});

describe('seed rule 3: the selected interface stays until the connection is lost (fail-back off)', function () {
  it('stays on Wi-Fi after Ethernet returns, and leaves it only on loss', function () {
    var b = board({ eth: { link: false } });
    b.clock.advance(10000);
    assert.equal(b.on(), 'wl0');
    b.eth.setLink(true);
    b.clock.advance(1000);
    assert.equal(b.eth.state(), IF_READY);
    b.clock.advance(10 * 60000);
    assert.equal(b.on(), 'wl0');
    assert.equal(moves(b).length, 1);
    var t = b.clock.now();
    b.wl.setLink(false);
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
    assert.deepEqual(moves(b).map(function (m) { return m.v.reason; }), ['boot', 'if_down']);
    assert.ok(moves(b)[1].t - t < 2000);
  });
});

describe('seed rule 4: Wi-Fi only with credentials; Ethernet only with FEATURE_ETHERNET_DETECTION and a link', function () {
  it('leaves both alone until they qualify, then brings them up', function () {
    var b = board({ wifi: { configured: false }, eth: { link: false }, ethDetection: false });
    b.clock.advance(5000);
    assert.equal(b.on(), 'cell0');
    assert.equal(b.wl.connects, 0);
    assert.equal(b.wl.state(), IF_OFF);
    assert.equal(b.eth.connects, 0);
    assert.equal(b.eth.state(), IF_OFF);

    b.api.System.enableFeature(FEATURE_ETHERNET_DETECTION);
    b.clock.advance(1000);
    assert.ok(b.eth.connects > 0);
    assert.equal(b.eth.state(), IF_FAILED);
    assert.equal(b.eth.reason(), R_NO_LINK);
    assert.equal(b.on(), 'cell0');
    assert.equal(b.api.System.featureEnabled(FEATURE_ETHERNET_DETECTION), true);

    assert.equal(b.api.WiFi.hasCredentials(), false);
    assert.equal(b.api.WiFi.setCredentials('home', 'secret'), true);
    b.clock.advance(1000);
    assert.equal(b.wl.state(), IF_READY);
    assert.equal(b.of('network_credentials').length, 1);
    assert.equal(b.on(), 'cell0');
    assert.deepEqual(b.attemptsSince(0), ['cell0']);
  });
});

describe('seed rule 5: prefer() orders available interfaces only; it never forces an unavailable one', function () {
  it('does not wait for a preferred interface that cannot come up', function () {
    var b = board({ mode: SEMI_AUTOMATIC, cell: { failReason: R_NO_SIM } });
    b.api.Cellular.prefer();
    b.api.Particle.connect();
    b.clock.advance(10000);
    assert.equal(b.on(), 'eth0');
    assert.equal(b.cell.state(), IF_FAILED);
    assert.equal(b.attemptsSince(0).indexOf('cell0'), -1);
    assert.ok(moves(b)[0].t <= 2100, 'connected at ' + moves(b)[0].t);
  });

  it('puts an available preferred interface first', function () {
    var b = board({ mode: SEMI_AUTOMATIC });
    b.api.WiFi.prefer();
    b.api.Particle.connect();
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0');
    assert.deepEqual(b.attemptsSince(0), ['wl0']);
  });
});

describe('seed rule 6: prefer() while connected changes nothing until the next evaluation', function () {
  it('keeps the session where it is, then honours the preference after a loss', function () {
    var b = board({ wifi: { rttMs: 40 } });
    b.clock.advance(5000);
    assert.equal(b.on(), 'eth0');
    b.api.WiFi.prefer();
    b.clock.advance(5 * 60000);
    assert.equal(b.on(), 'eth0');
    assert.equal(moves(b).length, 1);
    assert.equal(b.of('probe').length, 0);
    b.cloud.lose(R_NO_SERVER);
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0');
    assert.match(b.api.Network.why(), /wl0 is preferred/);
  });
});

describe('seed rule 7: one preference at a time', function () {
  it('WiFi.prefer() clears Cellular\'s; X.prefer(false) clears X only; Network.prefer() clears all', function () {
    var b = board();
    var A = b.api;
    A.Cellular.prefer();
    A.WiFi.prefer();
    assert.equal(A.Cellular.isPreferred(), false);
    assert.equal(A.WiFi.isPreferred(), true);
    A.Cellular.prefer(false);
    assert.equal(A.WiFi.isPreferred(), true, 'prefer(false) on another interface changes nothing');
    A.WiFi.prefer(false);
    assert.equal(A.WiFi.isPreferred(), false);
    A.Ethernet.prefer();
    A.Network.prefer();
    assert.equal(A.Ethernet.isPreferred(), false);
    assert.equal(A.Network.isPreferred(), true);
    assert.strictEqual(A.WiFi.prefer(), A.WiFi, 'prefer() returns the NetworkClass');
  });
});

describe('seed rule 8: isPreferred() per interface; Network.isPreferred() when none is preferred', function () {
  it('answers for each class', function () {
    var b = board();
    var A = b.api;
    assert.deepEqual([A.Network, A.Ethernet, A.WiFi, A.Cellular].map(function (n) { return n.isPreferred(); }), [true, false, false, false]);
    A.Ethernet.prefer();
    assert.deepEqual([A.Network, A.Ethernet, A.WiFi, A.Cellular].map(function (n) { return n.isPreferred(); }), [false, true, false, false]);
    A.Cellular.prefer(true);
    assert.deepEqual([A.Network, A.Ethernet, A.WiFi, A.Cellular].map(function (n) { return n.isPreferred(); }), [false, false, false, true]);
  });
});

describe('seed rule 9: Particle.connect(WiFi) uses Wi-Fi only; Particle.connect() returns to automatic', function () {
  it('never falls back while forced, and recovers at once when released', function () {
    var b = board({ mode: SEMI_AUTOMATIC });
    var A = b.api;
    A.Particle.connect(A.WiFi);
    b.clock.advance(5000);
    assert.equal(b.on(), 'wl0');
    assert.equal(b.eth.connects, 0, 'only Wi-Fi is brought up');
    b.wl.setLink(false);
    b.clock.advance(60000);
    assert.equal(b.on(), null);
    assert.equal(A.Particle.connected(), false);
    assert.deepEqual(b.attemptsSince(0), ['wl0']);
    assert.strictEqual(A.Particle.connectionInterface(), A.Network);
    var t = b.clock.now();
    A.Particle.connect();
    b.clock.advance(2000);
    assert.equal(b.on(), 'eth0');
    assert.ok(moves(b)[1].t - t <= 600, 'reconnected after ' + (moves(b)[1].t - t) + ' ms');
  });
});

describe('seed rule 10: connectionInterface() is the interface in use (Network when none)', function () {
  it('follows the session', function () {
    var b = board({ mode: SEMI_AUTOMATIC });
    var A = b.api;
    assert.strictEqual(A.Particle.connectionInterface(), A.Network);
    A.Particle.connect();
    b.clock.advance(2500);
    assert.strictEqual(A.Particle.connectionInterface(), A.Ethernet);
    b.eth.setLink(false);
    assert.strictEqual(A.Particle.connectionInterface(), A.Network, 'during the reconnect');
    b.clock.advance(3000);
    assert.strictEqual(A.Particle.connectionInterface(), A.WiFi);
    b.wl.setLink(false);
    b.clock.advance(3000);
    assert.strictEqual(A.Particle.connectionInterface(), A.Cellular);
  });
});

describe('seed rule 11: disconnect, waitFor(disconnected), connect forces a new evaluation', function () {
  it('probes again and moves to the better interface', function () {
    var b = board();
    var A = b.api;
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
    b.eth.o.rttMs = 300;
    var waited: boolean | null = null;
    A.Particle.disconnect();
    A.System.waitFor(A.Particle.disconnected, 10000, function (ok) {
      waited = ok;
      A.Particle.connect();
    });
    b.clock.advance(3000);
    assert.equal(waited, true);
    assert.equal(b.on(), 'wl0');
    assert.deepEqual(trail(b, 3000), [
      'cloud:' + CLOUD_STATUS_DISCONNECTING, 'cloud:' + CLOUD_STATUS_DISCONNECTED, 'cloud:' + CLOUD_STATUS_CONNECTING,
      'probe:eth0,wl0,cell0', 'moved:eth0>wl0(connect)', 'cloud:' + CLOUD_STATUS_CONNECTED
    ]);
    assert.equal(b.of('cloud_status').filter(function (e) { return e.v === CLOUD_STATUS_CONNECTING; })[1].t, 3000);
  });
});

describe('seed rule 12: Network.setServerInterfaces', function () {
  it('accepts generic and specific ids', function () {
    var b = board();
    b.api.Network.setServerInterfaces(['cell0', 'wifi']);
    assert.deepEqual(b.api.Network.getServerInterfaces(), ['cell', 'wifi']);
    assert.throws(function () { b.api.Network.setServerInterfaces(['lora']); }, TypeError);
  });

  it('removes duplicates', function () {
    var b = board();
    b.api.Network.setServerInterfaces(['wifi', 'wl0', 'wifi', 'cell', 'cell0']);
    assert.deepEqual(b.api.Network.getServerInterfaces(), ['wifi', 'cell']);
  });

  it('reads specific ids back as generic', function () {
    var b = board();
    b.api.Network.setServerInterfaces(['eth0', 'wl0', 'cell0']);
    assert.deepEqual(b.api.Network.getServerInterfaces(), ['ethernet', 'wifi', 'cell']);
  });

  it('ignores ids for hardware the board lacks', function () {
    var b = board({ cell: false });
    b.api.Network.setServerInterfaces(['cell', 'wifi']);
    assert.deepEqual(b.api.Network.getServerInterfaces(), ['wifi']);
  });

  it('continues in the default order after the list', function () {
    var b = board({ wifi: { rttMs: 5 } });
    b.clock.advance(3000);
    b.api.Network.setServerInterfaces(['cell']);
    b.cell.o.cloudRefuse = R_NOT_AUTHORISED;
    var t = b.clock.now();
    b.cloud.lose(R_NO_SERVER);
    b.clock.advance(20000);
    // cell0 first (the list), then Ethernet before the faster Wi-Fi (the default order)
    assert.deepEqual(b.attemptsSince(t), ['cell0', 'eth0']);
    assert.equal(b.on(), 'eth0');
  });

  it('an empty list restores the default order', function () {
    var b = board();
    b.api.Network.setServerInterfaces(['cell']);
    assert.notEqual(b.storage.read(SEQ_FILE), undefined);
    b.api.Network.setServerInterfaces([]);
    assert.deepEqual(b.api.Network.getServerInterfaces(), []);
    assert.equal(b.storage.read(SEQ_FILE), undefined);
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
  });

  it('survives a reboot', function () {
    var storage = new MemoryStorage();
    var first = board({ storage: storage, mode: SEMI_AUTOMATIC });
    first.api.System.enableFeature(FEATURE_ETHERNET_DETECTION);
    first.api.Network.setServerInterfaces(['wl0', 'cell']);
    first.api.stop();
    var b = board({ storage: storage, wifi: { connectMs: 800 } });
    assert.deepEqual(b.api.Network.getServerInterfaces(), ['wifi', 'cell']);
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0', 'Wi-Fi first even though Ethernet was ready earlier');
    assert.deepEqual(b.attemptsSince(0), ['wl0']);
  });

  it('a new list applies at the next connection and starts at its first entry', function () {
    var b = board();
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
    b.api.Network.setServerInterfaces(['cell', 'wifi']);
    b.clock.advance(60000);
    assert.equal(b.on(), 'eth0', 'no move while connected');
    b.cell.o.cloudRefuse = R_NOT_AUTHORISED;
    var t = b.clock.now();
    b.cloud.lose(R_NO_SERVER);
    var mgr = b.api.runtime().mgr;
    // cell0 refused; the manager now probes the rest of the round (Wi-Fi would be next on the list)
    assert.ok(b.clock.runUntil(function () { return b.attemptsSince(t).length === 1 && mgr.state() === CM_PROBING; }, 5000));
    b.api.Network.setServerInterfaces(['cell', 'ethernet']);
    b.clock.advance(20000);
    assert.deepEqual(b.attemptsSince(t), ['cell0', 'cell0', 'eth0'], 'restarted at the first entry, then the new list');
    assert.equal(b.on(), 'eth0');
  });

  it('System.clearConfiguration() clears it', function () {
    var b = board();
    b.api.Network.setServerInterfaces(['cell']);
    b.api.System.clearConfiguration();
    assert.deepEqual(b.api.Network.getServerInterfaces(), []);
    assert.equal(b.storage.read(SEQ_FILE), undefined);
  });

  it('an interface left out stays enabled', function () {
    var b = board();
    b.api.Network.setServerInterfaces(['wifi']);
    b.clock.advance(3000);
    assert.equal(b.on(), 'wl0');
    assert.equal(b.eth.state(), IF_READY);
    assert.equal(b.cell.state(), IF_READY);
    b.wl.setLink(false);
    b.clock.advance(3000);
    assert.equal(b.on(), 'eth0');
  });
});

describe('seed rule 13: Network.off() stays off; AUTOMATIC, SEMI_AUTOMATIC, MANUAL', function () {
  it('Network.off() after Particle.disconnect() stays off', function () {
    var b = board();
    b.clock.advance(3000);
    b.api.Particle.disconnect();
    b.api.Network.off();
    var t = b.clock.now();
    b.clock.advance(10 * 60000);
    assert.deepEqual([b.eth.state(), b.wl.state(), b.cell.state()], [IF_OFF, IF_OFF, IF_OFF]);
    assert.equal(b.api.Particle.connected(), false);
    assert.deepEqual(b.attemptsSince(t), []);
    assert.equal(b.api.Network.isOff(), true);
  });

  it('AUTOMATIC connects at boot', function () {
    var b = board({ mode: AUTOMATIC });
    b.clock.advance(1000);
    assert.equal(b.api.Particle.connected(), true);
    assert.equal(b.api.System.mode(), AUTOMATIC);
  });

  it('SEMI_AUTOMATIC connects only after Particle.connect()', function () {
    var b = board({ mode: SEMI_AUTOMATIC });
    b.clock.advance(60000);
    assert.equal(b.api.Particle.connected(), false);
    assert.deepEqual(b.cloud.attempts, []);
    assert.deepEqual([b.eth.state(), b.wl.state(), b.cell.state()], [IF_OFF, IF_OFF, IF_OFF]);
    b.api.Particle.connect();
    b.clock.advance(1000);
    assert.equal(b.on(), 'eth0');
  });

  it('MANUAL leaves the cloud loop to the sketch', function () {
    var b = board({ mode: MANUAL });
    b.clock.advance(60000);
    assert.deepEqual(b.cloud.attempts, []);
    b.api.Particle.connect();
    b.clock.advance(1000);
    assert.equal(b.on(), 'eth0');
    b.cloud.lose(R_NO_SERVER);
    var t = b.clock.now();
    b.clock.advance(60000);
    assert.equal(b.api.Particle.connected(), false);
    assert.deepEqual(b.attemptsSince(t), [], 'no reconnect by itself');
    b.api.Particle.connect();
    b.clock.advance(3000);
    assert.equal(b.api.Particle.connected(), true);
  });
});

describe('seed rule 14: listen timeout; static then DHCP configuration', function () {
  it('setListenTimeout really ends listening mode', function () {
    var b = board();
    var A = b.api;
    b.clock.advance(3000);
    A.WiFi.setListenTimeout(5);
    assert.equal(A.WiFi.getListenTimeout(), 5);
    A.WiFi.listen();
    assert.equal(A.WiFi.listening(), true);
    assert.equal(A.Particle.connected(), false, 'listening holds the cloud off');
    b.clock.advance(4999);
    assert.equal(A.Network.listening(), true);
    b.clock.advance(1);
    assert.equal(A.WiFi.listening(), false);
    assert.deepEqual(b.of('setup_begin').map(function (e) { return e.t; }), [3000]);
    assert.deepEqual(b.of('setup_end').map(function (e) { return e.t; }), [8000]);
    b.clock.advance(3000);
    assert.equal(A.Particle.connected(), true, 'the cloud comes back after listening');
  });

  it('setConfig static, then DHCP, round-trips', function () {
    var b = board();
    var A = b.api;
    var conf = new NetworkInterfaceConfig()
      .source(CONFIG_SOURCE_STATIC)
      .address('192.168.1.20', '255.255.255.0')
      .gateway('192.168.1.1')
      .dns('8.8.8.8');
    assert.equal(A.Ethernet.setConfig(conf), 0);
    var got = A.Ethernet.getConfig();
    assert.equal(got.source(), CONFIG_SOURCE_STATIC);
    assert.deepEqual([got.address(), got.netmask(), got.gateway(), got.dns()], ['192.168.1.20', '255.255.255.0', '192.168.1.1', '8.8.8.8']);
    assert.deepEqual(b.eth.ipConfig, { dhcp: false, ip: '192.168.1.20', netmask: '255.255.255.0', gateway: '192.168.1.1', dns: '8.8.8.8' });
    assert.equal(A.Ethernet.setConfig(new NetworkInterfaceConfig().source(CONFIG_SOURCE_DHCP)), 0);
    assert.equal(A.Ethernet.getConfig().source(), CONFIG_SOURCE_DHCP);
    assert.deepEqual(b.eth.ipConfig, { dhcp: true });
    assert.throws(function () { new NetworkInterfaceConfig().address('192.168.1', '255.255.255.0'); }, TypeError);
    assert.throws(function () { A.Ethernet.setConfig(new NetworkInterfaceConfig().source(CONFIG_SOURCE_STATIC)); }, TypeError);
  });
});
