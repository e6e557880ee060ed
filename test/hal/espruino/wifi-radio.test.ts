import { strict as assert } from 'assert';
import { EspruinoWifiRadio, stationStatus } from '../../../hal/espruino/wifi-radio';

/** A stand-in for Espruino's ESP32 `require("Wifi")`, recording calls and firing events on demand. */
function fakeWifi() {
  const handlers: { [ev: string]: (d: any) => void } = {};
  const calls: any[] = [];
  const w: any = {
    status: { station: 'Unknown reason', mode: 'STA' } as any,
    on: (ev: string, fn: (d: any) => void) => (handlers[ev] = fn),
    connect: (ssid: string, opts: any, cb?: any) => calls.push(['connect', ssid, opts, cb]),
    disconnect: (cb: () => void) => {
      calls.push(['disconnect']);
      cb();
    },
    scan: (cb: (l: any[]) => void) => cb([{ ssid: 'home', mac: 'aa', authMode: 'wpa2', channel: '6', rssi: -60 }]),
    getStatus: () => w.status,
    getIP: () => ({ ip: '192.168.1.9', netmask: '255.255.255.0', gw: '192.168.1.1', mac: '24:0a:c4:11:22:33' }),
    getDetails: () => ({ status: 'connected', password: 'never-read' }),
    setIP: (s: any, cb: (e: string | null) => void) => {
      calls.push(['setIP', s]);
      cb('Failure'); // the ESP32 build passes "Failure" on success (inverted)
    },
  };
  return { w, handlers, calls };
}

describe('EspruinoWifiRadio', () => {
  it('reports the radio absent instead of throwing when require("Wifi") fails', () => {
    const r = new EspruinoWifiRadio();
    assert.equal(r.present, false);
    let err: string | null = null;
    r.connect('x', {}, (e) => (err = e));
    assert.equal(err, 'no wifi');
    assert.equal(r.getStatus().station, 'off');
    assert.equal(r.getRssi(), undefined);
    let aps: any = null;
    r.scan((l) => (aps = l));
    assert.deepEqual(aps, []);
  });

  it('relays Espruino events to the one receiver', () => {
    const f = fakeWifi();
    const r = new EspruinoWifiRadio(f.w);
    const got: any[] = [];
    r.onEvent((e, d) => got.push([e, d && d.reason]));
    f.handlers.associated({ ssid: 'home' });
    f.handlers.disconnected({ ssid: 'home', reason: '202', msg: 'AUTH_FAIL' });
    assert.deepEqual(got, [['associated', undefined], ['disconnected', '202']]);
  });

  it('starts a join without Espruino callback and says connecting until a result', () => {
    const f = fakeWifi();
    const r = new EspruinoWifiRadio(f.w);
    let err: any = 'unset';
    r.connect('home', { password: 'password1' }, (e) => (err = e));
    assert.equal(err, null);
    assert.deepEqual(f.calls[0].slice(0, 3), ['connect', 'home', { password: 'password1' }]);
    assert.equal(f.calls[0][3], undefined);
    assert.equal(r.getStatus().station, 'connecting');
    f.w.status = { station: 'AUTH_FAIL' };
    f.handlers.disconnected({ reason: '202' });
    assert.equal(r.getStatus().station, 'wrong_password');
  });

  it('maps the ESP32 scan list (channel as a string) to numbers', () => {
    const r = new EspruinoWifiRadio(fakeWifi().w);
    let aps: any[] = [];
    r.scan((l) => (aps = l));
    assert.deepEqual(aps, [{ ssid: 'home', mac: 'aa', authMode: 'wpa2', channel: 6, rssi: -60 }]);
  });

  it('reads the RSSI from getStatus while connected', () => {
    const f = fakeWifi();
    const r = new EspruinoWifiRadio(f.w);
    assert.equal(r.getRssi(), undefined);
    f.w.status = { station: 'connected', rssi: -63 };
    assert.equal(r.getRssi(), -63);
  });

  it('sets a static address and ignores the inverted callback argument', () => {
    const f = fakeWifi();
    const r = new EspruinoWifiRadio(f.w);
    let err: any = 'unset';
    r.setIP({ ip: '192.168.1.77', netmask: '255.255.255.0', gw: '192.168.1.1' }, (e) => (err = e));
    assert.equal(err, null);
    assert.deepEqual(f.calls[0], ['setIP', { ip: '192.168.1.77', netmask: '255.255.255.0', gw: '192.168.1.1' }]);
  });

  it('maps station statuses of the ESP32 and ESP8266 to the HAL names', () => {
    assert.equal(stationStatus('connected'), 'connected');
    assert.equal(stationStatus('AUTH_FAIL'), 'wrong_password');
    assert.equal(stationStatus('4WAY_HANDSHAKE_TIMEOUT'), 'wrong_password');
    assert.equal(stationStatus('NO_AP_FOUND'), 'no_ap_found');
    assert.equal(stationStatus('BEACON_TIMEOUT'), 'connect_fail');
    assert.equal(stationStatus('Unknown reason'), 'off');
    assert.equal(stationStatus('wrong_password'), 'wrong_password');
    assert.equal(stationStatus(undefined), 'off');
  });
});
