/**
 * `npm run bench`: every metric of DESIGN.md §7, ours beside the Particle-like baseline (same scenario,
 * same seed, virtual time), with the goals checked and a closing note on every goal missed.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  PolicyName, FailoverResult, hardFailover, hardFailoverWifi, silentFailover, silentFailoverCell, probeCost,
  idleCell, boot, worldHour,
} from './cases';
import { benchW5500 } from '../w5500/bench';
import { runSim7600Bench } from '../sim7600/bench';
import { benchWorld } from '../bench-world';
import { exampleSketch } from '../../boards/host-sim';
import { DEFAULT_SETTINGS } from '../../src/connection/policy';

export var ROOT = path.resolve(__dirname, '..', '..');
export var FIRMWARE_FILE = path.join(ROOT, 'build', 'out', 'esp32-w5500-sim7600.js');
export var BENCH_JSON = path.join(ROOT, 'build', 'bench.json');

/** One row: ours, the baseline's where it applies, the ratio baseline / ours (> 1: ours is better). */
export interface Metric {
  unit: string;
  ours: number | null;
  baseline: number | null;
  ratio: number | null;
  /** What we aim for, in words, and whether it holds (null: no goal). */
  goal: string | null;
  met: boolean | null;
  /** Figures behind the number. */
  detail?: any;
}

export interface BenchResult {
  generated: string;
  seed: number;
  quick: boolean;
  /** Wall time of the whole benchmark, ms. */
  wallMs: number;
  metrics: { [key: string]: Metric };
  /** The closing note: one line per goal missed (by how much and why), and caveats. */
  notes: string[];
}

export interface BenchOptions {
  seed?: number;
  /** Reduced run for tests: no firmware build (the existing file is measured if there), short world hour. */
  quick?: boolean;
  /** Build the firmware (default: unless quick). */
  build?: boolean;
  /** Progress lines (default none). */
  progress?: (line: string) => void;
  /**
   * The ESP32-layout interpreter for the memory figures (default: ESPRUINO_ESP32_BIN; null: do not
   * measure). Quick mode shortens its runs (5 s boot, 10 s in the cut pool).
   */
  esp32Bin?: string | null;
}

/** The ESP32 memory goals (issue: the firmware must fit on a real ESP32). */
export var ESP32_STARTUP_GOAL = 6000;
export var ESP32_CUT_POOL = 8000;
export var ESP32_CUT_POOL_SECONDS = 60;
export var ESP32_BOOT_SECONDS = 15;

function ratio(ours: number | null, base: number | null): number | null {
  if (ours === null || base === null || !(ours > 0) || base < 0) return null;
  return Math.round((base / ours) * 100) / 100;
}

function failMs(r: FailoverResult): number | null {
  return r.ms >= 0 ? r.ms : null;
}

function row(unit: string, ours: number | null, base: number | null, goal: string | null, met: boolean | null, detail?: any): Metric {
  return { unit: unit, ours: ours, baseline: base, ratio: ratio(ours, base), goal: goal, met: met, detail: detail };
}

async function both<T>(f: (p: PolicyName) => Promise<T>): Promise<{ ours: T; baseline: T }> {
  var ours = await f('ours');
  var baseline = await f('baseline');
  return { ours: ours, baseline: baseline };
}

