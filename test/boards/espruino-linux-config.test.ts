import { strict as assert } from 'assert';
import { mergeConfig, defaultDeviceId, describeConfig, LINUX_DEFAULTS, CELL_DEFAULTS } from '../../boards/espruino-linux/config';
import { hexToIp, parseRoutes, defaultRoute, parseLocalAddresses, parseNameserver, readHostNet } from '../../boards/espruino-linux/host-net';

/** /proc/net/route of a Pi with Ethernet (metric 100) and Wi-Fi (metric 600), plus a down route. */
var ROUTE = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'wlan0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
  'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
  'usb0\t00000000\t01010A0A\t0002\t0\t0\t50\t00000000\t0\t0\t0',
  'eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
  'wlan0\t0000A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0',
  '',
].join('\n');

/** The local part of /proc/net/fib_trie for the same host. */
var FIB = [
  'Main:',
  '  +-- 0.0.0.0/0 3 0 5',
  '     |-- 0.0.0.0',
  '        /0 universe UNICAST',
  '     +-- 127.0.0.0/8 2 0 2',
  '        |-- 127.0.0.1',
  '           /32 host LOCAL',
  '     +-- 192.168.0.0/23 2 0 2',
  '        |-- 192.168.0.42',
  '           /32 host LOCAL',
  '        |-- 192.168.1.0',
  '           /24 link UNICAST',
  '        |-- 192.168.1.17',
  '           /32 host LOCAL',
  '        |-- 192.168.1.255',
  '           /32 link BROADCAST',
  'Local:',
  '        |-- 192.168.1.17',
  '           /32 host LOCAL',
].join('\n');

function files(map: { [p: string]: string }): (p: string) => string | undefined {
  return function (p) {
    return map[p];
  };
}

describe('espruino-linux host network', function () {
  it('reads /proc/net/route addresses as little-endian hex', function () {
    assert.equal(hexToIp('0101A8C0'), '192.168.1.1');
    assert.equal(hexToIp('00FFFFFF'), '255.255.255.0');
    assert.equal(hexToIp('bad'), '0.0.0.0');
  });

  it('picks the up default route with the lowest metric', function () {
    var r = defaultRoute(parseRoutes(ROUTE));
    assert.ok(r);
    assert.equal(r!.ifName, 'eth0');
    assert.equal(r!.gateway, '192.168.1.1');
  });

  it('has no default route when the table has none', function () {
    var lines = ROUTE.split('\n');
    assert.equal(defaultRoute(parseRoutes([lines[0], lines[4], lines[5]].join('\n'))), null);
  });

  it('lists the host addresses of fib_trie once each, without loopback', function () {
    assert.deepEqual(parseLocalAddresses(FIB), ['192.168.0.42', '192.168.1.17']);
  });

  it('takes the first IPv4 name server', function () {
    assert.equal(parseNameserver('# generated\nnameserver fe80::1\nnameserver 192.168.1.1\nnameserver 8.8.8.8\n'), '192.168.1.1');
    assert.equal(parseNameserver('search lan\n'), '0.0.0.0');
  });

  it('reports the default interface with the address inside its own subnet, its MAC and link', function () {
    var h = readHostNet(files({
      '/proc/net/route': ROUTE, '/proc/net/fib_trie': FIB, '/etc/resolv.conf': 'nameserver 192.168.1.1\n',
      '/sys/class/net/eth0/address': 'dc:a6:32:01:02:03\n', '/sys/class/net/eth0/operstate': 'up\n',
    }));
    assert.deepEqual(h, {
      ifName: 'eth0', ip: '192.168.1.17', netmask: '255.255.255.0', gateway: '192.168.1.1', dns: '192.168.1.1',
      mac: 'dc:a6:32:01:02:03', link: 'up',
    });
  });

  it('leaves every field blank when the files are missing', function () {
    assert.deepEqual(readHostNet(files({})), { ifName: '', ip: '0.0.0.0', netmask: '0.0.0.0', gateway: '0.0.0.0', dns: '0.0.0.0', mac: '', link: '' });
  });
});

describe('espruino-linux configuration', function () {
  it('is the defaults without layers', function () {
    var m = mergeConfig([]);
    assert.deepEqual(m.cfg, LINUX_DEFAULTS);
    assert.deepEqual(m.problems, []);
  });

  it('lets later layers win and merges connection settings key by key', function () {
    var m = mergeConfig([
      { name: 'sketch config', value: { connection: { failBack: true, backoffMaxMs: 5000 }, port: 1884 } },
      { name: 'netswitch.json', value: { host: '10.0.0.5', port: 1885, connection: { backoffMaxMs: 30000 } } },
    ]);
    assert.equal(m.cfg.host, '10.0.0.5');
    assert.equal(m.cfg.port, 1885);
    assert.deepEqual(m.cfg.connection, { failBack: true, backoffMaxMs: 30000 });
    assert.deepEqual(m.problems, []);
  });

  it('names unknown keys and wrong types by layer and key, never by value, and keeps the default', function () {
    var m = mergeConfig([{ name: 'netswitch.json', value: { pasword: 'hunter2-secret', port: '1883', keepAliveS: 30 } }]);
    assert.deepEqual(m.problems, ['netswitch.json: unknown setting "pasword"', 'netswitch.json: "port" must be a number']);
    assert.equal(m.cfg.port, 1883);
    assert.equal(m.cfg.keepAliveS, 30);
    assert.ok(m.problems.join(' ').indexOf('hunter2') < 0);
  });

  it('fills a cellular section from its defaults and drops one without a path', function () {
    var a = mergeConfig([{ name: 'f', value: { cellular: { path: '/dev/ttyUSB2', baud: 9600 } } }]);
    assert.deepEqual(a.cfg.cellular, { path: '/dev/ttyUSB2', baud: 9600, serial: CELL_DEFAULTS.serial, pwrkey: -1, pwrkeyActive: 1, status: -1 });
    var b = mergeConfig([{ name: 'f', value: { cellular: { baud: 9600, apn: 'x' } } }]);
    assert.equal(b.cfg.cellular, null);
    assert.deepEqual(b.problems, ['f: unknown setting "cellular.apn"', 'cellular: no "path" (serial device): no modem']);
  });

  it('refuses a device id the topic layout cannot carry, and ports out of range', function () {
    var m = mergeConfig([{ name: 'f', value: { deviceId: 'a/b', port: 70000 } }]);
    assert.equal(m.cfg.deviceId, '');
    assert.equal(m.cfg.port, 1883);
    assert.equal(m.problems.length, 2);
  });

  it('makes the default device id from the serial, keeping only safe characters', function () {
    assert.equal(defaultDeviceId('00000000-addeadde/+#x'), 'linux-00000000-addeaddex');
    assert.equal(defaultDeviceId(undefined), 'linux-device');
  });

  it('describes itself without password, APN password or SIM PIN', function () {
    var m = mergeConfig([{ name: 'f', value: { deviceId: 'pi1', username: 'dev1', password: 'pw-S1', apn: 'internet', apnPassword: 'pw-S2', simPin: '4321', cellular: { path: '/dev/ttyS0' } } }]);
    var d = describeConfig(m.cfg);
    assert.equal(d, 'device pi1, cloud 127.0.0.1:1883 (echo 7007), user dev1, SIM7600 on /dev/ttyS0, apn internet');
    for (var s of ['pw-S1', 'pw-S2', '4321']) assert.ok(d.indexOf(s) < 0);
  });
});
