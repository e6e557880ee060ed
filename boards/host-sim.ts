/**
 * Board: the whole device in the simulated world (host only).
 *
 *   eth0   W5500 chip model on the world's Ethernet NIC  →  W5500Interface (over the model's SPI)
 *   wl0    the world's Wi-Fi airspace → HostWifiRadio + SimNicSockets  →  WifiInterface
 *   cell0  SIM7600 chip model on the world's cellular network  →  Sim7600Interface (over the model's UART)
 *   cloud  CloudSession (MQTT + outbox) to the world's cloud host (aedes broker + UDP echo)
 *
 * plus MemoryStorage (or FileStorage), a MemoryLog, the ConnectionManager with our policy or the
 * Particle-like baseline, and the runtime running a sketch's setup()/loop(). Every board has its own
 * world, storage, API binding and sketch instance, so several boards can run in one process.
 *
 *   const b = await createSimBoard({ seed: 1, scenario: 'demo', sketch: 'examples/failover-demo.ts' });
 *   await b.run(60000);            // 60 s of virtual time
 *   b.manager.moves();             // what happened
 *   await b.stop();
 */
import * as fs from 'fs';
import * as path from 'path';
import { Clock } from '../hal/clock';
import { Storage } from '../hal/storage';
import { VirtualClock } from '../hal/host/virtual-clock';
import { RealClock } from '../hal/host/real-clock';
import { MemoryStorage } from '../hal/host/memory-storage';
import { FileStorage } from '../hal/host/file-storage';
import { MemoryLog } from '../hal/host/console-log';
import { HostWifiRadio } from '../hal/host/wifi-radio';
import { SimNicSockets } from '../hal/host/sim-nic-sockets';
import { HostMemory } from '../hal/host/memory';
import { World, WorldOptions } from '../sim/world/world';
import { Scenario, ScenarioRun, loadScenario, validateScenario, runScenario } from '../sim/world/scenario';
import { W5500Model } from '../sim/w5500/w5500-model';
import { Sim7600Model } from '../sim/sim7600/sim7600-model';
import { SimPin } from '../sim/sim7600/sim-pin';
import { W5500Interface } from '../src/drivers/w5500/w5500-interface';
import { Sim7600Interface } from '../src/drivers/sim7600/sim7600-interface';
import { WifiInterface } from '../src/drivers/wifi/wifi-interface';
import { CloudSession, CloudSessionOptions } from '../src/cloud/cloud-session';
import { NetInterface } from '../src/net/interface';
import { Policy, ConnectionPolicy } from '../src/connection/policy';
import { BaselinePolicy } from '../src/connection/baseline-policy';
import { ConnectionManager } from '../src/connection/manager';
import { ApiBinding, createApi } from '../src/api/binding';
import { Device } from '../src/api/device';
import { Runtime, FEATURES_FILE } from '../src/api/runtime';
import { loadSketch, SketchExports } from './host-sim/sketch-loader';

export { loadSketch, packageFor, SketchExports } from './host-sim/sketch-loader';

/** The world a board gets when no scenario is given: all three links healthy (the demo's world). */
export var DEFAULT_SIM_WORLD: WorldOptions = {
  ethernet: {},
  wifi: { aps: [{ ssid: 'SimNet', password: 'simnet-pass', rssi: -55 }] },
  cell: { apn: '' },
};

/** What the device is provisioned with when the scenario does not say. */
export var DEFAULT_PROVISION = { wifi: { ssid: 'SimNet', password: 'simnet-pass' }, cell: { apn: 'internet' }, ethernet: true };

/** A sketch: a file (loaded with its own "netswitch" for this board), exports, or a factory of exports. */
export type SketchSpec = string | SketchExports | ((api: ApiBinding) => SketchExports);