/** Runs the benchmark. */
export async function runBench(o?: BenchOptions): Promise<BenchResult> {
  var opts = o || {};
  var seed = opts.seed === undefined ? 1 : opts.seed;
  var quick = !!opts.quick;
  var say = opts.progress || function () {};
  var t0 = Date.now();
  var m: { [k: string]: Metric } = {};
  var notes: string[] = [];

  say('hard failover (cable pulled under the session)');
  var hard = await both(function (p) { return hardFailover(p, seed); });
  var hardW = await both(function (p) { return hardFailoverWifi(p, seed); });
  var ho = failMs(hard.ours);
  var hb = failMs(hard.baseline);
  var hr = ratio(ho, hb);
  m.failover_hard_ms = row('ms', ho, hb, '<= 1500 ms and >= 3x faster than the baseline', ho !== null && ho <= 1500 && hr !== null && hr >= 3, {
    fault: 'eth0 cable pulled at 60 s, wl0 and cell0 up', ours: hard.ours, baseline: hard.baseline,
    wifi_ap_lost: { ours: hardW.ours, baseline: hardW.baseline, ratio: ratio(failMs(hardW.ours), failMs(hardW.baseline)) },
  });

  say('silent upstream outage (Ethernet, Wi-Fi, cellular)');
  var limit = 600000;
  var se = await both(function (p) { return silentFailover(p, seed, 'eth0', limit); });
  var sw = await both(function (p) { return silentFailover(p, seed, 'wl0', limit); });
  var sc = await both(function (p) { return silentFailoverCell(p, seed, 3600000); });
  m['failover_silent_ms.ethernet'] = row('ms', failMs(se.ours), failMs(se.baseline), '<= 10000 ms', failMs(se.ours) !== null && se.ours.ms <= 10000, { ours: se.ours, baseline: se.baseline });
  m['failover_silent_ms.wifi'] = row('ms', failMs(sw.ours), failMs(sw.baseline), '<= 10000 ms', failMs(sw.ours) !== null && sw.ours.ms <= 10000, { ours: sw.ours, baseline: sw.baseline });
  m['failover_silent_ms.cellular'] = row('ms', failMs(sc.ours), failMs(sc.baseline), null, null, { ours: sc.ours, baseline: sc.baseline });

  say('probe cost (broker restart with all three links up)');
  var pc = await both(function (p) { return probeCost(p, seed); });
  m.probe_bytes_per_interface = row('bytes', pc.ours.bytesPerInterface, pc.baseline.bytesPerInterface, '<= 300 bytes', pc.ours.bytesPerInterface <= 300, { ours: pc.ours, baseline: pc.baseline });
  m.probe_ms = row('ms', pc.ours.evaluationMs, pc.baseline.evaluationMs, null, null, { oursBlocking: pc.ours.blocking, baselineBlocking: pc.baseline.blocking });

  say('idle cellular session, one hour');
  var ic = await both(function (p) { return idleCell(p, seed, 3600000); });
  var budget = DEFAULT_SETTINGS.cellBudgetBytesPerHour;
  m.idle_cell_bytes_per_hour = row('bytes/h', ic.ours.bytesPerHour, ic.baseline.bytesPerHour, '<= ' + budget + ' bytes/h (our cellular liveness budget)', ic.ours.bytesPerHour <= budget, {
    ours: ic.ours, baseline: ic.baseline,
  });
  m['idle_cell_bytes_per_hour.detection_bound_ms'] = row('ms', ic.ours.detectionBoundMs, ic.baseline.detectionBoundMs, null, null);

  say('boot to cloud');
  var bt = await both(function (p) { return boot(p, seed, false); });
  var bu = await both(function (p) { return boot(p, seed, true); });
  m.boot_to_cloud_overhead_ms = row('ms', bt.ours.overheadMs, bt.baseline.overheadMs, null, null, {
    all_links_up: { ours: bt.ours, baseline: bt.baseline },
    ethernet_unplugged: { ours: bu.ours, baseline: bu.baseline },
  });
  m['boot_to_cloud_overhead_ms.ethernet_unplugged'] = row('ms', bu.ours.overheadMs, bu.baseline.overheadMs, null, null);

  say('bus efficiency of the drivers');
  var w = benchW5500(quick ? 4096 : 16384);
  var wr = Math.round(((w.send.spiBytes + w.receive.spiBytes) / (w.send.payload + w.receive.payload)) * 10000) / 10000;
  m.w5500_bus_ratio = row('SPI bytes per payload byte', wr, null, null, null, w);
  var s7 = runSim7600Bench(quick ? 4096 : 16384);
  m.sim7600_uart_ratio = row('UART bytes per payload byte', s7.uartBytesPerPayloadByte, null, null, null, s7);

  say('firmware size');
  var fw = await firmwareSize(opts.build === undefined ? !quick : opts.build, notes);
  m.firmware_bytes = row('bytes (minified)', fw.bytes, null, '<= 49152 bytes (48 KB)', fw.bytes === null ? null : fw.bytes <= 49152, fw.detail);

  say('ESP32 memory (booted from Storage in the ESP32 layout)');
  var esp = await esp32Memory(opts.esp32Bin === undefined ? process.env.ESPRUINO_ESP32_BIN || null : opts.esp32Bin, quick, notes, say);
  for (var ek in esp) m[ek] = esp[ek];

  say('world hour');
  var hourMs = quick ? 300000 : 3600000;
  var wb = await benchWorld(hourMs, seed);
  var wh = Math.round((wb.wallMs * 3600000) / hourMs);
  var dh = await worldHour(seed, hourMs, exampleSketch('failover-demo'));
  m.world_hour_wall_ms = row('ms', wh, null, null, null, {
    virtualMsRun: hourMs, world: wb,
    board: { note: 'the whole simulated board (three chip models, drivers, manager, MQTT session) running the failover demo', wallMsPerHour: dh.wallMs, published: dh.published, delivered: dh.delivered },
  });

  closingNotes(m, notes, { hard: hard, pc: pc, ic: ic, bu: bu });
  return { generated: new Date().toISOString(), seed: seed, quick: quick, wallMs: Date.now() - t0, metrics: m, notes: notes };
}

