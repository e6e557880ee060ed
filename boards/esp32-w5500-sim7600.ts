/**
 * Board: an ESP32 dev board (Espruino 2v29) with a WIZnet W5500 Ethernet module on SPI and a SIMCom
 * SIM7600 LTE modem on a UART. The build's default entry point (`npm run build`).
 *
 * Wiring (numbers are ESP32 GPIOs, Espruino's Dn pins):
 *
 *   W5500 module            ESP32                     SIM7600 module          ESP32
 *   SCLK                    D18  (VSPI SCK)           RXD                     D17  (Serial2 TX)
 *   MISO                    D19  (VSPI MISO)          TXD                     D16  (Serial2 RX)
 *   MOSI                    D23  (VSPI MOSI)          PWRKEY                  D25  (pressed = PWRKEY_ACTIVE)
 *   SCSn                    D5   (VSPI CS)            STATUS (optional)       D34  (input only; -1 = not wired)
 *   RSTn                    D4                        GND                     GND
 *   INTn                    D21  (-1 = not wired)     VBAT: own 3.8–4.2 V supply, 2 A peaks
 *   3V3, GND                3V3, GND
 *
 * Why these pins: SPI2 is the ESP32's VSPI, whose native pins are 18/19/23/5 (D5 is a strapping pin that
 * must be high at boot, which an idle chip select is). Serial2 is given TX 17 / RX 16, so its default
 * pins (D4/D5) are free: D4 drives the W5500 reset. D21 and D25 are plain GPIOs; D34 is input-only, right
 * for a status line. D0, D2, D12 and D15 (strapping) and D6–D11 (flash) are left alone.
 * Most SIM7600 breakouts drive PWRKEY through a transistor, so a high ESP32 pin presses the key
 * (PWRKEY_ACTIVE 1); set it to 0 when PWRKEY is wired directly.
 *
 * Overriding: every field of PINS can be replaced, in this order of precedence:
 *   1. `start({ pins: { w5500: { cs: 15 } } })` from your own entry file;
 *   2. a JSON file in Storage named "netswitch.pins" with the same shape, e.g.
 *      `require("Storage").writeJSON("netswitch.pins", {sim7600: {tx: 27, rx: 26}})`, then reset;
 *   3. the defaults below.
 *
 * Absent hardware is a state, never an exception: the board runs on any Espruino (the Linux build, an
 * ESP32 with nothing wired) and reports what it did not find.
 */
import { Clock } from '../hal/clock';
import { Log, LOG_INFO, LOG_WARN } from '../hal/log';
import { Storage } from '../hal/storage';
import { Spi } from '../hal/spi';
import { Uart } from '../hal/uart';
import { GpioPin } from '../hal/gpio';
import { NativeSockets } from '../hal/sockets';
import { EspruinoClock } from '../hal/espruino/clock';
import { EspruinoLog } from '../hal/espruino/log';
import { EspruinoStorage } from '../hal/espruino/storage';
import { EspruinoSpi } from '../hal/espruino/spi';
import { EspruinoUart } from '../hal/espruino/uart';
import { EspruinoPin } from '../hal/espruino/gpio';
import { EspruinoSockets } from '../hal/espruino/sockets';

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

/** Storage file holding pin overrides (same shape as PINS, any subset). */
export const PINS_FILE = 'netswitch.pins';

/** Hardware probe states. */
export const HW_UNKNOWN = 0;
export const HW_ABSENT = 1;
export const HW_PRESENT = 2;
export var HW_STATE_NAMES = ['unknown', 'absent', 'present'];

/** W5500 VERSIONR (common register 0x0039) reads 0x04 on a real chip. */
export const W5500_VERSIONR = 0x0039;
export const W5500_VERSION = 0x04;

/** What the board hands to the drivers: HAL objects, or null for a bus this runtime lacks. */
export interface Board {
  pins: BoardPins;
  /** True on an ESP32 Espruino build (its buses and pins exist). */
  esp32: boolean;
  clock: Clock;
  log: Log;
  storage: Storage;
  /** Sockets of the runtime's own network (the ESP32 Wi-Fi). */
  sockets: NativeSockets;
  w5500: { spi: Spi; rst: GpioPin | null; int: GpioPin | null } | null;
  sim7600: { uart: Uart; baud: number; pwrkey: GpioPin | null; pwrkeyActive: number; status: GpioPin | null } | null;
  /** HW_* of the W5500 (VERSIONR probe, a few ms after start). */
  w5500State: number;
  /** HW_* of the SIM7600: left to its driver (it needs an AT exchange). */
  sim7600State: number;
}

export interface BoardOptions {
  /** Pin overrides (any subset of PINS); they win over the Storage file. */
  pins?: any;
  /** Log level (LOG_*), default LOG_INFO. */
  logLevel?: number;
  /** Use the buses even if this is not an ESP32 build. */
  force?: boolean;
}

/** `base` with the fields of `over` replaced, two levels deep (pure). */
export function mergePins(base: BoardPins, over: any): BoardPins {
  var out: any = {};
  var k: string;
  for (k in base) {
    var b: any = (base as any)[k];
    var o = over && typeof over === 'object' ? over[k] : undefined;
    var m: any = {};
    for (var f in b) m[f] = o && o[f] !== undefined ? o[f] : b[f];
    out[k] = m;
  }
  return out;
}

