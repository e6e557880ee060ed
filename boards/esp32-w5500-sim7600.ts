/**
 * Board: an ESP32 dev board (Espruino 2v29) with a WIZnet W5500 Ethernet module on SPI, a SIMCom SIM7600
 * LTE modem on a UART and the ESP32's own Wi-Fi. The build's default entry point (`npm run build`).
 *
 *   eth0   W5500Interface on SPI2 (RSTn, INTn)
 *   wl0    WifiInterface over require("Wifi") (EspruinoWifiRadio) and Espruino's net/dgram
 *   cell0  Sim7600Interface on Serial2 (PWRKEY, STATUS)
 *   cloud  CloudSession (MQTT + outbox in Storage), then startRuntime with the sketch's setup/loop
 *
 * Wiring (numbers are ESP32 GPIOs, Espruino's Dn pins):
 *
 *   W5500 module            ESP32                     SIM7600 module          ESP32
 *   SCLK                    D18  (VSPI SCK)           RXD                     D17  (Serial2 TX)
 *   MISO                    D19  (VSPI MISO)          TXD                     D16  (Serial2 RX)
 *   MOSI                    D23  (VSPI MOSI)          PWRKEY                  D25  (pressed = pwrkeyActive)
 *   SCSn                    D5   (VSPI CS)            STATUS (optional)       D34  (input only; -1 = not wired)
 *   RSTn                    D4   (-1 = not wired)     GND                     GND
 *   INTn                    D21  (-1 = not wired)     VBAT: own 3.8–4.2 V supply, 2 A peaks
 *   3V3, GND                3V3, GND
 *
 * Why these pins: SPI2 is the ESP32's VSPI, whose native pins are 18/19/23/5 (D5 is a strapping pin that
 * must be high at boot, which an idle chip select is). Serial2 is given TX 17 / RX 16, so its default
 * pins (D4/D5) are free: D4 drives the W5500 reset. D21 and D25 are plain GPIOs; D34 is input-only, right
 * for a status line. D0, D2, D12 and D15 (strapping) and D6–D11 (flash) are left alone.
 * Most SIM7600 breakouts drive PWRKEY through a transistor, so a high ESP32 pin presses the key
 * (pwrkeyActive 1); set it to 0 when PWRKEY is wired directly.
 *
 * Configuration (BoardConfig, ESP32_DEFAULTS), later layers winning:
 *   1. the defaults below;
 *   2. the sketch's `export var config = {...}` (its keys that are not board keys, e.g. `connection`,
 *      go to the device configuration as they are);
 *   3. the JSON file "netswitch.json" in Storage, so that a flashed board keeps its own identity and
 *      secrets apart from the sketch:
 *        require("Storage").writeJSON("netswitch.json", {deviceId: "esp32-1", host: "192.168.1.10",
 *          username: "dev1", password: "…", apn: "internet", pins: {sim7600: {tx: 27, rx: 26}}})
 *      then reset;
 *   4. `start({config: {...}})` from an entry file of your own.
 * Unknown keys and wrong types are logged and ignored. Passwords and PINs are never logged.
 *
 * Absent hardware is a state, never an exception: on any Espruino (the Linux build, an ESP32 with nothing
 * wired) the interfaces report failed(no_hardware) (not retried), Wi-Fi reports itself absent, and the
 * runtime keeps running the sketch.
 */
