/**
 * `npm run e2e:espruino`: the whole firmware path in the real interpreter against a real broker.
 *
 * With ESPRUINO_BIN pointing to Espruino's Linux build (2v29), it builds the espruino-linux board with the
 * failover demo (examples/failover-demo.ts), starts a development cloud on 127.0.0.1 (aedes on a TCP port
 * it picks, a UDP echo responder), runs the built file in the interpreter (a temporary working directory
 * with netswitch.json pointing at those ports, stdin /dev/null) and checks from the outside, with an
 * mqtt.js client, that:
 *   1. the device connects (its retained "online" status arrives);
 *   2. its function answers (setInterval → 1 s) and its QoS 1 readings arrive;
 *   3. it survives a broker restart (aedes and its TCP server closed, a few seconds later a new one on the
 *      same port), and the QoS 1 readings published meanwhile arrive after the reconnect (the outbox);
 *   4. its probes were answered (the echo responder saw datagrams from it);
 * and reports the memory the device printed (`process.memory().usage`) after start-up. Every process and
 * server is stopped at the end, also on failure or timeout.
 *
 * With ESPRUINO_ESP32_BIN pointing to an ESP32-layout interpreter (32-bit, 16383 blocks of 14 bytes;
 * docs/memory.md) it runs the same checks once more in that layout, the firmware booted from Storage as a
 * saved board boots (build/esp32-boot.ts: .bootcde written in chunks, then a fresh interpreter), and
 * reports blocks after start-up, at the first cloud connection and the peak (console samples of
 * `process.memory()` once a second). An OUT OF MEMORY there fails the run and is reported as such.
 * With neither variable set it says it skipped.
 *
 *   ESPRUINO_BIN=/path/to/espruino ESPRUINO_ESP32_BIN=/path/to/espruino-esp32 npm run e2e:espruino \
 *     [-- --sketch FILE | --file BUILT.js] [--no-cell] [--verbose]
 */
import { ChildProcess, spawn } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Aedes } from 'aedes';
import * as mqtt from 'mqtt';
import { buildFirmware } from '../build/build';
import { RealClock } from '../hal/host/real-clock';
import { Sim7600Model } from '../sim/sim7600/sim7600-model';
import { RealCellNetwork } from '../build/e2e/real-cell-network';
import { PtyBridge } from '../build/e2e/pty-bridge';
import { Esp32Boot, analyzeBoot, cleanLine, isBootFailure, followLines, waitForLine } from '../build/esp32-boot';

export var ROOT = path.resolve(__dirname, '..');
export var DEFAULT_SKETCH = path.join(ROOT, 'examples', 'failover-demo.ts');
export var DEVICE_ID = 'e2e-pi';
var DEVICE_USER = { username: 'dev1', password: 'e2e-dev-pw' };
var APP_USER = { username: 'app', password: 'e2e-app-pw' };

/** How long the broker stays down in the restart check, ms. */
export var OUTAGE_MS = 3000;
/** The whole run's limit, ms. */
export var TOTAL_LIMIT_MS = 40000;
/** The goal for the peak in the ESP32 layout (issue: the firmware must fit on a real ESP32), blocks. */
export var ESP32_PEAK_GOAL = 7000;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Not applicable in this run (counts as ok). */
  skipped?: boolean;
}

export interface E2eResult {
  skipped: boolean;
  ok: boolean;
  checks: Check[];
  /**
   * `process.memory().usage` (blocks) the device printed after start-up / at its first cloud connection;
   * the peak: the largest of those and of the console samples (ESP32 layout only; -1: none).
   */
  memory: { startup: number; cloud: number; total: number; blocksize: number; peak: number; samples: number };
  /** "64-bit" (the file run by ESPRUINO_BIN) or "esp32" (booted from Storage in the ESP32 layout). */
  layout: string;
  /** The device ran out of memory ("OUT OF MEMORY" in its output). */
  outOfMemory: boolean;
  /** Wall time of the run (build excluded) and of the build, ms. */
  runMs: number;
  buildMs: number;
  /** The device's output lines. */
  lines: string[];
  /** Processes the run started (all gone when it returns) and the TCP port its broker used (closed). */
  pids: number[];
  brokerPort: number;
  /** Lines that mean an uncaught error in the device. */
  uncaught: string[];
}

export function isUncaught(l: string): boolean {
  return /^Uncaught /.test(l) || /Execution Interrupted/.test(l) || /OUT OF MEMORY/i.test(l) || /^New interpreter error(?!: FIFO_FULL)/.test(l) || isBootFailure(l);
}

