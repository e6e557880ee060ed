import { strict as assert } from 'assert';
import { WifiCredentials, WIFI_CRED_FILE, WIFI_CRED_MAX } from '../../../src/drivers/wifi/credentials';
import { MemoryStorage } from '../../../hal/host/memory-storage';
import { STORAGE_NAME_MAX } from '../../../hal/storage';
import { Log } from '../../../hal/log';

function recLog(lines: string[]): Log {
  return { log: (_l, tag, msg) => lines.push(tag + ' ' + msg) };
}

describe('WifiCredentials', () => {
  it('stores a network and reports it without the password', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    assert.equal(c.hasCredentials(), false);
    assert.equal(c.setCredentials({ ssid: 'home', password: 'secret-pass' }), true);
    assert.equal(c.hasCredentials(), true);
    assert.deepEqual(c.getCredentials(), [{ ssid: 'home', security: 'wpa2', hidden: false }]);
    assert.ok(!JSON.stringify(c.getCredentials()).includes('secret-pass'));
  });

  it('survives a reboot: a new store over the same Storage sees the networks', () => {
    const st = new MemoryStorage();
    new WifiCredentials({ storage: st }).setCredentials({ ssid: 'home', password: 'secret-pass', security: 'wpa2' });
    const after = new WifiCredentials({ storage: st });
    assert.deepEqual(after.getCredentials().map((x) => x.ssid), ['home']);
    assert.equal(after.entries()[0].p, 'secret-pass');
  });

  it('uses a Storage name Espruino accepts', () => {
    assert.ok(WIFI_CRED_FILE.length <= STORAGE_NAME_MAX);
  });

  it('replaces a network with the same SSID', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    c.setCredentials({ ssid: 'a', password: 'password1' });
    c.setCredentials({ ssid: 'b', password: 'password2' });
    c.setCredentials({ ssid: 'a', password: 'password3', security: 'wpa_wpa2' });
    assert.deepEqual(c.getCredentials().map((x) => x.ssid + ':' + x.security), ['a:wpa_wpa2', 'b:wpa2']);
    assert.equal(c.entries()[0].p, 'password3');
  });

  it('keeps at most N networks, dropping the oldest', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    for (let i = 0; i < WIFI_CRED_MAX + 2; i++) c.setCredentials({ ssid: 'net' + i, password: 'password' + i });
    const names = c.getCredentials().map((x) => x.ssid);
    assert.equal(names.length, WIFI_CRED_MAX);
    assert.ok(!names.includes('net0') && !names.includes('net1'));
    assert.equal(names[0], 'net' + (WIFI_CRED_MAX + 1));
  });

  it('clears every network', () => {
    const st = new MemoryStorage();
    const c = new WifiCredentials({ storage: st });
    c.setCredentials({ ssid: 'a', password: 'password1' });
    c.clearCredentials();
    assert.equal(c.hasCredentials(), false);
    assert.equal(st.read(WIFI_CRED_FILE), undefined);
  });

  it('throws a TypeError for a missing ssid', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    assert.throws(() => c.setCredentials({} as any), TypeError);
    assert.throws(() => c.setCredentials({ ssid: '' }), TypeError);
    assert.throws(() => c.setCredentials(undefined as any), TypeError);
  });

  it('throws a TypeError for too long strings', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    assert.throws(() => c.setCredentials({ ssid: 'x'.repeat(33), password: 'password1' }), TypeError);
    assert.throws(() => c.setCredentials({ ssid: 'x', password: 'p'.repeat(65) }), TypeError);
  });

  it('throws a TypeError for an unknown security or a key that does not fit it', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    assert.throws(() => c.setCredentials({ ssid: 'x', password: 'password1', security: 'wpa9' }), TypeError);
    assert.throws(() => c.setCredentials({ ssid: 'x', password: 'short', security: 'wpa2' }), TypeError);
    assert.throws(() => c.setCredentials({ ssid: 'x', password: 'password1', security: 'open' }), TypeError);
    assert.throws(() => c.setCredentials({ ssid: 'x', password: 'abcdefg', security: 'wep' }), TypeError);
    assert.equal(c.hasCredentials(), false);
  });

  it('accepts an open network and a 13-character WEP key', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    assert.equal(c.setCredentials({ ssid: 'cafe' }), true);
    assert.equal(c.setCredentials({ ssid: 'old', password: '1234567890abc', security: 'WEP' }), true);
    assert.deepEqual(c.getCredentials().map((x) => x.security), ['wep', 'open']);
  });

  it('returns false when Storage refuses the write', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage(10) });
    assert.equal(c.setCredentials({ ssid: 'home', password: 'secret-pass' }), false);
    assert.equal(c.hasCredentials(), false);
  });

  it('never writes the password to the log', () => {
    const lines: string[] = [];
    const c = new WifiCredentials({ storage: new MemoryStorage(), log: recLog(lines) });
    c.setCredentials({ ssid: 'home', password: 'secret-pass' });
    c.clearCredentials();
    assert.ok(lines.length >= 2);
    assert.ok(lines.every((l) => !l.includes('secret-pass')));
  });

  it('keeps the hidden flag', () => {
    const c = new WifiCredentials({ storage: new MemoryStorage() });
    c.setCredentials({ ssid: 'ghost', password: 'password1', hidden: true });
    assert.equal(c.getCredentials()[0].hidden, true);
  });
});