import { Log, LOG_ERROR, LOG_INFO, LOG_WARN } from '../hal/log';
import { BoardConfigBase } from './board-config';
import { Spi } from '../hal/spi';
import { Uart } from '../hal/uart';
import { GpioPin } from '../hal/gpio';
import { EspruinoClock } from '../hal/espruino/clock';
import { EspruinoLog } from '../hal/espruino/log';
import { EspruinoStorage } from '../hal/espruino/storage';
import { EspruinoSpi } from '../hal/espruino/spi';
import { EspruinoUart } from '../hal/espruino/uart';
import { EspruinoPin } from '../hal/espruino/gpio';
import { EspruinoSockets } from '../hal/espruino/sockets';
import { EspruinoWifiRadio } from '../hal/espruino/wifi-radio';
import { espruinoMemory } from '../hal/espruino/memory';
import { NetInterface } from '../src/net/interface';
import { W5500Interface } from '../src/drivers/w5500/w5500-interface';
import { Sim7600Interface } from '../src/drivers/sim7600/sim7600-interface';
import { WifiInterface } from '../src/drivers/wifi/wifi-interface';
import { CloudSession } from '../src/cloud/cloud-session';
import { ConnectionPolicy } from '../src/connection/policy';
import { FEATURES_FILE } from '../src/api/runtime';
import { Device, DeviceConfig, Runtime, startRuntime } from '../src/index';

/** Pin value meaning "not wired". */
export const NOT_WIRED = -1;

/** The W5500's wiring. */
export interface W5500Pins {
  /** Name of the Espruino SPI bus global ("SPI2"). */
  spi: string;
  sck: number;
  miso: number;
  mosi: number;
  cs: number;
  /** RSTn, or NOT_WIRED. */
  rst: number;
  /** INTn, or NOT_WIRED. */
  int: number;
  /** SPI clock in Hz. */
  baud: number;
}

/** The SIM7600's wiring. */
export interface Sim7600Pins {
  /** Name of the Espruino serial port global ("Serial2"). */
  serial: string;
  /** ESP32 TX → modem RXD. */
  tx: number;
  /** ESP32 RX ← modem TXD. */
  rx: number;
  baud: number;
  /** PWRKEY, or NOT_WIRED. */
  pwrkey: number;
  /** ESP32 pin level that presses PWRKEY (1 through a transistor, 0 wired directly). */
  pwrkeyActive: number;
  /** STATUS (high when the modem is on), or NOT_WIRED. */
  status: number;
}

export interface BoardPins {
  w5500: W5500Pins;
  sim7600: Sim7600Pins;
}

/** The default wiring (see the table above). */
export var PINS: BoardPins = {
  w5500: { spi: 'SPI2', sck: 18, miso: 19, mosi: 23, cs: 5, rst: 4, int: 21, baud: 8000000 },
  sim7600: { serial: 'Serial2', tx: 17, rx: 16, baud: 115200, pwrkey: 25, pwrkeyActive: 1, status: 34 },
};

/** Storage file holding the board's configuration (any subset of BoardConfig). */
export const CONFIG_FILE = 'netswitch.json';

/** The board's configuration; every field has a default (ESP32_DEFAULTS). */
export interface BoardConfig extends BoardConfigBase {
  /** MQTT over TLS to tlsPort (Wi-Fi and cellular only; also sets the policy's requireTls). */
  tls: boolean;
  tlsPort: number;
  /** Wi-Fi network stored on first start when none is stored yet ({ssid, password}), or null. */
  wifi: any;
  /** W5500 MAC "aa:bb:cc:dd:ee:ff"; default 02:08:dc + the last 3 bytes of getSerial(). */
  mac: string;
  /** Pin overrides, any subset of PINS ({"sim7600": {"tx": 27}}). */
  pins: any;
  /** Pause between two calls of the sketch's loop(), ms; 0: the runtime's default (10). */
  loopIntervalMs: number;
}

export var ESP32_DEFAULTS: BoardConfig = {
  deviceId: '',
  host: 'netswitch-cloud',
  port: 1883,
  echoPort: 7007,
  username: '',
  password: '',
  tls: false,
  tlsPort: 8883,
  keepAliveS: 0,
  clean: false,
  apn: '',
  apnUser: '',
  apnPassword: '',
  simPin: '',
  ethernet: true,
  wifi: null,
  mac: '',
  logLevel: LOG_INFO,
  connection: null,
  outbox: null,
  pins: null,
  loopIntervalMs: 0,
  memoryReport: true,
};