/** What runE2e needs of a running interpreter (Device, or Esp32Boot for the ESP32 layout). */
interface RunningDevice {
  lines: string[];
  exited: boolean;
  waitLine(re: RegExp, ms: number, from?: number): Promise<string | null>;
  stop(): Promise<void>;
}

/** A running interpreter: its lines as they come, and a kill that always works. */
export class Device {
  proc: ChildProcess;
  lines: string[] = [];
  exited = false;
  dir: string;
  _watch: Array<() => void> = [];

  constructor(bin: string, file: string, config: any) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-espruino-'));
    fs.writeFileSync(path.join(this.dir, 'netswitch.json'), JSON.stringify(config));
    // stdin: an idle pipe, never written. With /dev/null the Linux build's input thread keeps reading EOF
    // into its event queue and then never reads serial devices (the SIM7600's pty).
    this.proc = spawn(bin, [file], { cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin!.on('error', () => undefined);
    followLines(this, this.proc);
  }

  /** Resolves with the first line matching `re` (searching from line `from`), or null after `ms`. */
  waitLine(re: RegExp, ms: number, from = 0): Promise<string | null> {
    return waitForLine(this, re, ms, from);
  }

  /** Kills the interpreter (SIGKILL) and removes its working directory. */
  async stop(): Promise<void> {
    if (!this.exited) {
      var gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
      this.proc.kill('SIGKILL');
      await Promise.race([gone, sleep(2000)]);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A broker and its TCP server on one port; `close` ends both and every connection. */
export interface Broker {
  aedes: Aedes;
  port: number;
  close(): Promise<void>;
}

/**
 * An aedes broker on 127.0.0.1:`port` (0: any) accepting the two e2e users. `holdDevice()` true delays
 * the device's CONNACK (so an outside subscriber can re-subscribe first after a restart).
 */
export async function startBroker(port: number, holdDevice: () => boolean): Promise<Broker> {
  var aedes = new Aedes({ heartbeatInterval: 3600000 });
  aedes.authenticate = (client, username, password, done) => {
    var pw = password ? password.toString() : '';
    var ok = (username === DEVICE_USER.username && pw === DEVICE_USER.password) || (username === APP_USER.username && pw === APP_USER.password);
    if (!ok) {
      var e: any = new Error('bad user name or password');
      e.returnCode = 4;
      return done(e, null);
    }
    var t0 = Date.now();
    var go = () => (client.id === DEVICE_ID && holdDevice() && Date.now() - t0 < 5000 ? setTimeout(go, 50) : done(null, true));
    go();
  };
  await aedes.listen();
  var socks = new Set<net.Socket>();
  var server = net.createServer((s) => {
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => undefined);
    aedes.handle(s);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res());
  });
  var closed = false;
  return {
    aedes: aedes,
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((r) => aedes.close(() => r()));
      for (var s of socks) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A UDP echo responder (RFC 862) that counts datagrams per source address. */
export async function startEcho(): Promise<{ port: number; seen: { [addr: string]: number }; close(): void }> {
  var sock = dgram.createSocket('udp4');
  var seen: { [addr: string]: number } = {};
  sock.on('message', (m, r) => {
    seen[r.address] = (seen[r.address] || 0) + 1;
    sock.send(m, r.port, r.address);
  });
  await new Promise<void>((res, rej) => {
    sock.once('error', rej);
    sock.bind(0, '127.0.0.1', () => res());
  });
  var closed = false;
  return {
    port: sock.address().port,
    seen: seen,
    close: () => {
      if (!closed) sock.close();
      closed = true;
    },
  };
}

/** A TCP port on 127.0.0.1 with nothing listening (taken, then freed). */
export async function freePort(): Promise<number> {
  var s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  var p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** A SIM7600 model behind a pseudo-terminal, its data over the host's real sockets. */
export interface Cell {
  path: string;
  network: RealCellNetwork;
  model: Sim7600Model;
  pid: number;
  close(): Promise<void>;
}

export async function startCell(): Promise<Cell> {
  var clock = new RealClock();
  var network = new RealCellNetwork(clock);
  var model = new Sim7600Model({ clock: clock, net: network, startOn: true });
  var pty = new PtyBridge();
  var p = await pty.ready;
  pty.onData = (d) => model.uart.write(d);
  model.uart.onData((d) => pty.write(d));
  return {
    path: p, network: network, model: model, pid: pty.proc.pid as number,
    close: () => {
      model.uart.onData(null);
      network.deactivate();
      return pty.close();
    },
  };
}

/** Builds the espruino-linux board with `sketch` into a temporary folder; returns the file. */
export async function buildLinuxFirmware(sketch?: string): Promise<{ file: string; ms: number }> {
  var t0 = Date.now();
  var out = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-espruino-build-'));
  var r = await buildFirmware({ board: 'espruino-linux', sketch: sketch, outDir: out, typecheck: false });
  return { file: r.file, ms: Date.now() - t0 };
}

/** The device configuration for a cloud on 127.0.0.1. */
export function deviceConfig(port: number, echoPort: number): any {
  return { deviceId: DEVICE_ID, host: '127.0.0.1', port: port, echoPort: echoPort, username: DEVICE_USER.username, password: DEVICE_USER.password };
}

/** "memory after start-up: usage 12071 of 32768 blocks (27 bytes each)" → numbers. */
export function parseMemory(line: string | null): { usage: number; total: number; blocksize: number } {
  var m = line ? /usage (\d+) of (\d+) blocks( \((\d+) bytes each\))?/.exec(line) : null;
  return m ? { usage: +m[1], total: +m[2], blocksize: m[4] ? +m[4] : 0 } : { usage: -1, total: -1, blocksize: 0 };
}

interface Rx {
  topic: string;
  payload: string;
  at: number;
}

/**
 * Runs the end-to-end check. `file`: an already built firmware file (built here when omitted). `esp32`:
 * `bin` is an ESP32-layout interpreter; the firmware is booted from Storage.
 */
export async function runE2e(o: { bin: string; file?: string; sketch?: string; cell?: boolean; esp32?: boolean; sampleMs?: number; log?: (l: string) => void }): Promise<E2eResult> {
  var log = o.log || (() => undefined);
  var res: E2eResult = {
    skipped: false, ok: false, checks: [], memory: { startup: -1, cloud: -1, total: -1, blocksize: 0, peak: -1, samples: 0 }, layout: o.esp32 ? 'esp32' : '64-bit',
    outOfMemory: false, runMs: 0, buildMs: 0, lines: [], uncaught: [], pids: [], brokerPort: 0,
  };
  var check = (name: string, ok: boolean, detail: string) => {
    res.checks.push({ name: name, ok: ok, detail: detail });
    log((ok ? 'ok   ' : 'FAIL ') + name + (detail ? ': ' + detail : ''));
  };
  var file = o.file;
  if (!file) {
    var b = await buildLinuxFirmware(o.sketch || DEFAULT_SKETCH);
    file = b.file;
    res.buildMs = b.ms;
    log('built ' + file + ' in ' + (b.ms / 1000).toFixed(1) + ' s');
  }
  var t0 = Date.now();
  var broker: Broker | null = null;
  var echo: Awaited<ReturnType<typeof startEcho>> | null = null;
  var sub: mqtt.MqttClient | null = null;
  var dev: RunningDevice | null = null;
  var cell: Cell | null = null;
  var appSubscribed = false;
  var rx: Rx[] = [];
  var pre = 'd/' + DEVICE_ID + '/';
  var limit: NodeJS.Timeout | undefined;
  var run = async () => {
    echo = await startEcho();
    broker = await startBroker(0, () => false);
    var port = broker.port;
    res.brokerPort = port;
    log('cloud: MQTT 127.0.0.1:' + port + ', UDP echo 127.0.0.1:' + echo.port);
    sub = mqtt.connect({ host: '127.0.0.1', port: port, clientId: 'e2e-app', username: APP_USER.username, password: APP_USER.password, reconnectPeriod: 100, connectTimeout: 2000, protocolVersion: 4 });
    sub.on('error', () => undefined);
    sub.on('message', (t, p) => rx.push({ topic: t, payload: p.toString('latin1'), at: Date.now() }));
    sub.on('close', () => (appSubscribed = false));
    sub.on('connect', () => {
      sub!.subscribe(pre + '#', { qos: 1 }, (err) => (appSubscribed = !err));
    });
    await until(() => appSubscribed, 5000);
    if (!appSubscribed) throw new Error('the outside subscriber did not connect');

    var cfg = deviceConfig(port, echo.port);
    var withCell = o.cell === undefined ? PtyBridge.available() : o.cell;
    if (withCell) {
      cell = await startCell();
      res.pids.push(cell.pid);
      cfg.cellular = { path: cell.path, baud: 115200 };
      log('cell0: SIM7600 model on ' + cell.path);
    } else {
      log('cell0: none (python3 is needed for the pseudo-terminal)');
    }
    if (o.esp32) {
      var eb = new Esp32Boot({ bin: o.bin, file: path.resolve(file!), files: { 'netswitch.json': JSON.stringify(cfg) }, sampleMs: o.sampleMs === undefined ? 1000 : o.sampleMs });
      dev = eb;
      await eb.start();
      res.pids.push(eb.proc!.pid as number);
      log('booted from Storage in the ESP32 layout (' + eb.bytes + ' bytes written to .bootcde, length and CRC checked)');
    } else {
      var pd = new Device(o.bin, path.resolve(file!), cfg);
      dev = pd;
      res.pids.push(pd.proc.pid as number);
    }
    var d: RunningDevice = dev;
    var online = (after: number) => rx.some((m) => m.topic === pre + 'status' && m.payload === 'online' && m.at >= after);
    await until(() => online(0) || d.exited, 10000);
    check('device connected', online(0), online(0) ? 'status "online" received' : 'no "online" status in 10 s');
    if (!online(0)) return;
    var memLine = await d.waitLine(/^I board: memory after start-up/, 1000);
    var m1 = parseMemory(memLine);
    var m2 = parseMemory(await d.waitLine(/^I board: memory at first cloud connection/, 1000));
    res.memory = { startup: m1.usage, cloud: m2.usage, total: m2.total, blocksize: m2.blocksize, peak: -1, samples: 0 };
    check('memory reported', m1.usage > 0 && m2.usage > 0, m1.usage > 0 ? 'process.memory().usage ' + m1.usage + ' blocks after start-up, ' + m2.usage + ' at the first cloud connection' : 'no "memory after start-up" line');

    // The demo's function "setInterval" sets the publish period in seconds; its result comes back on r/.
    sub.publish(pre + 'f/setInterval/1', '1', { qos: 1 });
    var answered = () => rx.some((m) => m.topic === pre + 'r/setInterval/1');
    await until(answered, 5000);
    var ans = rx.filter((m) => m.topic === pre + 'r/setInterval/1')[0];
    check('function call answered', !!ans && ans.payload === '1', ans ? 'setInterval("1") returned ' + JSON.stringify(ans.payload) : 'no answer in 5 s');
    var readings = () => rx.filter((m) => m.topic === pre + 'e/reading');
    var seqOf = (m: Rx) => parseInt(m.payload, 10);
    var tFn = Date.now();
    await until(() => readings().filter((m) => m.at > tFn).length >= 3, 6000);
    var before = readings();
    check('QoS 1 publishes arrive', before.length >= 3, before.length + ' readings (seq ' + before.map(seqOf).join(',') + ')');

    // Broker restart: the device must notice, keep publishing into its outbox, reconnect and deliver.
    var lastBefore = Math.max.apply(null, before.map(seqOf));
    var lineMark = d.lines.length;
    await broker.close();
    var tDown = Date.now();
    log('broker closed; restarting it in ' + OUTAGE_MS / 1000 + ' s');
    await sleep(OUTAGE_MS);
    // The device's CONNACK waits until the outside subscriber is back, so it sees the outbox delivery.
    broker = await startBroker(port, () => !appSubscribed);
    var tUp = Date.now();
    await until(() => online(tUp) || d.exited, 20000);
    var back = rx.filter((m) => m.topic === pre + 'status' && m.payload === 'online' && m.at >= tUp)[0];
    check('broker restart survived', !!back, back ? 'online again ' + ((back.at - tUp) / 1000).toFixed(1) + ' s after the new broker started' : 'no "online" in 20 s');
    if (!back) return;
    var queuedLine = await d.waitLine(/^I board: outbox: \d+ message/, 1000, lineMark);
    var queued = queuedLine ? parseInt(/outbox: (\d+)/.exec(queuedLine)![1], 10) : 0;
    // Everything up to the first reading published after the reconnect (at most about 1 s after it).
    await until(() => readings().some((m) => m.at >= back!.at + 1200), 4000);
    var all = readings();
    var seqs: number[] = [];
    for (var r of all) if (seqs.indexOf(seqOf(r)) < 0) seqs.push(seqOf(r));
    seqs.sort((a, b) => a - b);
    var missing: number[] = [];
    for (var s = seqs[0]; s <= seqs[seqs.length - 1]; s++) if (seqs.indexOf(s) < 0) missing.push(s);
    var during = all.filter((m) => seqOf(m) > lastBefore && m.at >= back!.at && m.at < back!.at + 1000);
    var duringSeqs = during.map(seqOf);
    var downS = (back.at - tDown) / 1000;
    check('QoS 1 publishes made while the broker was down arrive after the reconnect',
      queued >= 2 && missing.length === 0 && duringSeqs.length >= 2,
      'down ' + downS.toFixed(1) + ' s; device outbox held ' + queued + '; delivered right after the reconnect: seq ' + duringSeqs.join(',') +
      '; seq ' + seqs[0] + '..' + seqs[seqs.length - 1] + (missing.length ? ', MISSING ' + missing.join(',') : ', none missing') +
      ', ' + (all.length - seqs.length) + ' duplicate(s)');

    if (cell) {
      var cellReady = d.lines.some((l) => l === 'I cell0: ready');
      check('cell0 (SIM7600 on a serial device) ready', cellReady, cellReady ? 'over ' + cell.path : 'never ready; modem transcript: ' + cell.model.transcript.slice(-12).join(' | '));
    }
    var total = echo.seen['127.0.0.1'] || 0;
    if (cell) {
      var viaCell = cell.network.sent['127.0.0.1:' + echo.port] || 0;
      check('probes answered by the UDP echo responder', total - viaCell > 0 && viaCell > 0, (total - viaCell) + ' datagram(s) from eth0, ' + viaCell + ' from cell0');
    } else {
      res.checks.push({ name: 'probes answered by the UDP echo responder', ok: true, skipped: true, detail: 'one interface only: the manager has nothing to choose between, so it does not probe (' + total + ' datagram(s))' });
      log('skip probes answered by the UDP echo responder: one interface only (no cell0), nothing to probe');
    }
  };
  try {
    await Promise.race([
      run(),
      new Promise<void>((_r, rej) => {
        limit = setTimeout(() => rej(new Error('time limit (' + TOTAL_LIMIT_MS / 1000 + ' s) reached')), TOTAL_LIMIT_MS);
      }),
    ]);
  } catch (e: any) {
    check('run completed', false, e && e.message ? e.message : String(e));
  } finally {
    clearTimeout(limit);
    var dd = dev as RunningDevice | null;
    if (dd) {
      await sleep(100);
      res.lines = dd.lines.slice();
      await dd.stop();
    }
    var sc = sub as mqtt.MqttClient | null;
    if (sc) await new Promise<void>((r) => sc!.end(true, {}, () => r()));
    var bk = broker as Broker | null;
    if (bk) await bk.close();
    var ec = echo as { close(): void } | null;
    if (ec) ec.close();
    var cc = cell as Cell | null;
    if (cc) await cc.close();
  }
  res.uncaught = res.lines.filter(isUncaught);
  var boot = analyzeBoot(res.lines);
  res.outOfMemory = boot.outOfMemory;
  res.memory.samples = boot.samples.length;
  res.memory.peak = Math.max(boot.peak, res.memory.startup, res.memory.cloud);
  if (o.esp32) {
    var mem = res.memory;
    check('fits in the ESP32 pool (no OUT OF MEMORY)', !boot.outOfMemory,
      (boot.outOfMemory ? 'OUT OF MEMORY (' + boot.failures.filter((l) => /OUT OF MEMORY/.test(l))[0] + '); ' : '') +
      'blocks after start-up ' + (mem.startup >= 0 ? mem.startup : 'not reported') + ', at the first cloud connection ' + (mem.cloud >= 0 ? mem.cloud : 'not reported') +
      ', peak ' + (mem.peak >= 0 ? mem.peak : '?') + ' (' + mem.samples + ' samples)' + (boot.last ? ', ' + boot.last.free + ' free at the end' : '') + ' of ' + poolOf(boot));
  }
  check('no uncaught error in the device', res.uncaught.length === 0, res.uncaught.length ? res.uncaught.join(' | ') : '');
  res.runMs = Date.now() - t0;
  res.ok = res.checks.every((c) => c.ok);
  return res;
}

function poolOf(b: ReturnType<typeof analyzeBoot>): string {
  return b.last ? String(b.last.total) : b.startup ? String(b.startup.total) : '?';
}

/** Polls `cond` every 20 ms until true or `ms` passed. */
export async function until(cond: () => boolean, ms: number): Promise<boolean> {
  var end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

/**
 * The same board with nothing listening on the cloud's port, for `ms`: the device's lines. Used to check
 * that an unreachable cloud gives clear log lines and backed-off retries, never an exception.
 */
export async function runUnreachable(o: { bin: string; file: string; ms: number }): Promise<{ lines: string[]; uncaught: string[] }> {
  var port = await freePort();
  var dev = new Device(o.bin, path.resolve(o.file), deviceConfig(port, port));
  try {
    await sleep(o.ms);
  } finally {
    await dev.stop();
  }
  return { lines: dev.lines, uncaught: dev.lines.filter(isUncaught) };
}

/** Prints one run's summary; true when it passed. */
function summary(r: E2eResult, verbose: boolean): boolean {
  var m = r.memory;
  if (r.layout === 'esp32') {
    console.log('memory (ESP32 layout, booted from Storage): ' + m.startup + ' blocks after start-up, ' + m.cloud + ' at the first cloud connection, peak ' + m.peak +
      ' of ' + m.total + ' (' + m.samples + ' samples; goal: peak <= ' + ESP32_PEAK_GOAL + ': ' + (m.peak >= 0 && m.peak <= ESP32_PEAK_GOAL ? 'met' : 'MISSED') + ')' +
      (r.outOfMemory ? '; OUT OF MEMORY' : ''));
  } else {
    console.log('memory: ' + m.startup + ' blocks used after start-up, ' + m.cloud + ' at the first cloud connection' +
      (m.blocksize ? ' (' + m.blocksize + ' bytes per block in this build; the pool grew to ' + m.total + ' blocks)' : ''));
  }
  console.log('time: build ' + (r.buildMs / 1000).toFixed(1) + ' s, run ' + (r.runMs / 1000).toFixed(1) + ' s');
  if (!r.ok || verbose) {
    console.log('device output:');
    for (var l of r.lines) console.log('  | ' + l);
  }
  console.log((r.layout === 'esp32' ? 'e2e (ESP32 layout): ' : 'e2e: ') + (r.ok ? 'PASS' : 'FAIL'));
  return r.ok;
}

async function main(argv: string[]): Promise<number> {
  var bin = process.env.ESPRUINO_BIN;
  var esp = process.env.ESPRUINO_ESP32_BIN;
  if (!bin && !esp) {
    console.log('skipped: neither ESPRUINO_BIN nor ESPRUINO_ESP32_BIN set (point ESPRUINO_BIN to Espruino\'s Linux build, ESPRUINO_ESP32_BIN to an ESP32-layout build, to run the end-to-end check)');
    return 0;
  }
  for (var b of [bin, esp]) {
    if (b && !fs.existsSync(b)) {
      console.error(b + ': no such file');
      return 1;
    }
  }
  var k = argv.indexOf('--sketch');
  var sketch = k >= 0 ? path.resolve(argv[k + 1]) : DEFAULT_SKETCH;
  var f = argv.indexOf('--file');
  var file = f >= 0 ? path.resolve(argv[f + 1]) : undefined;
  var buildMs = 0;
  var tmp: string | null = null;
  if (!file) {
    var bf = await buildLinuxFirmware(sketch);
    file = bf.file;
    buildMs = bf.ms;
    tmp = path.dirname(bf.file);
    console.log('built ' + file + ' in ' + (bf.ms / 1000).toFixed(1) + ' s');
  }
  var verbose = argv.indexOf('--verbose') >= 0;
  var cell = argv.indexOf('--no-cell') >= 0 ? false : undefined;
  var ok = true;
  try {
    if (bin) {
      console.log('--- ' + bin + ' (the file run as it is)');
      var r = await runE2e({ bin: bin, file: file, cell: cell, log: (l) => console.log(l) });
      r.buildMs = buildMs;
      ok = summary(r, verbose) && ok;
    } else {
      console.log('skipped the 64-bit run: ESPRUINO_BIN not set');
    }
    if (esp) {
      console.log('--- ' + esp + ' (ESP32 layout, booted from Storage)');
      var r2 = await runE2e({ bin: esp, file: file, cell: cell, esp32: true, log: (l) => console.log(l) });
      r2.buildMs = buildMs;
      ok = summary(r2, verbose) && ok;
    } else {
      console.log('skipped the ESP32-layout run: ESPRUINO_ESP32_BIN not set');
    }
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
  return ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
