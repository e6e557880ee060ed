/**
 * `npm run check:espruino [-- FILE.js ...]`: the compatibility gate over the built files (default: every
 * build/out/*.js that is not a .debug.js).
 *
 * 1. Static rules (build/gate-rules.ts) over the minified file, and over its debug build for the messages:
 *    each violation names the module, the .ts file and line (through the debug build's source map) and the
 *    line in the debug build.
 * 2. With ESPRUINO_BIN set: runs each file in that interpreter (at most ESPRUINO_TIMEOUT seconds, default
 *    10) and fails on an "Uncaught"/"ERROR" line or a non-zero exit. Still running at the limit is fine
 *    (firmware has timers); it is killed then. Without ESPRUINO_BIN it says that it skipped this step.
 * 3. With ESPRUINO_ESP32_BIN set (an ESP32-layout interpreter, docs/memory.md): boots each ESP32 build
 *    (its manifest's board is esp32-*) from Storage as a saved board does (build/esp32-boot.ts), lets it
 *    run ESPRUINO_TIMEOUT seconds, prints its blocks after start-up and the peak, and fails on Uncaught,
 *    OUT OF MEMORY, Execution Interrupted, interpreter errors, ASSERT or EXITING. Without it: skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as acorn from 'acorn';
import { checkCode, Violation } from './gate-rules';
import { lookupIndexed } from './sourcemap';
import { addCachedId, moduleIdsOf } from './minify';
import { runInEspruino } from './espruino-run';
import { measureBoot, describeMeasure } from './esp32-boot';

export interface GateMessage {
  rule: string;
  message: string;
  /** Module id, "(helpers)" or "(top level)". */
  module: string;
  /** "src/x.ts:12" when mapped, else the file and line checked. */
  where: string;
}

/** Top-level ranges of a bundle: which module each offset belongs to. */
function moduleRanges(code: string, ids?: { [short: string]: string }): { id: string; start: number; end: number; line: number }[] {
  var out: { id: string; start: number; end: number; line: number }[] = [];
  var ast: any;
  try {
    ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
  } catch (e) {
    return out;
  }
  for (var node of ast.body) {
    var exprs = node.type === 'ExpressionStatement' && node.expression.type === 'SequenceExpression' ? node.expression.expressions : [node.type === 'ExpressionStatement' ? node.expression : null];
    for (var ex of exprs) {
      var target = ex || node;
      var id = ex ? addCachedId({ type: 'ExpressionStatement', expression: ex }, ids) : undefined;
      out.push({ id: id !== undefined ? id : node.type === 'FunctionDeclaration' ? '(helpers)' : '(top level)', start: target.start, end: target.end, line: target.loc.start.line });
    }
  }
  return out;
}

function moduleAt(ranges: { id: string; start: number; end: number; line: number }[], pos: number): { id: string; line: number } {
  for (var r of ranges) if (pos >= r.start && pos < r.end) return r;
  return { id: '(top level)', line: 1 };
}

/** Checks one built file (and its .debug.js beside it, when present). Returns the messages. */
export function checkBuiltFile(file: string): GateMessage[] {
  var code = fs.readFileSync(file, 'latin1');
  var debugFile = file.replace(/\.js$/, '.debug.js');
  var minViolations = checkCode(code);
  var messages: GateMessage[] = [];
  var seen: { [k: string]: boolean } = {};
  if (fs.existsSync(debugFile)) {
    var dcode = fs.readFileSync(debugFile, 'latin1');
    var map: any = null;
    try {
      map = JSON.parse(fs.readFileSync(debugFile + '.map', 'utf8'));
    } catch (e) {
      map = null;
    }
    var dranges = moduleRanges(dcode);
    for (var v of checkCode(dcode)) {
      var m = moduleAt(dranges, v.pos);
      var where = path.basename(debugFile) + ':' + v.line;
      var orig = map ? lookupIndexed(map, v.line - 1, v.column) : null;
      if (orig && m.id.charAt(0) !== '(') where = orig.source + ':' + orig.line + ' (' + where + ')';
      else if (m.id.charAt(0) !== '(') where = 'line ' + (v.line - m.line) + ' of the module (' + where + ')';
      seen[v.rule + ' ' + m.id] = true;
      messages.push({ rule: v.rule, message: v.message, module: m.id, where: where });
    }
  }
  var ranges = moduleRanges(code, moduleIdsOf(file));
  for (var mv of minViolations) {
    var mm = moduleAt(ranges, mv.pos);
    if (seen[mv.rule + ' ' + mm.id]) continue;
    messages.push({ rule: mv.rule, message: mv.message, module: mm.id, where: path.basename(file) + ':' + mv.line + ':' + (mv.column + 1) });
  }
  return messages;
}

/** The bundles in a folder: *.js without .debug.js. */
export function builtFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(function (f) { return /\.js$/.test(f) && !/\.debug\.js$/.test(f); }).sort()
    .map(function (f) { return path.join(dir, f); });
}