export interface BoardOptions {
  /** The last configuration layer (wins over Storage). */
  config?: any;
  /** Use the buses even if this is not an ESP32 build. */
  force?: boolean;
}

/** What `start` assembled. */
export interface Board {
  cfg: BoardConfig;
  pins: BoardPins;
  /** True on an ESP32 Espruino build (its buses and pins exist). */
  esp32: boolean;
  log: Log;
  device: Device | null;
  runtime: Runtime | null;
}

/** The board in use (set by `start`). */
export var current: Board | null = null;

/** A copy of `a` with the fields of `b` over it, objects merged (pins: two levels). Pure. */
function overlay(a: any, b: any): any {
  var out: any = {};
  var k: string;
  for (k in a) out[k] = a[k];
  for (k in b) {
    var v = b[k];
    out[k] = v && typeof v === 'object' && !(v instanceof Array) && out[k] && typeof out[k] === 'object' ? overlay(out[k], v) : v;
  }
  return out;
}

/**
 * The configuration from its layers, later ones winning (pure). Unknown keys and values of the wrong type
 * are left out and named in `problems` (by key, never by value).
 */
export function mergeConfig(layers: any[]): { cfg: BoardConfig; problems: string[] } {
  var cfg: any = {};
  var d: any = ESP32_DEFAULTS;
  var k: string;
  for (k in d) cfg[k] = d[k];
  var problems: string[] = [];
  for (var i = 0; i < layers.length; i++) {
    var l = layers[i];
    if (!l || typeof l !== 'object') continue;
    for (k in l) {
      var v = l[k];
      if (!(k in d)) problems.push('unknown setting "' + k + '"');
      else if (v === null || v === undefined) cfg[k] = d[k];
      else if (d[k] === null ? typeof v !== 'object' : typeof v !== typeof d[k]) problems.push('"' + k + '" must be a ' + (d[k] === null ? 'object' : typeof d[k]));
      else cfg[k] = d[k] === null && cfg[k] ? overlay(cfg[k], v) : v;
    }
  }
  var id = cfg.deviceId;
  if (id && (id.length > 64 || id.indexOf('/') >= 0 || id.indexOf('+') >= 0 || id.indexOf('#') >= 0)) {
    problems.push('bad "deviceId" (1-64 characters, no "/", "+" or "#")');
    cfg.deviceId = '';
  }
  return { cfg: cfg, problems: problems };
}

/** The letters and digits of `getSerial()` ("" when there is none). */
function serialHex(): string {
  var s = typeof getSerial === 'function' ? String(getSerial()) : '';
  var out = '';
  for (var i = 0; i < s.length; i++) {
    var c = s.charAt(i);
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) out += c.toLowerCase();
  }
  return out;
}

/** Espruino's board name (process.env.BOARD: "ESP32", "ESP32_IDF4", "LINUX", ...), or "". */
function boardName(): string {
  var n = typeof process !== 'undefined' && process.env ? process.env.BOARD : '';
  return typeof n === 'string' ? n : '';
}

/** True on an ESP32 build of Espruino. */
export function isEsp32(): boolean {
  return boardName().indexOf('ESP32') === 0;
}

function globalObject(name: string): any {
  return typeof global !== 'undefined' ? (global as any)[name] : undefined;
}

function pinOrNull(pin: number, mode: string): GpioPin | undefined {
  return pin === NOT_WIRED ? undefined : new EspruinoPin(pin, mode);
}

/** Stand-ins for a bus this runtime lacks: the drivers then report failed(no_hardware). */
var NO_SPI: Spi = {
  send: function (d: Uint8Array) {
    return new Uint8Array(d.length);
  },
};
var NO_UART: Uart = { write: function () {}, onData: function () {}, setBaud: function () {} };
var NO_PIN: GpioPin = {
  write: function () {},
  read: function () {
    return false;
  },
  watch: function () {
    return function () {};
  },
};

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

