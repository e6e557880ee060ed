import { strict as assert } from 'assert';
import { rig } from './rig';
import { IF_READY, E_OK, E_DNS, E_NETDOWN, E_REFUSED } from '../../../src/net/types';
import { ECHO_IP, ECHO_NAME, ECHO_PORT } from './fake-airspace';
import { MemoryStorage } from '../../../hal/host/memory-storage';

const HOME = { ssid: 'home', password: 'password1', rssi: -50, lease: '192.168.1.50' };

function ready(opts?: any) {
  const t = rig([HOME], opts);
  t.wl.setCredentials({ ssid: 'home', password: 'password1' });
  t.wl.connect();
  assert.ok(t.clock.runUntil(() => t.wl.state() === IF_READY, 30000));
  return t;
}

describe('WifiInterface: sockets, DNS, scan and address configuration', () => {
  it('echoes UDP over Wi-Fi and counts the bytes', () => {
    const t = ready();
    const c0 = Object.assign({}, t.wl.counters());
    const got: string[] = [];
    const u = t.wl.udp({ onMessage: (d, h, p) => got.push(h + ':' + p + ' ' + d) })!;
    assert.equal(u.send('ping\x00\xff', ECHO_IP, ECHO_PORT), true);
    t.clock.advance(200);
    assert.deepEqual(got, [ECHO_IP + ':' + ECHO_PORT + ' ping\x00\xff']);
    assert.equal(t.wl.counters().tx - c0.tx, 6);
    assert.equal(t.wl.counters().rx - c0.rx, 6);
  });

  it('echoes TCP over Wi-Fi to a host name and closes normally', () => {
    const t = ready();
    const log: string[] = [];
    const s = t.wl.tcp({
      host: ECHO_NAME, port: ECHO_PORT,
      onConnect: () => {
        log.push('connect');
        s.write('hello');
      },
      onData: (d) => {
        log.push('data ' + d);
        s.close();
      },
      onClose: (e) => log.push('close ' + e),
    })!;
    t.clock.advance(1000);
    assert.deepEqual(log, ['connect', 'data hello', 'close ' + E_OK]);
  });

  it('reports a refused TCP connect', () => {
    const t = ready();
    let err = -1;
    t.wl.tcp({ host: ECHO_IP, port: 9, onClose: (e) => (err = e) });
    t.clock.advance(1000);
    assert.equal(err, E_REFUSED);
  });

  it('refuses sockets and resolves nothing when not ready', () => {
    const t = rig([HOME]);
    assert.equal(t.wl.tcp({ host: ECHO_IP, port: ECHO_PORT }), null);
    assert.equal(t.wl.udp({}), null);
    let r: any = null;
    t.wl.resolve(ECHO_NAME, (e, ip) => (r = [e, ip]));
    t.clock.advance(10);
    assert.deepEqual(r, [E_NETDOWN, '']);
  });

  it('resolves names through the native resolver and dotted quads to themselves', () => {
    const t = ready();
    const got: any[] = [];
    t.wl.resolve(ECHO_NAME, (e, ip) => got.push([e, ip]));
    t.wl.resolve('1.2.3.4', (e, ip) => got.push([e, ip]));
    t.wl.resolve('nowhere.test', (e, ip) => got.push([e, ip]));
    t.clock.advance(500);
    assert.deepEqual(got.sort(), [[E_OK, '1.2.3.4'], [E_OK, ECHO_IP], [E_DNS, '']].sort());
  });

  it('passes a name through when the sockets have no resolver', () => {
    const t = ready();
    (t.sockets as any).resolve = undefined;
    let r: any = null;
    t.wl.resolve(ECHO_NAME, (e, ip) => (r = [e, ip]));
    t.clock.advance(10);
    assert.deepEqual(r, [E_OK, ECHO_NAME]);
  });

  it('limits the number of open sockets', () => {
    const t = ready({ maxSockets: 2 });
    assert.ok(t.wl.udp({}));
    assert.ok(t.wl.udp({}));
    assert.equal(t.wl.udp({}), null);
  });

  it('scans: the visible access points with their RSSI', () => {
    const t = rig([HOME, { ssid: 'other', password: 'password9', rssi: -80 }]);
    let aps: any[] = [];
    t.wl.scan((l) => (aps = l));
    t.clock.advance(5000);
    assert.deepEqual(aps.map((a) => a.ssid + ' ' + a.rssi), ['home -50', 'other -80']);
  });

  it('uses a static address set with setConfig, kept across a reboot', () => {
    const storage = new MemoryStorage();
    const cfg = { ip: '192.168.1.77', netmask: '255.255.255.0', gateway: '192.168.1.254', dns: '9.9.9.9' };
    rig([HOME], { storage }).wl.setConfig(cfg);
    const t = ready({ storage });
    assert.deepEqual(t.wl.getConfig(), Object.assign({ dhcp: false }, cfg));
    const i = t.wl.info();
    assert.deepEqual([i.ip, i.netmask, i.gateway, i.dns], [cfg.ip, cfg.netmask, cfg.gateway, cfg.dns]);
    assert.equal(t.radio.nic()!.address(), '192.168.1.77');
  });

  it('goes back to DHCP with setConfig({dhcp: true})', () => {
    const storage = new MemoryStorage();
    const a = rig([HOME], { storage });
    a.wl.setConfig({ ip: '192.168.1.77', netmask: '255.255.255.0', gateway: '192.168.1.1' });
    assert.equal(a.wl.getConfig().dns, '192.168.1.1', 'dns defaults to the gateway');
    a.wl.setConfig({ dhcp: true });
    assert.deepEqual(a.wl.getConfig(), { dhcp: true });
    const t = ready({ storage });
    assert.equal(t.wl.info().ip, '192.168.1.50');
  });

  it('rejects a malformed static address with a TypeError', () => {
    const t = rig([HOME]);
    assert.throws(() => t.wl.setConfig({ ip: '192.168.1', netmask: '255.255.255.0', gateway: '192.168.1.1' }), TypeError);
    assert.throws(() => t.wl.setConfig({ ip: '192.168.1.5', netmask: '255.255.255.0' } as any), TypeError);
    assert.deepEqual(t.wl.getConfig(), { dhcp: true });
  });
});
