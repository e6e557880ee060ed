import { strict as assert } from 'assert';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as mqtt from 'mqtt';
import { startDevCloud, loadConfig, DevCloud, DEFAULT_ECHO_PORT } from '../../tools/dev-cloud';

describe('dev cloud (npm run cloud)', () => {
  let cloud: DevCloud;
  let lines: string[];

  beforeEach(async () => {
    lines = [];
    cloud = await startDevCloud({ host: '127.0.0.1', port: 0, echoPort: 0, users: [{ username: 'dev1', password: 's3cret-pw' }] }, (l) => lines.push(l));
  });
  afterEach(() => cloud.close());

  const connect = (password: string) =>
    new Promise<mqtt.MqttClient | Error>((res) => {
      const c = mqtt.connect({ host: '127.0.0.1', port: cloud.port, clientId: 'dev1', username: 'dev1', password, reconnectPeriod: 0, protocolVersion: 4 });
      c.once('connect', () => res(c));
      c.once('error', (e) => {
        c.end(true);
        res(e);
      });
    });

  it('accepts configured credentials, logs connections and events, never the password', async () => {
    const c = await connect('s3cret-pw');
    assert.ok(c instanceof mqtt.MqttClient);
    await new Promise((r) => c.subscribe('d/dev1/f/#', { qos: 1 }, r));
    await new Promise((r) => c.publish('d/dev1/e/temp', '21.5', { qos: 1 }, r));
    c.end(true);
    for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('disconnected')); i++) await new Promise((r) => setTimeout(r, 10));
    const log = lines.join('\n');
    assert.match(log, /connected: dev1 from 127\.0\.0\.1/);
    assert.match(log, /subscribe: dev1 d\/dev1\/f\/# \(QoS 1\)/);
    assert.match(log, /publish: dev1 d\/dev1\/e\/temp QoS 1 "21\.5"/);
    assert.match(log, /disconnected: dev1/);
    assert.ok(log.indexOf('s3cret-pw') < 0);
  });

  it('refuses a wrong password and logs the refusal without it', async () => {
    const e = await connect('guess-pw');
    assert.ok(e instanceof Error);
    assert.match(lines.join('\n'), /auth refused: client dev1 user dev1/);
    assert.ok(lines.join('\n').indexOf('guess-pw') < 0);
  });

  it('echoes UDP datagrams byte for byte', async () => {
    const u = dgram.createSocket('udp4');
    const got = new Promise<Buffer>((r) => u.once('message', r));
    u.send(Buffer.from([0, 1, 255, 42]), cloud.echoPort, '127.0.0.1');
    assert.deepEqual([...(await got)], [0, 1, 255, 42]);
    u.close();
    assert.match(lines.join('\n'), /echo: first probe from 127\.0\.0\.1/);
  });

  it('reads the config file and lets flags override it; the example is the fallback', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudcfg-'));
    fs.writeFileSync(path.join(dir, 'cloud.config.example.json'), JSON.stringify({ users: [{ username: 'a', password: 'b' }] }));
    const a = loadConfig(['--port', '1884'], dir);
    assert.ok(a.note);
    assert.equal(a.cfg.port, 1884);
    assert.equal(a.cfg.echoPort, undefined, 'defaults to DEFAULT_ECHO_PORT at start');
    assert.equal(DEFAULT_ECHO_PORT, 7007);
    const f = path.join(dir, 'other.json');
    fs.writeFileSync(f, JSON.stringify({ echoPort: 7, host: '10.0.0.1' }));
    const b = loadConfig(['--config', f, '--host', '0.0.0.0'], dir);
    assert.deepEqual(b.cfg, { echoPort: 7, host: '0.0.0.0' });
    assert.throws(() => loadConfig(['--config', f, '--port', 'x'], dir), /bad port/);
    fs.rmSync(dir, { recursive: true });
    const real = loadConfig([]);
    assert.ok(real.cfg.users && real.cfg.users.length > 0, 'the shipped example config loads');
  });
});