/** The sketch's `config`: board keys (first) and the rest, which is device configuration. */
function splitSketchConfig(c: any): { board: any; device: any } {
  var board: any = {};
  var device: any = {};
  if (c && typeof c === 'object') for (var k in c) (k in ESP32_DEFAULTS ? board : device)[k] = c[k];
  return { board: board, device: device };
}

/** The MQTT keepalive behind the manager's own liveness checks: never shorter than its longest idle + ping. */
function backstopKeepAliveS(p: ConnectionPolicy): number {
  var kinds: Array<'ethernet' | 'wifi' | 'cell'> = ['ethernet', 'wifi', 'cell'];
  var ms = 0;
  for (var i = 0; i < 3; i++) ms = Math.max(ms, p.idleMs(kinds[i]) + p.pingTimeoutMs(kinds[i]));
  return Math.min(65535, Math.max(60, Math.ceil(ms / 1000)));
}

/**
 * Reads the configuration, creates the HAL bindings, the three interfaces and the cloud session, and
 * starts the runtime with the sketch. Called once when this file loads; nothing in it throws (a bad
 * configuration is logged and the runtime is not started).
 */
export function start(opts?: BoardOptions): Board {
  var o = opts || {};
  var storage = new EspruinoStorage();
  var sk = sketchExports();
  var skc = splitSketchConfig(sk && sk.config);
  var m = mergeConfig([skc.board, storage.readJSON(CONFIG_FILE), o.config]);
  var cfg = m.cfg;
  var log = new EspruinoLog(cfg.logLevel);
  var pins: BoardPins = overlay(PINS, cfg.pins || {});
  var esp32 = isEsp32() || !!o.force;
  var b: Board = { cfg: cfg, pins: pins, esp32: esp32, log: log, device: null, runtime: null };
  current = b;
  for (var i = 0; i < m.problems.length; i++) log.log(LOG_WARN, 'board', CONFIG_FILE + ': ' + m.problems[i]);
  try {
    assemble(b, storage, skc.device, sk);
  } catch (e) {
    log.log(LOG_ERROR, 'board', 'runtime not started: ' + ((e as any) && (e as any).message));
  }
  return b;
}