function rel(f: string): string {
  var r = path.relative(process.cwd(), f);
  return r.startsWith('..') ? f : r;
}

/** Runs the gate; returns the exit code. `print` receives each output line. */
export function runGate(files: string[], env: { [k: string]: string | undefined }, print: (s: string) => void): number {
  if (!files.length) {
    print('check:espruino: nothing to check: run `npm run build` first (no build/out/*.js)');
    return 1;
  }
  var failed = false;
  for (var f of files) {
    var msgs = checkBuiltFile(f);
    if (msgs.length) {
      failed = true;
      print('FAIL ' + rel(f) + ': ' + msgs.length + ' Espruino compatibility problem' + (msgs.length > 1 ? 's' : ''));
      for (var m of msgs) print('  [' + m.rule + '] ' + m.message + '\n      module ' + m.module + ', ' + m.where);
    } else {
      print('ok   ' + rel(f) + ': ES5, no construct Espruino 2v29 lacks');
    }
  }
  var bin = env.ESPRUINO_BIN;
  if (!bin) {
    print('skipped: ESPRUINO_BIN not set (set it to an Espruino interpreter to also run the built files)');
  } else if (!fs.existsSync(bin)) {
    print('FAIL ESPRUINO_BIN=' + bin + ': no such file');
    failed = true;
  } else {
    var secs = Number(env.ESPRUINO_TIMEOUT) > 0 ? Number(env.ESPRUINO_TIMEOUT) : 10;
    for (var f2 of files) {
      var r = runInEspruino(bin, f2, secs * 1000);
      var bad = r.errors.length > 0 || (!r.timedOut && r.status !== 0);
      if (bad) {
        failed = true;
        print('FAIL ' + rel(f2) + ' in ' + bin + ': ' + (r.errors.length ? r.errors[0] : 'exit status ' + r.status));
        var tail = r.lines.slice(-15);
        for (var l of tail) print('  | ' + l);
        print('  (the unminified build ' + rel(f2.replace(/\.js$/, '.debug.js')) + ' gives readable positions)');
      } else {
        print('ok   ' + rel(f2) + ' runs in Espruino (' + (r.timedOut ? 'still running after ' + secs + ' s, stopped' : 'exited 0') + ', ' + r.lines.length + ' output lines, no uncaught error)');
      }
    }
  }
  return failed ? 1 : 0;
}

/** The board a built file is for, from its manifest beside it (null when there is none). */
export function boardOf(file: string): string | null {
  try {
    var m = JSON.parse(fs.readFileSync(file.replace(/\.js$/, '.manifest.json'), 'utf8'));
    return typeof m.board === 'string' ? m.board : null;
  } catch (e) {
    return null;
  }
}

/** The ESP32 builds among `files` (their manifest names an esp32-* board). */
export function esp32Builds(files: string[]): string[] {
  return files.filter(function (f) { var b = boardOf(f); return !!b && /^esp32/.test(b); });
}

/**
 * Step 3: boots each ESP32 build from Storage in the ESP32-layout interpreter (ESPRUINO_ESP32_BIN) and
 * reports its memory. Resolves with the exit code (0 also when skipped).
 */
export async function runEsp32Boots(files: string[], env: { [k: string]: string | undefined }, print: (s: string) => void): Promise<number> {
  var bin = env.ESPRUINO_ESP32_BIN;
  if (!bin) {
    print('skipped: ESPRUINO_ESP32_BIN not set (set it to an ESP32-layout interpreter to boot the ESP32 builds from Storage and measure their blocks, docs/memory.md)');
    return 0;
  }
  if (!fs.existsSync(bin)) {
    print('FAIL ESPRUINO_ESP32_BIN=' + bin + ': no such file');
    return 1;
  }
  var todo = esp32Builds(files);
  if (!todo.length) {
    print('skipped: no ESP32 build among the files checked (no manifest naming an esp32-* board)');
    return 0;
  }
  var secs = Number(env.ESPRUINO_TIMEOUT) > 0 ? Number(env.ESPRUINO_TIMEOUT) : 10;
  var failed = false;
  for (var f of todo) {
    var r = await measureBoot({ bin: bin, file: f, seconds: secs });
    if (!r.ok) {
      failed = true;
      print('FAIL ' + rel(f) + ' booted from Storage in the ESP32 layout: ' + r.problem);
      print('  ' + describeMeasure(r));
      for (var l of r.lines.slice(-15)) print('  | ' + l);
    } else {
      print('ok   ' + rel(f) + ' boots from Storage in the ESP32 layout (' + r.bytes + ' bytes, ran ' + secs + ' s): ' + describeMeasure(r));
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  var args = process.argv.slice(2);
  var files = args.length ? args : builtFiles(path.resolve(__dirname, 'out'));
  var code = runGate(files, process.env, function (s) { console.log(s); });
  if (!files.length) process.exit(code);
  runEsp32Boots(files, process.env, function (s) { console.log(s); }).then(function (c) {
    process.exit(code || c);
  }, function (e) {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
