/**
 * Board: Espruino's own Linux build (a Raspberry Pi gateway, any Linux PC). The host's network stack
 * (Ethernet, Wi-Fi, a USB modem's PPP: whatever carries the default route) is one interface, "eth0" of
 * kind Ethernet, over Espruino's `net` and `dgram`; optionally a SIM7600 (a HAT or USB module) on a serial
 * device is "cell0". Storage is Espruino's (`./espruino.flash` in the working directory).
 *
 *   npm run build -- --board espruino-linux --sketch examples/failover-demo.ts
 *   cd /some/dir && espruino /path/to/build/out/failover-demo.espruino-linux.js
 *
 * Configuration (docs/raspberry-pi.md), later layers winning: the defaults (LINUX_DEFAULTS: cloud on
 * 127.0.0.1:1883, echo 7007, device id "linux-<serial>"), the sketch's `export var config`, the JSON file
 * "netswitch.json" in Storage, then "netswitch.json" in the working directory, e.g.
 *
 *   {"deviceId": "pi1", "host": "192.168.1.10", "port": 1883, "echoPort": 7007,
 *    "username": "dev1", "password": "…", "apn": "internet", "cellular": {"path": "/dev/ttyUSB2"}}
 *
 * What it cannot do: see which OS interface carries a socket (the stack routes, not us), watch the link
 * (the interface is always up; a dead upstream is noticed by the session's liveness checks), or use
 * Espruino's Wifi module (the Linux build has none: the OS joins Wi-Fi networks).
 * Absent hardware and an unreachable cloud are states and log lines, never exceptions.
 */
import { Log, LOG_ERROR, LOG_INFO, LOG_WARN } from '../hal/log';
import { GpioPin } from '../hal/gpio';
import { EspruinoClock } from '../hal/espruino/clock';
import { EspruinoLog } from '../hal/espruino/log';
import { EspruinoStorage } from '../hal/espruino/storage';
import { EspruinoSockets } from '../hal/espruino/sockets';
import { EspruinoPin } from '../hal/espruino/gpio';
import { espruinoMemory } from '../hal/espruino/memory';
import { NetInterface } from '../src/net/interface';
import { NativeIf } from '../src/net/native-if';
import { Sim7600Interface } from '../src/drivers/sim7600/sim7600-interface';
import { CloudSession } from '../src/cloud/cloud-session';
import { FEATURES_FILE } from '../src/api/runtime';
import { Device, DeviceConfig, Runtime, startRuntime } from '../src/index';
import { CONFIG_FILE, LinuxConfig, LINUX_DEFAULTS, mergeConfig, defaultDeviceId, describeConfig } from './espruino-linux/config';
import { HostNet, readHostNet } from './espruino-linux/host-net';
import { EspruinoUart } from '../hal/espruino/uart';
import { FixedPin } from './espruino-linux/fixed-pin';

/** What `start` assembled. */
export interface LinuxBoard {
  cfg: LinuxConfig;
  log: Log;
  host: HostNet;
  device: Device;
  cloud: CloudSession;
  runtime: Runtime | null;
}

export interface LinuxBoardOptions {
  /** A last configuration layer (wins over the files), e.g. from your own entry file. */
  config?: any;
}

/** The board in use (set by `start`). */
export var current: LinuxBoard | null = null;

/** A file of the host as a string, or undefined (Espruino's `fs` throws on a missing file). */
export function readHostFile(path: string): string | undefined {
  try {
    var s = require('fs').readFileSync(path);
    return typeof s === 'string' ? s : undefined;
  } catch (e) {
    return undefined;
  }
}

/** True when the host has a file (or device) at `path`; Espruino's `fs.statSync` gives undefined or throws otherwise. */
export function hostFileExists(path: string): boolean {
  try {
    return !!require('fs').statSync(path);
  } catch (e) {
    return false;
  }
}

/**
 * The exports of the sketch built into this file (`npm run build -- --sketch FILE`: module "sketch", run
 * before this board), e.g. its `setup`, `loop` and `config`; null in a board-only build.
 */
export function sketchExports(): any {
  try {
    return require('sketch');
  } catch (e) {
    return null;
  }
}

/** `process.memory()` as a log line (the ESP32 board's format, plus the block size when known). */
function memoryLine(when: string): string {
  var m = process.memory();
  return 'memory ' + when + ': usage ' + m.usage + ' of ' + m.total + ' blocks' + (m.blocksize ? ' (' + m.blocksize + ' bytes each)' : '');
}

/** Reads a configuration JSON file from the working directory; `problems` gets what went wrong. */
function readConfigFile(name: string, problems: string[]): any {
  var s = readHostFile(name);
  if (s === undefined) return null;
  try {
    return JSON.parse(s);
  } catch (e) {
    problems.push(name + ': not valid JSON, ignored');
    return null;
  }
}

/** The part of a sketch's `config` that is board configuration (the rest goes to DeviceConfig as is). */
function splitSketchConfig(c: any): { board: any; device: any } {
  var board: any = {};
  var device: any = {};
  if (c && typeof c === 'object') {
    for (var k in c) {
      if (k in LINUX_DEFAULTS) board[k] = c[k];
      else device[k] = c[k];
    }
  }
  return { board: board, device: device };
}

function gpio(n: number, mode: string): GpioPin {
  return new EspruinoPin(n, mode);
}

