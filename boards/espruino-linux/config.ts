import { LOG_INFO } from '../../hal/log';
import { BoardConfigBase } from '../board-config';

/** Name of the configuration file (in the working directory, or in Storage: same name, same shape). */
export const CONFIG_FILE = 'netswitch.json';

/** A SIM7600 (HAT or USB module) on a serial device of the Linux host. */
export interface CellConfig {
  /** Serial device, e.g. "/dev/ttyUSB2" (USB modules: the AT port) or "/dev/ttyS0" (a HAT on the GPIO UART). */
  path: string;
  baud: number;
  /** Espruino's serial object carrying it ("Serial1"). */
  serial: string;
  /** GPIO number (Linux sysfs) of PWRKEY, -1 when not wired (the module is always on, like a USB modem). */
  pwrkey: number;
  /** 1 when a high pin presses PWRKEY (a transistor stage), 0 when wired directly. */
  pwrkeyActive: number;
  /** GPIO number of STATUS, -1 when not wired (then the module is taken to be on). */
  status: number;
}

/** The board's configuration; every field has a default (LINUX_DEFAULTS). */
export interface LinuxConfig extends BoardConfigBase {
  /** Most sockets open at once over the host's stack. */
  maxSockets: number;
  /** A SIM7600 on a serial device, or null (none). */
  cellular: CellConfig | null;
}

export var LINUX_DEFAULTS: LinuxConfig = {
  deviceId: '',
  host: '127.0.0.1',
  port: 1883,
  echoPort: 7007,
  username: '',
  password: '',
  keepAliveS: 60,
  clean: false,
  apn: '',
  apnUser: '',
  apnPassword: '',
  simPin: '',
  ethernet: true,
  logLevel: LOG_INFO,
  outbox: null,
  connection: null,
  maxSockets: 8,
  cellular: null,
  memoryReport: true,
};

export var CELL_DEFAULTS: CellConfig = {
  path: '',
  baud: 115200,
  serial: 'Serial1',
  pwrkey: -1,
  pwrkeyActive: 1,
  status: -1,
};

/** "00000000-addeadde" → "linux-00000000-addeadde": the serial with every character outside [A-Za-z0-9_-] dropped. */
export function defaultDeviceId(serial: any): string {
  var s = typeof serial === 'string' ? serial : '';
  var out = '';
  for (var i = 0; i < s.length && out.length < 40; i++) {
    var c = s.charAt(i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_') out += c;
  }
  return 'linux-' + (out || 'device');
}

/** True for a usable device id: 1–64 characters, none of "/", "+", "#". */
export function validDeviceId(id: any): boolean {
  return typeof id === 'string' && id.length > 0 && id.length <= 64 && id.indexOf('/') < 0 && id.indexOf('+') < 0 &&
    id.indexOf('#') < 0;
}

/** The known, well-typed fields of a `cellular` layer; the rest named in `problems`. */
function checkCell(v: any, pre: string, problems: string[]): any {
  var out: any = {};
  for (var k in v) {
    if (!(k in CELL_DEFAULTS)) problems.push(pre + 'unknown setting "cellular.' + k + '"');
    else if (typeof v[k] !== typeof (CELL_DEFAULTS as any)[k]) problems.push(pre + '"cellular.' + k + '" must be a ' + typeof (CELL_DEFAULTS as any)[k]);
    else out[k] = v[k];
  }
  return out;
}

/** Copies `src`'s own fields over `dst` (objects merged one level further, so `connection.probe` adds up). */
function assignDeep(dst: any, src: any): void {
  for (var k in src) {
    var v = src[k];
    var d = dst[k];
    if (v && typeof v === 'object' && !(v instanceof Array) && d && typeof d === 'object') {
      var m: any = {};
      var j: string;
      for (j in d) m[j] = d[j];
      for (j in v) m[j] = v[j];
      dst[k] = m;
    } else {
      dst[k] = v;
    }
  }
}

/** One configuration layer: where it came from (for messages) and its value (any subset of LinuxConfig). */
export interface ConfigLayer {
  name: string;
  value: any;
}

/**
 * The configuration from its layers, later ones winning: the defaults, then each of `layers` (values that
 * are not objects are skipped). Returns the merged config and the problems found, each prefixed with its
 * layer's name: unknown keys and wrong types are left out (named by key, never by value). Pure.
 */
export function mergeConfig(layers: ConfigLayer[]): { cfg: LinuxConfig; problems: string[] } {
  var cfg: any = {};
  var k: string;
  for (k in LINUX_DEFAULTS) cfg[k] = (LINUX_DEFAULTS as any)[k];
  var problems: string[] = [];
  for (var i = 0; i < layers.length; i++) {
    var l = layers[i].value;
    var pre = layers[i].name + ': ';
    if (!l || typeof l !== 'object') continue;
    var ok: any = {};
    for (k in l) {
      var def = (LINUX_DEFAULTS as any)[k];
      var v = l[k];
      if (!(k in LINUX_DEFAULTS)) problems.push(pre + 'unknown setting "' + k + '"');
      else if (v === null || v === undefined) ok[k] = def;
      else if (def === null ? typeof v !== 'object' : typeof v !== typeof def) problems.push(pre + '"' + k + '" must be a ' + (def === null ? 'object' : typeof def));
      else if (k === 'cellular') ok[k] = checkCell(v, pre, problems);
      else ok[k] = v;
    }
    assignDeep(cfg, ok);
  }
  if (cfg.cellular) {
    var c: any = {};
    for (k in CELL_DEFAULTS) c[k] = (CELL_DEFAULTS as any)[k];
    for (k in cfg.cellular) c[k] = cfg.cellular[k];
    cfg.cellular = c.path ? c : null;
    if (!c.path) problems.push('cellular: no "path" (serial device): no modem');
  }
  if (!(cfg.port > 0 && cfg.port < 65536)) {
    problems.push('bad port ' + cfg.port);
    cfg.port = LINUX_DEFAULTS.port;
  }
  if (!(cfg.echoPort > 0 && cfg.echoPort < 65536)) {
    problems.push('bad echoPort ' + cfg.echoPort);
    cfg.echoPort = LINUX_DEFAULTS.echoPort;
  }
  if (cfg.deviceId && !validDeviceId(cfg.deviceId)) {
    problems.push('bad "deviceId" (1-64 characters, no "/", "+" or "#")');
    cfg.deviceId = '';
  }
  return { cfg: cfg, problems: problems };
}

/** A one-line summary for the log (the ESP32 board's format): no password, no PIN. */
export function describeConfig(c: LinuxConfig): string {
  return 'device ' + c.deviceId + ', cloud ' + c.host + ':' + c.port + ' (echo ' + c.echoPort + ')' +
    (c.username ? ', user ' + c.username : '') + (c.cellular ? ', SIM7600 on ' + c.cellular.path + (c.apn ? ', apn ' + c.apn : '') : '');
}