function assemble(b: Board, storage: EspruinoStorage, dc: DeviceConfig, sk: any): void {
  var cfg = b.cfg;
  var log = b.log;
  var pins = b.pins;
  var clock = new EspruinoClock();
  var hex = serialHex();
  if (!cfg.deviceId) cfg.deviceId = 'esp32-' + (hex.slice(-12) || 'device');
  if (!b.esp32) log.log(LOG_WARN, 'board', 'not an ESP32 build (BOARD=' + boardName() + '): no SPI2/Serial2 hardware');
  log.log(LOG_INFO, 'board', 'device ' + cfg.deviceId + ', cloud ' + cfg.host + ':' + cfg.port + ' (echo ' + cfg.echoPort + ')' +
    (cfg.username ? ', user ' + cfg.username : '') + (cfg.apn ? ', apn ' + cfg.apn : ''));

  // eth0: the W5500 (the driver pulses RSTn, reads VERSIONR and reports no_hardware when nothing answers).
  var w = pins.w5500;
  var spiBus = b.esp32 ? globalObject(w.spi) : undefined;
  var mac = cfg.mac;
  if (!mac) {
    var t = ('000000' + hex).slice(-6);
    mac = '02:08:dc:' + t.substr(0, 2) + ':' + t.substr(2, 2) + ':' + t.substr(4, 2);
  }
  var eth = new W5500Interface({
    spi: spiBus ? new EspruinoSpi({ spi: spiBus, sck: w.sck, miso: w.miso, mosi: w.mosi, cs: w.cs, baud: w.baud }) : NO_SPI,
    rst: spiBus ? pinOrNull(w.rst, 'output') : undefined,
    int: spiBus ? pinOrNull(w.int, 'input_pullup') : undefined,
    clock: clock, log: log, mac: mac,
  });

  // wl0: the ESP32's Wi-Fi and its sockets (Espruino's net/dgram, never NetworkJS).
  var radio = new EspruinoWifiRadio();
  if (!radio.present) log.log(LOG_WARN, 'wl0', 'absent (no Wifi module)');
  var wl = new WifiInterface({
    radio: radio.present ? radio : null, sockets: new EspruinoSockets(), clock: clock, storage: storage, log: log,
  });
  if (cfg.wifi && !wl.hasCredentials()) {
    try {
      wl.setCredentials({ ssid: cfg.wifi.ssid, password: cfg.wifi.password });
    } catch (e) {
      log.log(LOG_WARN, 'board', CONFIG_FILE + ': "wifi": ' + ((e as any) && (e as any).message));
    }
  }

  // cell0: the SIM7600. Without a serial port the modem gets no boot wait: one AT sync, then no_hardware.
  var s = pins.sim7600;
  var serial = b.esp32 ? globalObject(s.serial) : undefined;
  var cell = new Sim7600Interface({
    uart: serial ? new EspruinoUart({ serial: serial, tx: s.tx, rx: s.rx, baud: s.baud }) : NO_UART,
    pwrkey: (serial && pinOrNull(s.pwrkey, 'output')) || NO_PIN,
    pwrkeyActive: !!s.pwrkeyActive,
    status: serial ? pinOrNull(s.status, 'input') : undefined,
    timings: serial ? undefined : { bootMs: 0 },
    clock: clock, log: log, apn: cfg.apn,
    user: cfg.apnUser || undefined, password: cfg.apnPassword || undefined, pin: cfg.simPin || undefined,
  });
  var ifs: NetInterface[] = [eth, wl, cell];

  var policy: ConnectionPolicy;
  try {
    var conn = cfg.connection || undefined;
    // Without this the manager could pick Ethernet, where a TLS-only session can never come up.
    if (cfg.tls) conn = Object.assign({}, conn || {}, { requireTls: true });
    policy = new ConnectionPolicy(conn);
  } catch (e) {
    log.log(LOG_WARN, 'board', CONFIG_FILE + ': "connection": ' + ((e as any) && (e as any).message) + '; defaults used');
    policy = new ConnectionPolicy();
  }
  var cloud = new CloudSession({
    clock: clock, log: log, storage: storage, host: cfg.host, port: cfg.port, echoPort: cfg.echoPort,
    tls: cfg.tls, tlsPort: cfg.tlsPort,
    deviceId: cfg.deviceId, username: cfg.username || undefined, password: cfg.password || undefined,
    keepAliveS: cfg.keepAliveS || backstopKeepAliveS(policy), clean: cfg.clean, outbox: cfg.outbox || undefined,
  });
  if (storage.read(FEATURES_FILE) === undefined) storage.writeJSON(FEATURES_FILE, cfg.ethernet ? { eth: 1 } : {});
  dc.policy = policy;
  if (!dc.rnd) dc.rnd = Math.random;
  var device: Device = { clock: clock, storage: storage, log: log, interfaces: ifs, cloud: cloud, config: dc, mem: espruinoMemory };
  b.device = device;
  b.runtime = startRuntime(device, {
    mode: sk ? sk.mode : undefined, setup: sk && sk.setup, loop: sk && sk.loop,
    loopIntervalMs: cfg.loopIntervalMs || undefined,
  });
  if (cfg.memoryReport && typeof process !== 'undefined') {
    clock.setTimeout(function () {
      var mem = process.memory();
      log.log(LOG_INFO, 'board', 'memory after start-up: usage ' + mem.usage + ' of ' + mem.total + ' blocks');
    }, 0);
  }
}

start();
