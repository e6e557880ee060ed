/**
 * The per-module memory report: how many blocks each module costs once loaded, in the ESP32 layout,
 * booted from Storage (build/esp32-boot.ts). Made by the build when ESPRUINO_ESP32_BIN is set.
 *
 * A copy of the minified bundle gets one statement after the helper prelude and after every top-level
 * `Modules.addCached(...)`: `print("#MOD "+process.memory().usage+" "+k)` (k counts the markers).
 * `process.memory()` collects garbage first, so the difference between two markers is what the module
 * left behind: its function objects, prototypes, export object and whatever its body created. The board
 * module comes last and assembles the board when it loads, so its figure includes the device, the
 * interfaces and the runtime start. Code stays in flash (Storage), as on the board; the markers' own text
 * is flash too, and the one short string each print makes is gone by the next marker.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as acorn from 'acorn';
import { addCachedId, moduleIdsOf } from './minify';
import { Esp32Boot, BootReport } from './esp32-boot';

/** One measured part of the bundle: a module id, "(helpers)" or "(top level)". */
export interface ModuleBlocks {
  id: string;
  blocks: number;
}

export interface MemoryReport {
  /** The interpreter's own usage before the first statement. */
  empty: number;
  /** In bundle order. */
  parts: ModuleBlocks[];
  /** Usage after the last module (the board assembled). */
  loaded: number;
  /** The firmware's own "memory after start-up" figure in the instrumented run (-1: not printed). */
  startup: number;
  total: number;
  /** Failure lines of the run (an OUT OF MEMORY while loading shows here). */
  failures: string[];
  /** Markers seen / expected (fewer: the run stopped early, e.g. out of memory). */
  seen: number;
  expected: number;
}

/** Marker statement k. */
export function marker(k: number): string {
  return 'print("#MOD "+process.memory().usage+" ' + k + '");';
}

/**
 * The instrumented copy of `code` and the label of each marker after the first (marker 0 is at the very
 * start): consecutive statements that are not module definitions are measured together.
 */
export function instrumentBundle(code: string, ids?: { [short: string]: string }): { code: string; labels: string[] } {
  var ast: any = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  var units: { label: string; text: string }[] = [];
  for (var node of ast.body) {
    var seq = node.type === 'ExpressionStatement' && node.expression.type === 'SequenceExpression' ? node.expression.expressions : null;
    if (seq) {
      for (var ex of seq) {
        var id = addCachedId({ type: 'ExpressionStatement', expression: ex }, ids);
        units.push({ label: id !== undefined ? id : '(top level)', text: code.slice(ex.start, ex.end) + ';' });
      }
    } else {
      var id2 = addCachedId(node, ids);
      var label = id2 !== undefined ? id2 : node.type === 'FunctionDeclaration' ? '(helpers)' : '(top level)';
      var text = code.slice(node.start, node.end);
      if (node.type === 'ExpressionStatement' && !/;\s*$/.test(text)) text += ';';
      units.push({ label: label, text: text });
    }
  }
  var out = [marker(0)];
  var labels: string[] = [];
  for (var i = 0; i < units.length; i++) {
    out.push(units[i].text);
    var next = units[i + 1];
    var isModule = units[i].label.charAt(0) !== '(';
    if (isModule || !next || next.label !== units[i].label) {
      labels.push(units[i].label);
      out.push(marker(labels.length));
    }
  }
  return { code: out.join('\n') + '\n', labels: labels };
}

/** Reads the markers out of a run's lines: usage at marker k, by k. */
export function readMarkers(lines: string[]): { [k: number]: number } {
  var at: { [k: number]: number } = {};
  for (var l of lines) {
    var m = /#MOD (\d+) (\d+)/.exec(l);
    if (m && at[+m[2]] === undefined) at[+m[2]] = +m[1];
  }
  return at;
}

/** The report from the labels and a run's lines (a pure function, also for tests). */
export function makeReport(labels: string[], lines: string[], boot: BootReport): MemoryReport {
  var at = readMarkers(lines);
  var parts: ModuleBlocks[] = [];
  var seen = at[0] === undefined ? 0 : 1;
  for (var k = 1; k <= labels.length; k++) {
    if (at[k] === undefined || at[k - 1] === undefined) break;
    parts.push({ id: labels[k - 1], blocks: at[k] - at[k - 1] });
    seen++;
  }
  var last = parts.length ? at[parts.length] : -1;
  return {
    empty: at[0] === undefined ? -1 : at[0], parts: parts, loaded: last, startup: boot.startup ? boot.startup.usage : -1,
    total: boot.startup ? boot.startup.total : boot.last ? boot.last.total : -1, failures: boot.failures, seen: seen, expected: labels.length + 1,
  };
}

