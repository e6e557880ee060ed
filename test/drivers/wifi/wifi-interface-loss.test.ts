import { strict as assert } from 'assert';
import { rig } from './rig';
import { IF_READY, IF_FAILED, IF_CONNECTING, R_NO_LINK, E_NETDOWN } from '../../../src/net/types';
import { ECHO_IP, ECHO_PORT } from './fake-airspace';

const HOME = { ssid: 'home', password: 'password1', rssi: -50, lease: '192.168.1.50' };
const OFFICE = { ssid: 'office', password: 'password2', rssi: -80, lease: '192.168.2.50' };

function ready(aps: any[], opts?: any) {
  const t = rig(aps, opts);
  t.wl.setCredentials({ ssid: 'home', password: 'password1' });
  t.wl.connect();
  assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
  t.events.length = 0;
  t.states.length = 0;
  return t;
}

describe('WifiInterface: the access point disappearing', () => {
  it('emits disconnected and link false, and goes back to connecting', () => {
    const t = ready([HOME]);
    t.air.removeAp('home');
    t.clock.advance(1);
    assert.deepEqual(t.events.filter((e) => e[0] === 'link').map((e) => e[1]), [false]);
    const d = t.events.find((e) => e[0] === 'disconnected')!;
    assert.equal(d[1].ssid, 'home');
    assert.equal(d[1].reason, R_NO_LINK);
    assert.equal(t.wl.state(), IF_CONNECTING);
    assert.equal(t.wl.info().ip, '0.0.0.0');
  });

  it('closes open sockets with E_NETDOWN', () => {
    const t = ready([HOME]);
    const closes: number[] = [];
    t.wl.tcp({ host: ECHO_IP, port: ECHO_PORT, onClose: (e) => closes.push(e) });
    t.wl.udp({ onClose: (e) => closes.push(e) });
    t.clock.advance(100);
    t.air.removeAp('home');
    t.clock.advance(1);
    assert.deepEqual(closes, [E_NETDOWN, E_NETDOWN]);
    assert.equal(t.wl.tcp({ host: ECHO_IP, port: ECHO_PORT }), null, 'no sockets while not ready');
  });

  it('rejoins on a bounded schedule and stays failed with no_link when the AP stays away', () => {
    const t = ready([HOME], { maxRounds: 4 });
    const scans0 = t.air.scans;
    t.air.removeAp('home');
    t.clock.advance(30 * 60 * 1000);
    assert.equal(t.air.scans - scans0, 4, 'one scan per rejoin round');
    assert.equal(t.wl.state(), IF_FAILED);
    assert.equal(t.wl.reason(), R_NO_LINK);
  });

  it('rejoins when the AP comes back within the schedule', () => {
    const t = ready([HOME]);
    t.air.removeAp('home');
    t.clock.advance(8000);
    assert.notEqual(t.wl.state(), IF_READY);
    t.air.addAp(Object.assign({}, HOME));
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 120000));
  });

  it('rejoins another stored network that is in range', () => {
    const t = ready([HOME, OFFICE]);
    t.wl.setCredentials({ ssid: 'office', password: 'password2' });
    t.air.removeAp('home');
    t.clock.advance(1);
    assert.equal(t.wl.state(), IF_CONNECTING);
    assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
    assert.equal(t.wl.info().ip, '192.168.2.50');
  });
});