export interface SimBoardOptions {
  /** Seed of the world and of the manager's jitter: the same seed gives the same run. Default 1. */
  seed?: number;
  /** A shipped scenario name ("demo"), a JSON file, a Scenario, or null for a healthy world without events. */
  scenario?: string | Scenario | null;
  /** Start the scenario's timeline with the board (default true); else call `play()`. */
  play?: boolean;
  /** "ours" (default), "baseline" (the Particle-like BaselinePolicy), or a Policy. */
  policy?: 'ours' | 'baseline' | Policy;
  /** Overrides of the policy's knobs (docs/connection-manager.md). */
  settings?: any;
  /** "memory" (default), a JSON file path for FileStorage (a board that keeps its flash across runs), or a Storage. */
  storage?: 'memory' | string | Storage;
  /** The sketch to run; none: the runtime only (AUTOMATIC mode keeps the cloud connected). */
  sketch?: SketchSpec;
  /** System mode when the sketch does not set one. */
  mode?: number;
  /** "embedded" (default: the world's aedes) or "mqtt://host:port" (an outside broker; needs realTime). */
  cloud?: 'embedded' | string;
  /** Real time: the world runs on a RealClock. Default false (virtual time; advance with run()). */
  realTime?: boolean;
  /** MQTT client id and topic level. Default "sim-<seed>". */
  deviceId?: string;
  /** Extra CloudSession options (keepAliveS, outbox, username/password…). */
  session?: Partial<CloudSessionOptions>;
  /** Wi-Fi credentials / APN / Ethernet detection to provision on a fresh storage (default: the scenario's device section). */
  provision?: { wifi?: { ssid: string; password?: string } | null; cell?: { apn?: string }; ethernet?: boolean };
  /** Which interfaces the board has (default all three). */
  interfaces?: Array<'eth0' | 'wl0' | 'cell0'>;
  /** Loop interval of the runtime (default 10 ms; larger values make long simulations cheaper). */
  loopIntervalMs?: number;
}

/** A running simulated board. */
export interface SimBoard {
  readonly world: World;
  readonly clock: Clock;
  readonly scenario: Scenario | null;
  /** The scenario's timeline once playing. */
  scenarioRun: ScenarioRun | null;
  readonly device: Device;
  readonly api: ApiBinding;
  readonly runtime: Runtime;
  readonly manager: ConnectionManager;
  readonly session: CloudSession;
  readonly storage: Storage;
  /** The board's variable pool stand-in: `memory.low()` reports low memory to the runtime. */
  readonly memory: HostMemory;
  readonly log: MemoryLog;
  readonly sketch: SketchExports;
  readonly deviceId: string;
  /** Interfaces by id, and the chip models behind them. */
  readonly ifs: { [id: string]: NetInterface };
  readonly w5500: W5500Model | null;
  readonly sim7600: Sim7600Model | null;
  /** Clock time the board started (the scenario's zero). */
  readonly t0: number;
  /** Starts the scenario's timeline now (when `play: false`). */
  play(): ScenarioRun | null;
  /** Advances virtual time by `ms` (real time: waits), letting the broker work in between. */
  run(ms: number): Promise<void>;
  runUntil(cond: () => boolean, maxMs: number): Promise<boolean>;
  /** Stops the runtime, the scenario and the world (broker). */
  stop(): Promise<void>;
}

function resolveScenario(s: string | Scenario | null | undefined): Scenario | null {
  if (s === null || s === undefined) return null;
  if (typeof s === 'string') return loadScenario(s);
  return validateScenario(s);
}

function makeStorage(s: SimBoardOptions['storage']): Storage {
  if (!s || s === 'memory') return new MemoryStorage();
  if (typeof s === 'string') {
    fs.mkdirSync(path.dirname(path.resolve(s)), { recursive: true });
    return new FileStorage(s);
  }
  return s;
}

function makePolicy(p: SimBoardOptions['policy'], settings: any): Policy {
  if (p === 'baseline') return new BaselinePolicy(settings);
  if (!p || p === 'ours') return new ConnectionPolicy(settings);
  if (typeof p === 'object' && typeof (p as Policy).order === 'function') return p as Policy;
  throw new TypeError('createSimBoard: policy must be "ours", "baseline" or a Policy');
}

