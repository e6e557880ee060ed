import { strict as assert } from 'assert';
import { WifiInterface } from '../../../src/drivers/wifi/wifi-interface';
import { WifiRadio } from '../../../hal/wifi-radio';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { MemoryStorage } from '../../../hal/host/memory-storage';
import { SimNicSockets } from '../../../hal/host/sim-nic-sockets';
import { IF_FAILED, IF_OFF, IF_READY, R_NO_LINK, R_NO_IP } from '../../../src/net/types';
import { rig } from './rig';

/** A radio that accepts every call and never answers (a hung Wi-Fi stack), with call counters. */
function silentRadio() {
  const calls = { connect: [] as string[], scan: 0, disconnect: 0 };
  let cb: ((e: string, d: any) => void) | null = null;
  const radio: WifiRadio = {
    connect: (ssid) => calls.connect.push(ssid),
    disconnect: () => calls.disconnect++,
    scan: () => calls.scan++,
    getStatus: () => ({ station: 'connecting' }),
    getIP: () => ({ ip: '0.0.0.0', netmask: '0.0.0.0', gw: '0.0.0.0', mac: '' }),
    setIP: () => {},
    getRssi: () => undefined,
    onEvent: (f) => (cb = f),
  };
  return { radio, calls, fire: (e: string, d: any) => cb && cb(e, d) };
}

function make(radio: WifiRadio) {
  const clock = new VirtualClock();
  const storage = new MemoryStorage();
  const wl = new WifiInterface({ radio, clock, storage, sockets: new SimNicSockets({ nic: () => null, clock }), maxRounds: 2 });
  return { clock, wl };
}

describe('WifiInterface: a radio that never answers', () => {
  it('times out the scan, tries every stored network, times out each join and ends failed', () => {
    const s = silentRadio();
    const { clock, wl } = make(s.radio);
    wl.setCredentials({ ssid: 'a', password: 'password1' });
    wl.setCredentials({ ssid: 'b', password: 'password2' });
    wl.connect();
    clock.advance(10 * 60 * 1000);
    assert.equal(wl.state(), IF_FAILED);
    assert.equal(wl.reason(), R_NO_LINK);
    assert.deepEqual(s.calls.connect, ['b', 'a', 'b', 'a'], 'stored order (most recent first), two rounds');
    assert.equal(s.calls.scan, 2);
    assert.equal(clock.pending(), 0);
  });

  it('fails a candidate with no_ip when the address never comes after association', () => {
    const s = silentRadio();
    const { clock, wl } = make(s.radio);
    wl.setCredentials({ ssid: 'a', password: 'password1' });
    wl.connect();
    clock.advance(10001); // scan timeout
    s.fire('associated', { ssid: 'a' });
    clock.advance(14999);
    assert.notEqual(wl.state(), IF_FAILED);
    clock.advance(2);
    assert.equal(wl.state(), IF_FAILED);
    assert.equal(wl.reason(), R_NO_IP);
    assert.equal(s.calls.disconnect, 1, 'left the AP');
  });

  it('ignores a late disconnect about another network', () => {
    const s = silentRadio();
    const { clock, wl } = make(s.radio);
    wl.setCredentials({ ssid: 'a', password: 'password1' });
    wl.connect();
    clock.advance(10001);
    s.fire('disconnected', { ssid: 'old', reason: '202' });
    s.fire('associated', { ssid: 'a' });
    s.fire('connected', { ip: '10.1.1.5', netmask: '255.255.255.0', gw: '10.1.1.1' });
    assert.equal(wl.state(), IF_READY);
    assert.equal(wl.info().ip, '10.1.1.5');
  });

  it('off() while joining stops every timer and attempt', () => {
    const t = rig([{ ssid: 'home', password: 'password1', rssi: -50 }]);
    t.wl.setCredentials({ ssid: 'home', password: 'wrong-pass' });
    t.wl.connect();
    t.clock.advance(1500);
    t.wl.off();
    const n = t.air.attempts.length;
    t.clock.advance(10 * 60 * 1000);
    assert.equal(t.wl.state(), IF_OFF);
    assert.equal(t.air.attempts.length, n);
  });
});