/**
 * Boots an instrumented copy of the built `file` from Storage in `bin` and measures each module. Waits
 * for the last marker and the firmware's start-up line (at most `seconds` after boot).
 */
export async function measureModules(bin: string, file: string, seconds?: number): Promise<MemoryReport> {
  var inst = instrumentBundle(fs.readFileSync(file, 'latin1'), moduleIdsOf(file));
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-report-'));
  var copy = path.join(dir, 'instrumented.js');
  fs.writeFileSync(copy, inst.code, 'latin1');
  var b = new Esp32Boot({ bin: bin, file: copy, sampleMs: 0 });
  try {
    await b.start();
    var limit = (seconds || 15) * 1000;
    var t0 = Date.now();
    await b.waitLine(new RegExp('#MOD \\d+ ' + inst.labels.length + '$'), limit);
    await b.waitLine(/memory after start-up: usage/, Math.max(0, limit - (Date.now() - t0)));
  } finally {
    await b.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return makeReport(inst.labels, b.lines, b.report());
}

/** Writes the figures into the manifest: `blocks` on each module, a `memory` summary. */
export function addToManifest(manifestFile: string, r: MemoryReport, how: string): void {
  var m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  var by: { [id: string]: number } = {};
  for (var p of r.parts) by[p.id] = (by[p.id] || 0) + p.blocks;
  for (var mod of m.modules || []) if (by[mod.id] !== undefined) mod.blocks = by[mod.id];
  m.memory = {
    measured: how,
    emptyInterpreter: r.empty,
    helpers: by['(helpers)'] !== undefined ? by['(helpers)'] : null,
    topLevel: by['(top level)'] !== undefined ? by['(top level)'] : null,
    afterLoading: r.loaded,
    afterStartup: r.startup,
    poolBlocks: r.total,
    complete: r.seen === r.expected,
    failures: r.failures,
  };
  fs.writeFileSync(manifestFile, JSON.stringify(m, null, 2) + '\n');
}

/** The build's size table with the blocks beside the bytes. */
export function formatSizesWithBlocks(sizes: { id: string; bytes: number }[], r: MemoryReport, file: string): string {
  var by: { [id: string]: number } = {};
  for (var p of r.parts) by[p.id] = (by[p.id] || 0) + p.blocks;
  var w = 8;
  for (var s of sizes) w = Math.max(w, s.id.length);
  var lines = ['  ' + pad('module', w) + '  bytes (minified)  blocks (ESP32 layout, once loaded)'];
  var bytes = 0;
  for (var s2 of sizes) {
    bytes += s2.bytes;
    lines.push('  ' + pad(s2.id, w) + '  ' + lpad(String(s2.bytes), 16) + '  ' + lpad(by[s2.id] === undefined ? '-' : String(by[s2.id]), 6));
  }
  if (by['(top level)'] !== undefined) lines.push('  ' + pad('(top level)', w) + '  ' + lpad('', 16) + '  ' + lpad(String(by['(top level)']), 6));
  var blocks = 0;
  for (var p2 of r.parts) blocks += p2.blocks;
  lines.push('  ' + pad('total', w) + '  ' + lpad(String(bytes), 16) + '  ' + lpad(String(blocks), 6) + '  ' + file);
  lines.push('  blocks: ' + (r.empty >= 0 ? r.empty + ' for the empty interpreter, ' : '') + (r.loaded >= 0 ? r.loaded + ' with every module loaded and the board assembled, ' : '') +
    (r.startup >= 0 ? r.startup + ' after start-up' : 'no start-up figure') + (r.total > 0 ? ', of ' + r.total : '') +
    (r.seen < r.expected ? '; INCOMPLETE: ' + r.seen + ' of ' + r.expected + ' markers' : '') + (r.failures.length ? '; ' + r.failures[0] : ''));
  return lines.join('\n');
}

/** `s` padded with blanks on the right to `n` characters (the build's tables). */
export function pad(s: string, n: number): string {
  while (s.length < n) s += ' ';
  return s;
}

/** `s` padded with blanks on the left to `n` characters. */
export function lpad(s: string, n: number): string {
  while (s.length < n) s = ' ' + s;
  return s;
}
