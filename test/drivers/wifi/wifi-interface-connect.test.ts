import { strict as assert } from 'assert';
import { rig } from './rig';
import { IF_READY, IF_FAILED, IF_ON, IF_OFF, R_NO_LINK, R_NO_IP, R_NO_HARDWARE } from '../../../src/net/types';
import { WifiInterface } from '../../../src/drivers/wifi/wifi-interface';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { MemoryStorage } from '../../../hal/host/memory-storage';
import { SimNicSockets } from '../../../hal/host/sim-nic-sockets';

const HOME = { ssid: 'home', password: 'password1', rssi: -50, lease: '192.168.1.50' };
const OFFICE = { ssid: 'office', password: 'password2', rssi: -75, lease: '192.168.2.50' };

describe('WifiInterface: connecting', () => {
  it('joins a stored network: associated, then ready with address, mac and rssi', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    assert.equal(t.wl.configured(), true);
    t.wl.connect();
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
    assert.deepEqual(t.states, ['powering_on', 'on', 'connecting', 'ready']);
    assert.deepEqual(t.events.filter((e) => e[0] !== 'info').map((e) => e[0] + ':' + e[1]), ['link:true', 'associated:home']);
    const i = t.wl.info();
    assert.equal(i.ip, '192.168.1.50');
    assert.equal(i.netmask, '255.255.255.0');
    assert.equal(i.gateway, '192.168.1.1');
    assert.equal(i.dns, '192.168.1.1');
    assert.equal(i.mac, '24:0a:c4:00:00:01');
    assert.equal(i.rssi, -50);
  });

  it('reports the live RSSI in info()', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    t.clock.runUntil(() => t.wl.state() === IF_READY, 30000);
    t.air.aps[0].rssi = -67;
    assert.equal(t.wl.info().rssi, -67);
    assert.equal(t.wl.rssi(), -67);
  });

  it('joins the strongest available stored network', () => {
    const t = rig([OFFICE, HOME, { ssid: 'stranger', password: 'x', rssi: -30 }]);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.setCredentials({ ssid: 'office', password: 'password2' });
    t.wl.setCredentials({ ssid: 'absent', password: 'password3' });
    t.wl.connect();
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
    assert.deepEqual(t.air.attempts.map((a) => a.ssid), ['home']);
    assert.equal(t.wl.info().ip, '192.168.1.50');
  });

  it('falls back to the next network when the strongest fails', () => {
    const t = rig([HOME, OFFICE]);
    t.wl.setCredentials({ ssid: 'home', password: 'outdated-pw' });
    t.wl.setCredentials({ ssid: 'office', password: 'password2' });
    t.wl.connect();
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
    assert.deepEqual(t.air.attempts.map((a) => a.ssid), ['home', 'office']);
    assert.equal(t.wl.info().ip, '192.168.2.50');
    assert.deepEqual(t.events.filter((e) => e[0] === 'disconnected').map((e) => e[1].ssid), ['home']);
  });

  it('credentials survive a reboot: a new interface over the same Storage joins', () => {
    const storage = new MemoryStorage();
    const before = rig([HOME], { storage });
    before.wl.setCredentials({ ssid: 'home', password: 'password1' });
    const after = rig([HOME], { storage });
    assert.equal(after.wl.configured(), true);
    assert.deepEqual(after.wl.getCredentials(), [{ ssid: 'home', security: 'wpa2', hidden: false }]);
    after.wl.connect();
    assert.ok(after.clock.runUntil(() => after.wl.state() === IF_READY, 30000));
  });

  it('fails with no_link when no stored network is in range', () => {
    const t = rig([OFFICE]);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    t.clock.runUntil(() => t.wl.state() === IF_FAILED, 30000);
    assert.equal(t.wl.reason(), R_NO_LINK);
    assert.equal(t.air.attempts.length, 0);
  });

  it('tries a hidden network even when the scan does not show it', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'password1', hidden: true });
    t.air.scan = () => [];
    t.wl.connect();
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
  });

  it('fails with no_ip when DHCP never answers', () => {
    const t = rig([Object.assign({}, HOME, { dhcpMs: null })], { ipTimeoutMs: 10000 });
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    t.clock.runUntil(() => t.wl.state() === IF_FAILED, 60000);
    assert.equal(t.wl.reason(), R_NO_IP);
    assert.deepEqual(t.events.filter((e) => e[0] === 'link').map((e) => e[1]), [true, false]);
    assert.equal(t.air.nic, null, 'the station left the AP');
  });

  it('fails with no_link and no attempt when no credentials are stored', () => {
    const t = rig([HOME]);
    assert.equal(t.wl.configured(), false);
    t.wl.connect();
    t.clock.advance(60000);
    assert.equal(t.wl.state(), IF_FAILED);
    assert.equal(t.wl.reason(), R_NO_LINK);
    assert.equal(t.air.scans + t.air.attempts.length, 0);
  });

  it('fails with no_hardware when the board has no radio', () => {
    const clock = new VirtualClock();
    const wl = new WifiInterface({ radio: null, sockets: new SimNicSockets({ nic: () => null, clock }), clock, storage: new MemoryStorage() });
    wl.connect();
    assert.equal(wl.state(), IF_FAILED);
    assert.equal(wl.reason(), R_NO_HARDWARE);
  });

  it('disconnect leaves the AP and returns to on; off powers down', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    t.clock.runUntil(() => t.wl.state() === IF_READY, 30000);
    t.wl.disconnect();
    t.clock.advance(10);
    assert.equal(t.wl.state(), IF_ON);
    assert.equal(t.air.nic, null);
    assert.equal(t.wl.info().ip, '0.0.0.0');
    t.clock.advance(60000);
    assert.equal(t.air.attempts.length, 1, 'no rejoin after a requested disconnect');
    t.wl.off();
    assert.equal(t.wl.state(), IF_OFF);
  });

  it('never puts the password in logs or events', () => {
    const t = rig([HOME]);
    t.wl.setCredentials({ ssid: 'home', password: 'outdated-pw' });
    t.wl.connect();
    t.clock.advance(120000);
    t.wl.setCredentials({ ssid: 'home', password: 'password1' });
    t.wl.connect();
    t.clock.advance(120000);
    assert.ok(t.logs.length > 5);
    const all = t.logs.join('\n') + JSON.stringify(t.events) + JSON.stringify(t.wl.getCredentials());
    assert.ok(!all.includes('outdated-pw') && !all.includes('password1'));
  });
});