/** Builds the firmware (unless told not to) and measures build/out/esp32-w5500-sim7600.js. */
async function firmwareSize(build: boolean, notes: string[]): Promise<{ bytes: number | null; detail: any }> {
  var detail: any = { file: path.relative(ROOT, FIRMWARE_FILE) };
  if (build) {
    try {
      var b = require('../../build/build');
      var r = await b.buildFirmware({});
      detail.built = true;
      detail.largest = r.sizes.slice().sort(function (a: any, c: any) { return c.bytes - a.bytes; }).slice(0, 8);
    } catch (e) {
      detail.built = false;
      detail.error = String((e as any) && (e as any).message ? (e as any).message : e).split('\n')[0];
      notes.push('firmware build failed (' + detail.error + '); the size is that of the last built file, if any.');
    }
  }
  if (!fs.existsSync(FIRMWARE_FILE)) {
    notes.push('firmware_bytes: ' + detail.file + ' does not exist (run `npm run build`).');
    return { bytes: null, detail: detail };
  }
  if (!detail.largest) {
    var man = FIRMWARE_FILE.replace(/\.js$/, '.manifest.json');
    try {
      var mf = JSON.parse(fs.readFileSync(man, 'utf8'));
      detail.largest = mf.modules.slice().sort(function (a: any, c: any) { return c.bytes - a.bytes; }).slice(0, 8).map(function (x: any) { return { id: x.id, bytes: x.bytes }; });
    } catch (e) {
      // no manifest: the size alone
    }
  }
  return { bytes: fs.statSync(FIRMWARE_FILE).size, detail: detail };
}

/**
 * The firmware (build/out/esp32-w5500-sim7600.js) booted from Storage in the ESP32-layout interpreter
 * (build/esp32-boot.ts): blocks after start-up (the firmware's own line) and the peak (console samples
 * once a second) in a run of ESP32_BOOT_SECONDS; then ESP32_CUT_POOL_SECONDS with the pool cut to
 * ESP32_CUT_POOL blocks by a ballast: whether it ran without OUT OF MEMORY, and its figures (without the
 * ballast). Without an interpreter the rows say they were not measured (null, not 0).
 */
