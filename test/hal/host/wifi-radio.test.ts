import { strict as assert } from 'assert';
import { HostWifiRadio } from '../../../hal/host/wifi-radio';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { FakeAirspace } from '../../drivers/wifi/fake-airspace';

function setup() {
  const clock = new VirtualClock();
  const air = new FakeAirspace(clock, [
    { ssid: 'home', password: 'password1', rssi: -55, lease: '192.168.1.50' },
    { ssid: 'office', password: 'password2', rssi: -70 },
  ]);
  const radio = new HostWifiRadio({ airspace: air, clock, scanMs: 1000 });
  const events: Array<[string, any]> = [];
  radio.onEvent((e, d) => events.push([e, d]));
  return { clock, air, radio, events };
}

describe('HostWifiRadio', () => {
  it('scans the airspace after the scan time', () => {
    const { clock, radio } = setup();
    let got: any[] | null = null;
    radio.scan((aps) => (got = aps));
    clock.advance(999);
    assert.equal(got, null);
    clock.advance(1);
    assert.deepEqual(got!.map((a) => a.ssid + a.rssi), ['home-55', 'office-70']);
  });

  it('reports associated, then connected with the lease, as Espruino does', () => {
    const { clock, radio, events } = setup();
    radio.connect('home', { password: 'password1' }, () => {});
    assert.equal(radio.getStatus().station, 'connecting');
    clock.advance(900);
    assert.deepEqual(events.map((e) => e[0]), ['associated']);
    assert.equal(events[0][1].ssid, 'home');
    assert.equal(radio.getStatus().station, 'connected');
    clock.advance(2000);
    assert.deepEqual(events[1], ['connected', { ip: '192.168.1.50', netmask: '255.255.255.0', gw: '192.168.1.1' }]);
    assert.equal(radio.getIP().ip, '192.168.1.50');
    assert.equal(radio.getRssi(), -55);
  });

  it('reports a wrong password as disconnected with AUTH_FAIL', () => {
    const { clock, radio, events } = setup();
    radio.connect('home', { password: 'nope-nope' }, () => {});
    clock.advance(1000);
    assert.equal(events.length, 1);
    assert.equal(events[0][0], 'disconnected');
    assert.equal(events[0][1].reason, '202');
    assert.equal(events[0][1].msg, 'AUTH_FAIL');
    assert.equal(radio.getStatus().station, 'wrong_password');
    assert.equal(radio.nic(), null);
  });

  it('reports a missing access point as NO_AP_FOUND', () => {
    const { clock, radio, events } = setup();
    radio.connect('nowhere', { password: 'password1' }, () => {});
    clock.advance(5000);
    assert.equal(events[0][1].reason, '201');
    assert.equal(radio.getStatus().station, 'no_ap_found');
  });

  it('reports the access point going away as disconnected and drops the NIC', () => {
    const { clock, air, radio, events } = setup();
    radio.connect('home', { password: 'password1' }, () => {});
    clock.advance(3000);
    air.removeAp('home');
    clock.advance(1);
    const last = events[events.length - 1];
    assert.equal(last[0], 'disconnected');
    assert.equal(last[1].reason, '200');
    assert.equal(radio.nic(), null);
    assert.equal(radio.getRssi(), undefined);
    assert.notEqual(radio.getStatus().station, 'connected');
  });

  it('uses a static address instead of the lease', () => {
    const { clock, radio, events } = setup();
    radio.setIP({ ip: '192.168.1.77', netmask: '255.255.255.0', gw: '192.168.1.254' });
    radio.connect('home', { password: 'password1' }, () => {});
    clock.advance(5000);
    const conn = events.filter((e) => e[0] === 'connected');
    assert.deepEqual(conn.map((e) => e[1].ip), ['192.168.1.77']);
    assert.equal(conn[0][1].gw, '192.168.1.254');
    assert.equal(radio.nic()!.address(), '192.168.1.77');
  });

  it('reports its own disconnect as ASSOC_LEAVE and calls back', () => {
    const { clock, air, radio, events } = setup();
    radio.connect('home', { password: 'password1' }, () => {});
    clock.advance(3000);
    let done = false;
    radio.disconnect(() => (done = true));
    clock.advance(1);
    assert.equal(done, true);
    assert.equal(events[events.length - 1][1].reason, '8');
    assert.equal(air.nic, null);
    assert.equal(radio.getStatus().station, 'off');
  });

  it('drops a join abandoned by disconnect', () => {
    const { clock, radio, events } = setup();
    radio.connect('home', { password: 'password1' }, () => {});
    radio.disconnect();
    clock.advance(5000);
    assert.equal(events.filter((e) => e[0] === 'associated').length, 0);
    assert.equal(radio.nic(), null);
  });
});