function sketchOf(spec: SketchSpec | undefined, api: ApiBinding): SketchExports {
  if (spec === undefined) return {};
  if (typeof spec === 'string') return loadSketch(spec, api);
  if (typeof spec === 'function') return spec(api) || {};
  return spec;
}

/**
 * Builds the simulated board, binds a fresh API to it and starts the sketch. Async because the broker
 * (aedes) must be ready before the device's first connect.
 */
export async function createSimBoard(opts?: SimBoardOptions): Promise<SimBoard> {
  var o = opts || {};
  var seed = o.seed === undefined ? 1 : o.seed;
  var scenario = resolveScenario(o.scenario);
  var cloudUrl = o.cloud && o.cloud !== 'embedded' ? o.cloud : null;
  if (cloudUrl && !/^mqtt:\/\/[^/:]+(:\d+)?\/?$/.test(cloudUrl)) throw new TypeError('createSimBoard: cloud must be "embedded" or "mqtt://host:port"');
  if (cloudUrl && !o.realTime) throw new TypeError('createSimBoard: an outside broker needs realTime: true');
  if (o.policy !== undefined && o.policy !== 'ours' && o.policy !== 'baseline' && !(o.policy && typeof (o.policy as Policy).order === 'function')) {
    throw new TypeError('createSimBoard: policy must be "ours", "baseline" or a Policy');
  }
  var clock: Clock = o.realTime ? new RealClock() : new VirtualClock(0);
  var wo: WorldOptions = Object.assign({}, scenario && scenario.world ? scenario.world : DEFAULT_SIM_WORLD);
  wo.seed = seed;
  wo.clock = clock;
  var world = new World(wo);
  if (cloudUrl) world.cloud.broker.set({ forward: cloudUrl });
  await world.cloud.broker.ready();

  var log = new MemoryLog(function () {
    return clock.now();
  });
  var storage = makeStorage(o.storage);
  var dev = (scenario && scenario.device) || {};
  var prov = o.provision || {
    wifi: dev.wifi || DEFAULT_PROVISION.wifi,
    cell: dev.cell || DEFAULT_PROVISION.cell,
    ethernet: dev.ethernet === undefined ? true : !!dev.ethernet,
  };
  var want = o.interfaces || ['eth0', 'wl0', 'cell0'];
  var ifs: { [id: string]: NetInterface } = {};
  var list: NetInterface[] = [];
  var w5500: W5500Model | null = null;
  var sim7600: Sim7600Model | null = null;
  var deviceId = o.deviceId || 'sim-' + seed;

  if (want.indexOf('eth0') >= 0) {
    // INTn wired as on the real board (D21): the model pulls it low, the driver polls at once.
    var intPin = new SimPin(true);
    w5500 = new W5500Model({ clock: clock, nic: world.ethernetNic('eth0'), onInt: function (a) { intPin.write(!a); } });
    ifs.eth0 = new W5500Interface({ spi: w5500, int: intPin, clock: clock, log: log, mac: '02:08:dc:00:00:' + hex2(seed) });
    list.push(ifs.eth0);
  }
  if (want.indexOf('wl0') >= 0) {
    var radio = new HostWifiRadio({ airspace: world.airspace(), clock: clock, mac: '24:0a:c4:00:00:' + hex2(seed) });
    var wl = new WifiInterface({
      radio: radio,
      sockets: new SimNicSockets({ nic: function () { return radio.nic(); }, clock: clock }),
      clock: clock, storage: storage, log: log,
    });
    if (prov.wifi && !wl.hasCredentials()) wl.setCredentials({ ssid: prov.wifi.ssid, password: prov.wifi.password });
    ifs.wl0 = wl;
    list.push(wl);
  }
  if (want.indexOf('cell0') >= 0) {
    sim7600 = new Sim7600Model({ clock: clock, net: world.cellNetwork(), seed: seed });
    ifs.cell0 = new Sim7600Interface({
      uart: sim7600.uart, clock: clock, pwrkey: sim7600.pwrkey, status: sim7600.status, log: log,
      apn: prov.cell && prov.cell.apn !== undefined ? prov.cell.apn : '',
    });
    list.push(ifs.cell0);
  }
  if (prov.ethernet && storage.readJSON(FEATURES_FILE) === undefined) storage.writeJSON(FEATURES_FILE, { eth: 1 });

  var api = createApi();
  var sketch = sketchOf(o.sketch, api);
  // A sketch may carry device configuration (`export var config = {connection: {failBack: true}}`): it
  // tunes our policy; the baseline models a fixed system and ignores it.
  var skConn = sketch.config && sketch.config.connection ? sketch.config.connection : null;
  var settings = o.policy === 'baseline' ? o.settings : Object.assign({}, skConn || {}, o.settings || {});
  var policy = makePolicy(o.policy, settings);
  var session = new CloudSession(Object.assign({
    clock: clock, log: log, storage: storage, host: world.cloud.name, port: world.cloud.broker.port,
    echoPort: world.cloud.echo.port, deviceId: deviceId, keepAliveS: backstopKeepAliveS(policy),
  }, o.session || {}));
  var memory = new HostMemory();
  var device: Device = { clock: clock, storage: storage, log: log, interfaces: list, cloud: session, config: { policy: policy, seed: seed }, mem: memory };

  if (sketch.mode !== undefined && !api.started()) api.setMode(sketch.mode);
  else if (o.mode !== undefined) api.setMode(o.mode);
  var t0 = clock.now();
  var runtime = api.start(device, { setup: sketch.setup, loop: sketch.loop, loopIntervalMs: o.loopIntervalMs });

  var stopped = false;
  var board: SimBoard = {
    world: world, clock: clock, scenario: scenario, scenarioRun: null, device: device, api: api, runtime: runtime,
    manager: runtime.mgr, session: session, storage: storage, memory: memory, log: log, sketch: sketch, deviceId: deviceId,
    ifs: ifs, w5500: w5500, sim7600: sim7600, t0: t0,
    play: function () {
      if (!board.scenarioRun && scenario) board.scenarioRun = runScenario(world, scenario);
      return board.scenarioRun;
    },
    run: function (ms: number) {
      return world.run(ms);
    },
    runUntil: function (cond: () => boolean, maxMs: number) {
      return world.runUntil(cond, maxMs);
    },
    stop: function () {
      if (stopped) return Promise.resolve();
      stopped = true;
      if (board.scenarioRun) board.scenarioRun.cancel();
      api.stop();
      session.disconnect();
      return world.close();
    },
  };
  if (o.play !== false) board.play();
  return board;
}

/**
 * The MQTT keepalive the board gives the session: a backstop behind the manager's liveness checks, never
 * shorter than the longest idle interval plus its ping timeout of any kind. A shorter one (mqtt's usual
 * 60 s) would make the MQTT client ping on its own, on cellular several times per liveness interval,
 * spending data the policy did not budget and, for the baseline, detecting a silent outage sooner than
 * the system it models would.
 */
export function backstopKeepAliveS(policy: Policy): number {
  var kinds: Array<'ethernet' | 'wifi' | 'cell'> = ['ethernet', 'wifi', 'cell'];
  var ms = 0;
  for (var i = 0; i < kinds.length; i++) ms = Math.max(ms, policy.idleMs(kinds[i]) + policy.pingTimeoutMs(kinds[i]));
  return Math.min(65535, Math.max(60, Math.ceil(ms / 1000)));
}

function hex2(n: number): string {
  var s = ((n >>> 0) & 0xff).toString(16);
  return s.length < 2 ? '0' + s : s;
}

/** Path of a shipped example sketch (examples/NAME.ts). */
export function exampleSketch(name: string): string {
  return path.join(__dirname, '..', 'examples', name.replace(/\.ts$/, '') + '.ts');
}