async function esp32Memory(bin: string | null, quick: boolean, notes: string[], say: (l: string) => void): Promise<{ [k: string]: Metric }> {
  var unmeasured = function (why: string): { [k: string]: Metric } {
    var d = { measured: false, reason: why };
    return {
      'esp32_blocks.after_startup': row('blocks', null, null, '<= ' + ESP32_STARTUP_GOAL + ' blocks', null, d),
      'esp32_blocks.peak': row('blocks', null, null, null, null, d),
      'esp32_blocks.pool_8000_60s': row('blocks (peak, firmware alone)', null, null, 'runs ' + ESP32_CUT_POOL_SECONDS + ' s in a pool cut to ' + ESP32_CUT_POOL + ' blocks, no OUT OF MEMORY', null, d),
    };
  };
  if (!bin) {
    notes.push('esp32_blocks: not measured (ESPRUINO_ESP32_BIN not set: it needs an ESP32-layout Espruino interpreter, docs/memory.md).');
    return unmeasured('ESPRUINO_ESP32_BIN not set');
  }
  if (!fs.existsSync(FIRMWARE_FILE)) {
    notes.push('esp32_blocks: not measured (' + path.relative(ROOT, FIRMWARE_FILE) + ' does not exist).');
    return unmeasured('no firmware file');
  }
  var eb = require('../../build/esp32-boot');
  var bootS = quick ? 5 : ESP32_BOOT_SECONDS;
  var cutS = quick ? 10 : ESP32_CUT_POOL_SECONDS;
  var base = { file: path.relative(ROOT, FIRMWARE_FILE), bytes: fs.statSync(FIRMWARE_FILE).size, interpreter: bin, loadedFrom: 'Storage (.bootcde)', peakSampling: 'process.memory().usage through the console every 1 s, and the firmware\'s start-up figure' };
  say('  booting for ' + bootS + ' s');
  var a = await eb.measureBoot({ bin: bin, file: FIRMWARE_FILE, seconds: bootS });
  say('  ' + (a.ok ? '' : 'FAILED (' + a.problem + '), ') + eb.describeMeasure(a));
  say('  pool cut to ' + ESP32_CUT_POOL + ' blocks, ' + cutS + ' s');
  var c = await eb.measureBoot({ bin: bin, file: FIRMWARE_FILE, seconds: cutS, pool: ESP32_CUT_POOL });
  say('  ' + (c.ok ? '' : 'FAILED (' + c.problem + '), ') + eb.describeMeasure(c));
  var figures = function (r: any, secs: number): any {
    return Object.assign({}, base, {
      measured: true, seconds: secs, ok: r.ok, problem: r.problem || null, outOfMemory: r.outOfMemory,
      afterStartup: r.startup ? r.startup.usage : null, pool: r.startup ? r.startup.total : r.last ? r.last.total : null,
      peak: r.peak >= 0 ? r.peak : null, samples: r.samples.length, last: r.last, ballastBlocks: r.ballastBlocks,
      firmwarePeak: r.firmwarePeak >= 0 ? r.firmwarePeak : null,
      firmwareAfterStartup: r.startup ? r.startup.usage - r.ballastBlocks : null, failures: r.failures.slice(0, 5),
    });
  };
  var da = figures(a, bootS);
  var dc = figures(c, cutS);
  var startup = a.startup ? a.startup.usage : null;
  var out: { [k: string]: Metric } = {
    'esp32_blocks.after_startup': row('blocks', startup, null, '<= ' + ESP32_STARTUP_GOAL + ' blocks', startup === null ? false : startup <= ESP32_STARTUP_GOAL, da),
    'esp32_blocks.peak': row('blocks', a.peak >= 0 ? a.peak : null, null, null, null, da),
    'esp32_blocks.pool_8000_60s': row('blocks (peak, firmware alone)', c.firmwarePeak >= 0 ? c.firmwarePeak : null, null,
      'runs ' + ESP32_CUT_POOL_SECONDS + ' s in a pool cut to ' + ESP32_CUT_POOL + ' blocks, no OUT OF MEMORY', c.ok, dc),
  };
  if (startup === null || startup > ESP32_STARTUP_GOAL) {
    notes.push('esp32_blocks.after_startup misses <= ' + ESP32_STARTUP_GOAL + ' blocks' + (startup === null ? ': no start-up figure (' + (a.problem || '?') + ')' :
      ' by ' + (startup - ESP32_STARTUP_GOAL) + ' (' + startup + ' of ' + (a.startup.total) + ', ' + Math.round((startup / a.startup.total) * 100) + ' % of the pool)') + '.');
  }
  if (!c.ok) {
    notes.push('esp32_blocks.pool_8000_60s: ' + (c.outOfMemory ? 'OUT OF MEMORY' : 'failed') + ' with the pool cut to ' + ESP32_CUT_POOL + ' blocks (ballast ' + c.ballastBlocks + '): ' + c.problem + '.');
  }
  if (quick) notes.push('esp32_blocks: quick mode, shorter runs (' + bootS + ' s boot, ' + cutS + ' s in the cut pool).');
  return out;
}

function s1(ms: number): string {
  return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
}