/** cell0: a SIM7600 on a serial device. PWRKEY/STATUS not wired: the module is taken to be always on. */
function makeCell(cfg: LinuxConfig, clock: EspruinoClock, log: Log): NetInterface | null {
  var c = cfg.cellular!;
  var serial = typeof global !== 'undefined' ? (global as any)[c.serial] : undefined;
  if (!serial || typeof serial.setup !== 'function') {
    log.log(LOG_WARN, 'sim7600', 'no serial object ' + c.serial + ': no modem');
    return null;
  }
  var uart = new EspruinoUart({ serial: serial, path: c.path, baud: c.baud });
  if (!hostFileExists(c.path)) log.log(LOG_WARN, 'sim7600', c.path + ' not found: the modem will report no_hardware');
  var pwrkey = c.pwrkey >= 0 ? gpio(c.pwrkey, 'output') : new FixedPin(false);
  var status = c.status >= 0 ? gpio(c.status, 'input') : c.pwrkey >= 0 ? undefined : new FixedPin(true);
  if (c.pwrkey >= 0) pwrkey.write(!c.pwrkeyActive);
  return new Sim7600Interface({
    uart: uart, clock: clock, log: log, pwrkey: pwrkey, pwrkeyActive: !!c.pwrkeyActive, status: status,
    apn: cfg.apn, user: cfg.apnUser || undefined, password: cfg.apnPassword || undefined, pin: cfg.simPin || undefined,
  });
}

/**
 * Reads the configuration, creates the HAL bindings, the interfaces and the cloud session, and starts the
 * runtime with the sketch. Called once when this file loads.
 */
export function start(opts?: LinuxBoardOptions): LinuxBoard | null {
  var storage = new EspruinoStorage();
  var problems: string[] = [];
  var sk = sketchExports();
  var skc = splitSketchConfig(sk && sk.config);
  var m = mergeConfig([
    { name: 'sketch config', value: skc.board },
    { name: CONFIG_FILE + ' (Storage)', value: storage.readJSON(CONFIG_FILE) },
    { name: CONFIG_FILE, value: readConfigFile(CONFIG_FILE, problems) },
    { name: 'start()', value: opts && opts.config },
  ]);
  var cfg = m.cfg;
  problems = problems.concat(m.problems);
  var log = new EspruinoLog(cfg.logLevel);
  for (var i = 0; i < problems.length; i++) log.log(LOG_WARN, 'board', problems[i]);
  if (!cfg.deviceId) cfg.deviceId = defaultDeviceId(getSerial());
  var clock = new EspruinoClock();
  var host = readHostNet(readHostFile);
  log.log(LOG_INFO, 'board', describeConfig(cfg));
  log.log(host.ifName ? LOG_INFO : LOG_WARN, 'board', host.ifName
    ? 'host network: ' + host.ifName + ' ' + host.ip + '/' + host.netmask + ' via ' + host.gateway + ', dns ' + host.dns +
      (host.link ? ', link ' + host.link : '')
    : 'host network: no default route seen (loopback and local routes still work)');
  var eth = new NativeIf({
    sockets: new EspruinoSockets(), clock: clock, log: log, id: 'eth0', kind: 'ethernet', maxSockets: cfg.maxSockets,
    info: { ip: host.ip, netmask: host.netmask, gateway: host.gateway, dns: host.dns, mac: host.mac },
  });
  var ifs: NetInterface[] = [eth];
  if (cfg.cellular) {
    var cell = makeCell(cfg, clock, log);
    if (cell) ifs.push(cell);
  }
  var cloud = new CloudSession({
    clock: clock, log: log, storage: storage, host: cfg.host, port: cfg.port, echoPort: cfg.echoPort,
    deviceId: cfg.deviceId, username: cfg.username || undefined, password: cfg.password || undefined,
    keepAliveS: cfg.keepAliveS, clean: cfg.clean, outbox: cfg.outbox || undefined,
  });
  // The host stack is always there: Ethernet detection is on (config "ethernet") until features are stored.
  if (storage.read(FEATURES_FILE) === undefined) storage.writeJSON(FEATURES_FILE, cfg.ethernet ? { eth: 1 } : {});
  var dc: DeviceConfig = skc.device;
  if (cfg.connection) dc.connection = cfg.connection;
  // No Math.random here: the Linux build never seeds it (every device would draw the same jitter). The
  // manager's own generator is seeded from the MAC and the clock.
  var device: Device = { clock: clock, storage: storage, log: log, interfaces: ifs, cloud: cloud, config: dc, mem: espruinoMemory };
  var b: LinuxBoard = { cfg: cfg, log: log, host: host, device: device, cloud: cloud, runtime: null };
  current = b;
  cloud.events.on('up', function () {
    var n = cloud.stats().queued;
    if (n) log.log(LOG_INFO, 'board', 'outbox: ' + n + ' message(s) to deliver');
  });
  if (cfg.memoryReport) {
    var first = function () {
      cloud.events.off('up', first);
      log.log(LOG_INFO, 'board', memoryLine('at first cloud connection'));
    };
    cloud.events.on('up', first);
  }
  try {
    b.runtime = startRuntime(device, { setup: sk && sk.setup, loop: sk && sk.loop });
  } catch (e) {
    log.log(LOG_ERROR, 'board', 'runtime not started: ' + ((e as any) && (e as any).message));
    return b;
  }
  if (cfg.memoryReport) {
    clock.setTimeout(function () {
      log.log(LOG_INFO, 'board', memoryLine('after start-up'));
    }, 0);
  }
  return b;
}

start();