/** True on an ESP32 build of Espruino (process.env.BOARD "ESP32", "ESP32_IDF4", ...). */
export function isEsp32(): boolean {
  return typeof process !== 'undefined' && !!process.env && typeof process.env.BOARD === 'string' &&
    process.env.BOARD.indexOf('ESP32') === 0;
}

function globalObject(name: string): any {
  return typeof global !== 'undefined' ? (global as any)[name] : undefined;
}

function pinOrNull(pin: number, mode?: string): GpioPin | null {
  return pin === NOT_WIRED ? null : new EspruinoPin(pin, mode);
}

/** Reads VERSIONR: one SPI window, address 0x0039, control byte 0x00 (common block, read). */
export function readW5500Version(spi: Spi): number {
  var r = spi.send(new Uint8Array([W5500_VERSIONR >> 8, W5500_VERSIONR & 0xff, 0x00, 0x00]));
  return r[3];
}

/** The board in use (set by `start`). */
export var current: Board | null = null;

/**
 * Creates the HAL bindings for this wiring, probes the W5500, and assembles the device. Called once when
 * this file loads, with the Storage overrides; call it yourself first only from an entry of your own.
 */
export function start(opts?: BoardOptions): Board {
  var o = opts || {};
  var log = new EspruinoLog(o.logLevel);
  var storage = new EspruinoStorage();
  var pins = mergePins(mergePins(PINS, storage.readJSON(PINS_FILE)), o.pins);
  var esp32 = isEsp32() || !!o.force;
  var b: Board = {
    pins: pins,
    esp32: esp32,
    clock: new EspruinoClock(),
    log: log,
    storage: storage,
    sockets: new EspruinoSockets(),
    w5500: null,
    sim7600: null,
    w5500State: HW_UNKNOWN,
    sim7600State: HW_UNKNOWN,
  };
  current = b;
  if (!esp32) {
    var name = typeof process !== 'undefined' && process.env ? process.env.BOARD : '?';
    log.log(LOG_WARN, 'board', 'not an ESP32 build (BOARD=' + name + '): no W5500, no SIM7600');
  }
  var spiBus = esp32 ? globalObject(pins.w5500.spi) : undefined;
  if (spiBus) {
    var w = pins.w5500;
    b.w5500 = {
      spi: new EspruinoSpi({ spi: spiBus, sck: w.sck, miso: w.miso, mosi: w.mosi, cs: w.cs, baud: w.baud }),
      rst: pinOrNull(w.rst, 'output'),
      int: pinOrNull(w.int, 'input_pullup'),
    };
  }
  var serial = esp32 ? globalObject(pins.sim7600.serial) : undefined;
  if (serial) {
    var s = pins.sim7600;
    var key = pinOrNull(s.pwrkey, 'output');
    if (key) key.write(!s.pwrkeyActive);
    b.sim7600 = {
      uart: new EspruinoUart({ serial: serial, tx: s.tx, rx: s.rx, baud: s.baud }),
      baud: s.baud,
      pwrkey: key,
      pwrkeyActive: s.pwrkeyActive,
      status: pinOrNull(s.status, 'input'),
    };
  } else {
    b.sim7600State = HW_ABSENT;
    log.log(LOG_INFO, 'sim7600', 'no serial port: ' + HW_STATE_NAMES[HW_ABSENT]);
  }
  probeW5500(b);
  assemble(b);
  return b;
}

/** Releases the W5500 reset, waits for its PLL (≥ 1 ms), reads VERSIONR once and records the state. */
function probeW5500(b: Board): void {
  var w = b.w5500;
  if (!w) {
    setW5500State(b, HW_ABSENT);
    return;
  }
  if (w.rst) w.rst.write(true);
  b.clock.setTimeout(function () {
    var v = -1;
    try {
      v = readW5500Version(w!.spi);
    } catch (e) {
      v = -1;
    }
    setW5500State(b, v === W5500_VERSION ? HW_PRESENT : HW_ABSENT);
  }, 2);
}

function setW5500State(b: Board, st: number): void {
  b.w5500State = st;
  b.log.log(LOG_INFO, 'w5500', st === HW_PRESENT ? 'chip found (VERSIONR 0x04)' : 'no chip');
}

/**
 * The exports of the sketch built into this file (`npm run build -- --sketch FILE`: module "sketch", run
 * before this board), e.g. its `setup` and `loop`; null in a board-only build.
 */
export function sketchExports(): any {
  try {
    return require('sketch');
  } catch (e) {
    return null;
  }
}

/**
 * ======== Device assembly: the place where the drivers and the connection manager are wired in. ========
 * Inputs: `b.w5500` ({spi, rst, int}) for the W5500 driver (eth0), `b.sim7600` ({uart, pwrkey, status})
 * for the SIM7600 driver (cell0), `require("Wifi")` for the Wi-Fi driver (wl0), `b.sockets` for sockets
 * over the ESP32's own network, `b.clock`, `b.log`, `b.storage` for everything. A null bus means "this
 * runtime has no such hardware": the driver is created anyway and reports no_hardware as its state.
 * Then the connection manager over those interfaces, and the API facade a sketch imports: e.g.
 * `startRuntime(device, { setup: sk.setup, loop: sk.loop })` with `sk = sketchExports()`.
 */
function assemble(b: Board): void {
  // Not wired yet: drivers and the manager are being written. Nothing here may throw.
  var sk = sketchExports();
  b.log.log(LOG_INFO, 'board', 'esp32-w5500-sim7600 up (drivers not assembled yet)' + (sk ? '; sketch loaded' : ''));
}

start();