/** One line per goal missed, saying by how much and, from the measured figures, why. */
function closingNotes(m: { [k: string]: Metric }, notes: string[], x: any): void {
  var h = m.failover_hard_ms;
  if (h.met === false && h.ours !== null) {
    var d = h.detail.ours;
    var why = 'ours moves in ' + s1(h.ours) + (d && d.breakdown ? ' (' + d.breakdown + ')' : '') + '; the baseline in ' + (h.baseline !== null ? s1(h.baseline) : 'never') +
      ' (it reconnects on stale scores after its fixed 1 s backoff, without probing).';
    if (h.ours > 1500) notes.push('failover_hard_ms misses <= 1.5 s by ' + s1(h.ours - 1500) + ': ' + why);
    if (h.ratio !== null && h.ratio < 3) {
      notes.push('failover_hard_ms is ' + h.ratio + 'x the baseline, short of 3x by ' + Math.round((3 - h.ratio) * 100) / 100 + 'x (ours would need <= ' +
        Math.floor((h.baseline || 0) / 3) + ' ms): ' + why + ' Our probe of every ready interface waits for the slowest answer (cellular, ~' +
        (x.pc.ours.rtt.cell0 || '?') + ' ms RTT, after 3 packets 100 ms apart) before the first connect.');
    }
  }
  var keys = ['failover_silent_ms.ethernet', 'failover_silent_ms.wifi'];
  for (var i = 0; i < keys.length; i++) {
    var k = keys[i];
    var r = m[k];
    if (r.met === false) {
      notes.push(k + (r.ours === null ? ' did not move within the run' : ' misses <= 10 s by ' + s1(r.ours - 10000)) +
        ': liveness pings after ' + s1(DEFAULT_SETTINGS.idleMs) + ' idle with a ' + s1(DEFAULT_SETTINGS.pingTimeoutMs) + ' answer limit, then a probe and a connect.');
    }
  }
  var p = m.probe_bytes_per_interface;
  if (p.met === false && p.ours !== null) notes.push('probe_bytes_per_interface misses <= 300 bytes by ' + (p.ours - 300) + ' bytes.');
  var ic = m.idle_cell_bytes_per_hour;
  if (ic.met === false && ic.ours !== null) {
    var pings = x.ic.ours.pings;
    notes.push('idle_cell_bytes_per_hour misses the ' + DEFAULT_SETTINGS.cellBudgetBytesPerHour + ' bytes/h budget by ' + (ic.ours - DEFAULT_SETTINGS.cellBudgetBytesPerHour) +
      ' bytes/h: ' + pings + ' pings cost ' + Math.round(ic.ours / Math.max(1, pings)) + ' bytes each on the air (PINGREQ and PINGRESP with TCP/IP headers, plus a bare ACK), the policy budgets ' +
      DEFAULT_SETTINGS.pingCostBytes + ' (pingCostBytes).');
  }
  var fw = m.firmware_bytes;
  if (fw.met === false && fw.ours !== null) {
    var big = (fw.detail.largest || []).slice(0, 4).map(function (s: any) { return s.id + ' ' + (s.bytes / 1024).toFixed(1) + ' KB'; }).join(', ');
    notes.push('firmware_bytes misses 48 KB by ' + ((fw.ours - 49152) / 1024).toFixed(1) + ' KB (' + (fw.ours / 1024).toFixed(1) + ' KB, ' +
      (fw.ours / 49152).toFixed(2) + 'x the goal); largest modules: ' + big + '.');
  }
  var bu = x.bu;
  if (bu.ours.overheadMs > bu.baseline.overheadMs + 500) {
    notes.push('boot with the Ethernet cable out: ours waits ' + s1(bu.ours.overheadMs) + ' after Wi-Fi is ready (the ' + s1(DEFAULT_SETTINGS.graceMs) +
      ' grace window for the higher-ranked Ethernet, by design); the baseline takes the first ready interface at once.');
  }
  if (ic.ours !== null && ic.baseline !== null && ic.ours > ic.baseline) {
    var b0 = m['idle_cell_bytes_per_hour.detection_bound_ms'];
    notes.push('idle cellular: ours spends ' + (ic.ours / Math.max(1, ic.baseline)).toFixed(1) + 'x the baseline\'s bytes to bound silent-outage detection at ' +
      s1(b0.ours || 0) + ' instead of ' + s1(b0.baseline || 0) + '.');
  }
}

/** The side-by-side table. */
export function formatTable(r: BenchResult): string {
  var rows: string[][] = [['metric', 'ours', 'baseline', 'ratio', 'goal']];
  for (var k in r.metrics) {
    var x = r.metrics[k];
    rows.push([
      k + ' (' + x.unit + ')', x.ours === null ? '-' : String(x.ours), x.baseline === null ? '-' : String(x.baseline),
      x.ratio === null ? '-' : x.ratio + 'x', x.goal === null ? '' : (x.met ? 'ok  ' : x.met === false ? 'MISS' : '?   ') + ' ' + x.goal,
    ]);
  }
  var w = [0, 0, 0, 0, 0];
  rows.forEach(function (rw) {
    rw.forEach(function (c, i) {
      w[i] = Math.max(w[i], c.length);
    });
  });
  var out = rows.map(function (rw, j) {
    var line = rw.map(function (c, i) {
      return i === 0 || i === 4 ? padR(c, w[i]) : padL(c, w[i]);
    }).join('  ');
    return j === 0 ? line + '\n' + line.replace(/./g, '-') : line;
  });
  out.push('');
  out.push('ratio = baseline / ours: how many times better ours is (> 1 better, < 1 worse).');
  if (r.notes.length) {
    out.push('');
    out.push('notes:');
    r.notes.forEach(function (n) {
      out.push('  - ' + n);
    });
  }
  return out.join('\n');
}

function padR(s: string, n: number): string {
  while (s.length < n) s += ' ';
  return s;
}

function padL(s: string, n: number): string {
  while (s.length < n) s = ' ' + s;
  return s;
}

/** Writes build/bench.json (or `file`). */
export function writeBenchJson(r: BenchResult, file?: string): string {
  var f = file || BENCH_JSON;
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, JSON.stringify(r, null, 2) + '\n');
  return f;
}
