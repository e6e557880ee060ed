/**
 * `npm run cloud`: a development cloud for a real board on the LAN (or the simulator): an aedes MQTT
 * broker on a TCP port plus a UDP echo responder (RFC 862) for the connection manager's probes.
 * Credentials come from a JSON config file; device connections, subscriptions and events are logged
 * (passwords never). Ctrl-C stops it cleanly.
 *
 *   npm run cloud                                  # tools/cloud.config.json, else the example
 *   npm run cloud -- --config my.json --host 0.0.0.0 --port 1883 --echo-port 7007
 *
 * The echo port defaults to 7007 so that it runs without root (RFC 862's port 7 needs it): set the
 * device's `echoPort` to match.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as dgram from 'dgram';
import * as path from 'path';
import { Aedes } from 'aedes';

export interface DevCloudConfig {
  /** Address to listen on; default 0.0.0.0 (every interface, so a board on the LAN can reach it). */
  host?: string;
  /** MQTT port; default 1883 (0 = any free port). */
  port?: number;
  /** UDP echo port; default 7007 (0 = any free port). */
  echoPort?: number;
  /** Accepted user names and passwords. */
  users?: Array<{ username: string; password: string }>;
  /** Accept clients without credentials; default false. */
  allowAnonymous?: boolean;
}

export interface DevCloud {
  broker: Aedes;
  port: number;
  echoPort: number;
  close(): Promise<void>;
}

export const DEFAULT_ECHO_PORT = 7007;

/** A printable preview of a payload for the log. */
function preview(b: Buffer): string {
  const s = b.toString('latin1');
  if (/^[\x20-\x7e]*$/.test(s)) return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '…' : s);
  return '<' + b.length + ' bytes>';
}

/** Starts the broker and the echo responder. `log` gets one line per event. */
export async function startDevCloud(cfg: DevCloudConfig, log: (line: string) => void): Promise<DevCloud> {
  const host = cfg.host || '0.0.0.0';
  const users = new Map<string, string>();
  for (const u of cfg.users || []) users.set(u.username, u.password);
  const broker = new Aedes({ heartbeatInterval: 3600000 });
  broker.authenticate = (client, username, password, done) => {
    const ok = username === undefined ? !!cfg.allowAnonymous : users.get(username) !== undefined && !!password && password.toString() === users.get(username);
    if (ok) return done(null, true);
    log(`auth refused: client ${client.id} user ${username === undefined ? '(none)' : username}`);
    const e: any = new Error('bad user name or password');
    e.returnCode = username === undefined ? 5 : 4;
    done(e, null);
  };
  const addr = (c: any) => (c && c.conn && c.conn.remoteAddress ? ' from ' + c.conn.remoteAddress : '');
  broker.on('clientReady', (c) => log(`connected: ${c.id}${addr(c)}`));
  broker.on('clientDisconnect', (c) => log(`disconnected: ${c.id}`));
  broker.on('keepaliveTimeout', (c) => log(`keepalive timeout: ${c.id}`));
  broker.on('clientError', (c, err) => log(`client error: ${c.id}: ${err.message}`));
  broker.on('connectionError', (c, err) => log(`connection error: ${c && c.id}: ${err.message}`));
  broker.on('subscribe', (subs, c) => log(`subscribe: ${c.id} ${subs.map((s) => s.topic + ' (QoS ' + s.qos + ')').join(', ')}`));
  broker.on('unsubscribe', (subs, c) => log(`unsubscribe: ${c.id} ${subs.join(', ')}`));
  broker.on('publish', (p, c) => {
    if (!c || p.topic.startsWith('$SYS')) return;
    log(`publish: ${c.id} ${p.topic} QoS ${p.qos}${p.retain ? ' retained' : ''} ${preview(Buffer.from(p.payload as any))}`);
  });
  await broker.listen();

  const server = net.createServer((sock) => broker.handle(sock));
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(cfg.port === undefined ? 1883 : cfg.port, host, () => res());
  });
  const port = (server.address() as net.AddressInfo).port;

  const echo = dgram.createSocket('udp4');
  const seen = new Set<string>();
  echo.on('message', (m, r) => {
    echo.send(m, r.port, r.address);
    if (!seen.has(r.address)) {
      seen.add(r.address);
      log(`echo: first probe from ${r.address}`);
    }
  });
  await new Promise<void>((res, rej) => {
    echo.once('error', rej);
    echo.bind(cfg.echoPort === undefined ? DEFAULT_ECHO_PORT : cfg.echoPort, host, () => res());
  });
  const echoPort = echo.address().port;
  log(`MQTT on ${host}:${port}, UDP echo on ${host}:${echoPort}, ${users.size} user(s)${cfg.allowAnonymous ? ', anonymous allowed' : ''}`);

  let closed = false;
  return {
    broker,
    port,
    echoPort,
    close: async () => {
      if (closed) return;
      closed = true;
      echo.close();
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Command line → config: `--config FILE`, `--host`, `--port`, `--echo-port`. */
export function loadConfig(argv: string[], dir = __dirname): { cfg: DevCloudConfig; file: string; note?: string } {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    if (i + 1 >= argv.length) throw new Error(name + ' needs a value');
    return argv[i + 1];
  };
  let file = opt('--config');
  let note: string | undefined;
  if (!file) {
    file = path.join(dir, 'cloud.config.json');
    if (!fs.existsSync(file)) {
      note = 'no tools/cloud.config.json: using the example (copy it and set your own passwords)';
      file = path.join(dir, 'cloud.config.example.json');
    }
  }
  const cfg: DevCloudConfig = JSON.parse(fs.readFileSync(file, 'utf8'));
  const host = opt('--host');
  const port = opt('--port');
  const echo = opt('--echo-port');
  if (host) cfg.host = host;
  if (port) cfg.port = +port;
  if (echo) cfg.echoPort = +echo;
  for (const [k, v] of [['port', cfg.port], ['echoPort', cfg.echoPort]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v < 65536)) throw new Error(`bad ${k}: ${v}`);
  }
  return { cfg, file, note };
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log('npm run cloud -- [--config FILE] [--host 0.0.0.0] [--port 1883] [--echo-port 7007]');
    return;
  }
  const log = (line: string) => console.log(new Date().toISOString() + ' ' + line);
  const { cfg, file, note } = loadConfig(argv);
  if (note) log(note);
  log('config ' + file);
  const cloud = await startDevCloud(cfg, log);
  const stop = async () => {
    log('stopping');
    await cloud.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error('dev cloud: ' + (e && e.message ? e.message : e));
    process.exit(1);
  });
}
