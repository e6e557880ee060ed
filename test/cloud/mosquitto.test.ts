/**
 * Interop with a broker nobody here wrote: a real mosquitto on 127.0.0.1, real sockets (NodeSockets +
 * NativeIf), real time (RealClock). Needs the Debian packages mosquitto and mosquitto-clients; without
 * them the suite fails (it does not skip): .ci/run installs them.
 */
import { strict as assert } from 'assert';
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { RealClock } from '../../hal/host/real-clock';
import { NodeSockets } from '../../hal/host/node-sockets';
import { NativeIf } from '../../src/net/native-if';
import { CloudSession, PUB_OK } from '../../src/cloud/cloud-session';
import { R_NONE, R_NOT_AUTHORISED } from '../../src/net/types';

function findTool(name: string): string | null {
  for (const dir of (process.env.PATH || '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin'])) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
  });
}

describe('CloudSession with mosquitto (real sockets, real time)', function () {
  this.timeout(20000);
  const tools: { [k: string]: string } = {};
  let dir = '';
  let port = 0;
  let broker: ChildProcess | null = null;
  let brokerLog = '';
  let ns: NodeSockets;
  let nif: NativeIf;
  let s: CloudSession;
  const lost: number[] = [];

  before(async () => {
    for (const t of ['mosquitto', 'mosquitto_sub', 'mosquitto_pub', 'mosquitto_passwd']) {
      const p = findTool(t);
      if (!p) throw new Error(`${t} is not installed: apt-get install -y mosquitto mosquitto-clients (.ci/run does this)`);
      tools[t] = p;
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosq-'));
    const pw = path.join(dir, 'passwd');
    for (const [u, p, c] of [['dev1', 'secret', '-c'], ['app', 'app-pass', '']]) {
      const r = spawnSync(tools.mosquitto_passwd, (c ? [c] : []).concat(['-b', pw, u, p]), { encoding: 'utf8' });
      assert.equal(r.status, 0, 'mosquitto_passwd: ' + r.stderr);
    }
    fs.chmodSync(pw, 0o600);
    port = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    fs.writeFileSync(conf, [
      `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${pw}`, 'persistence false',
      'log_dest stderr', 'log_type all', 'connection_messages true', ...(process.getuid && process.getuid() === 0 ? ['user root'] : []), '',
    ].join('\n'));
    broker = spawn(tools.mosquitto, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    broker.stdout!.on('data', (d) => (brokerLog += d));
    broker.stderr!.on('data', (d) => (brokerLog += d));
    await until(() => /running/.test(brokerLog) || broker!.exitCode !== null, 5000, 'mosquitto to start');
    assert.equal(broker.exitCode, null, 'mosquitto exited: ' + brokerLog);

    ns = new NodeSockets();
    nif = new NativeIf({ sockets: ns, clock: new RealClock() });
    nif.connect();
    await until(() => nif.state() === 4, 1000, 'interface ready');
  });

  after(() => {
    if (s) s.disconnect();
    if (ns) ns.destroyAll();
    if (broker && broker.exitCode === null) broker.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function session(password: string): CloudSession {
    return new CloudSession({ clock: new RealClock(), host: '127.0.0.1', port, deviceId: 'dev1', username: 'dev1', password, keepAliveS: 1, pingTimeoutMs: 1000 });
  }

  function connect(x: CloudSession): Promise<number> {
    return new Promise((r) => x.connect(nif, r));
  }

  it('refuses a wrong password: R_NOT_AUTHORISED', async () => {
    assert.equal(await connect(session('wrong')), R_NOT_AUTHORISED);
  });

  it('connects with user name and password', async () => {
    s = session('secret');
    s.events.on('lost', (r) => lost.push(r));
    s.subscribe('interop/', () => undefined);
    const n = brokerLog.split('Sending SUBACK to dev1').length;
    assert.equal(await connect(s), R_NONE);
    assert.ok(s.connected());
    await until(() => brokerLog.split('Sending SUBACK to dev1').length > n, 3000, 'our SUBACK');
  });

  it('a QoS 1 publish is acknowledged and seen by mosquitto_sub', async () => {
    const sub = spawn(tools.mosquitto_sub, ['-h', '127.0.0.1', '-p', String(port), '-u', 'app', '-P', 'app-pass', '-i', 'subber', '-t', 'd/dev1/e/#', '-q', '1', '-C', '1', '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sub.stdout!.on('data', (d) => (out += d));
    try {
      await until(() => brokerLog.indexOf('Sending SUBACK to subber') >= 0, 5000, 'mosquitto_sub to subscribe');
      const res: number[] = [];
      // data is a binary string: non-ASCII text goes as its UTF-8 bytes
      s.publish('interop', Buffer.from('hello \u00e9t\u00e9', 'utf8').toString('latin1'), { qos: 1 }, (r) => res.push(r));
      await until(() => res.length > 0 && out.length > 0, 5000, 'PUBACK and mosquitto_sub output');
      assert.deepEqual(res, [PUB_OK]);
      assert.equal(out.trim(), 'd/dev1/e/interop hello \u00e9t\u00e9');
    } finally {
      sub.kill();
    }
  });

  it('a mosquitto_pub message reaches our subscription', async () => {
    const got: string[] = [];
    s.subscribe('interop/', (name, data, from) => got.push(from + ' ' + name + ' ' + data));
    const r = spawnSync(tools.mosquitto_pub, ['-h', '127.0.0.1', '-p', String(port), '-u', 'app', '-P', 'app-pass', '-t', 'd/cloud/e/interop/hello', '-m', 'hi there', '-q', '1'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await until(() => got.length > 0, 5000, 'the message');
    assert.deepEqual(got, ['cloud interop/hello hi there']);
  });

  it('holds the connection over three keepalive intervals (1 s each)', async () => {
    const pongs = s._cl.nPong;
    await new Promise((r) => setTimeout(r, 3600));
    assert.ok(s._cl.nPong - pongs >= 3, `only ${s._cl.nPong - pongs} PINGRESP`);
    assert.ok(s.connected());
    assert.deepEqual(lost, []);
    assert.ok(!/dev1.*(exceeded timeout|disconnected)/.test(brokerLog), 'mosquitto dropped the device');
  });
});
