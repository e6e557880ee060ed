/**
 * `npm run build [-- --board NAME] [--sketch FILE] [--out DIR]`
 *
 * Builds boards/<NAME>.ts (default esp32-w5500-sim7600), and a sketch with it when given, into one
 * Espruino file: build/out/<NAME>.js, or build/out/<sketch>.<NAME>.js for a sketch. Beside it:
 * <name>.debug.js (unminified, what the gate's messages refer to), <name>.debug.js.map (index source map
 * back to the .ts files) and <name>.manifest.json (modules, sizes). Prints each module's minified size.
 */
import * as fs from 'fs';
import * as path from 'path';
import { bundle, BuildError, SKETCH_ID } from './bundle';
import { minifyBundle, ModuleSize } from './minify';
import { pad, lpad } from './memory-report';

export var DEFAULT_BOARD = 'esp32-w5500-sim7600';
export var ROOT = path.resolve(__dirname, '..');

export interface BuildOptions {
  root?: string;
  board?: string;
  sketch?: string;
  outDir?: string;
  /** Extra entries after the board and sketch (tests). */
  entries?: string[];
  /** Output base name (default: board, or <sketch>.<board>). */
  name?: string;
  /** Skip the board (tests build a fixture alone). */
  noBoard?: boolean;
  typecheck?: boolean;
  /** Size levers, both on by default (off only to measure what they save). */
  inlineConsts?: boolean;
  /** Splice class wrappers into the module scope (build/flatten-classes.ts); default true. */
  flattenClasses?: boolean;
  /** Drop exports no module reads (build/prune-exports.ts); default true. */
  pruneExports?: boolean;
  mangleProps?: boolean;
  /** Short module ids in the minified file (minify.ts shortenModuleIds); default true. */
  shortIds?: boolean;
}

export interface BuildResult {
  file: string;
  debugFile: string;
  mapFile: string;
  manifestFile: string;
  sizes: ModuleSize[];
  total: number;
  modules: string[];
}

/** Builds one file; throws BuildError with a user-facing message on failure. */
export async function buildFirmware(o: BuildOptions): Promise<BuildResult> {
  var root = path.resolve(o.root || ROOT);
  var board = o.board || DEFAULT_BOARD;
  var entries: string[] = [];
  // The sketch runs first (its top level may configure the API, e.g. SYSTEM_MODE), then the board, which
  // assembles the device and starts the runtime with the sketch's exports (`require("sketch")`).
  var sketch = o.sketch ? path.resolve(o.sketch) : undefined;
  if (sketch) {
    if (!fs.existsSync(sketch)) throw new BuildError('sketch not found: ' + o.sketch);
    entries.push(sketch);
  }
  if (!o.noBoard) {
    var boardFile = path.join(root, 'boards', board + '.ts');
    if (!fs.existsSync(boardFile)) {
      var known = fs.existsSync(path.join(root, 'boards')) ? fs.readdirSync(path.join(root, 'boards')).filter(function (f) { return /\.ts$/.test(f); }).map(function (f) { return f.replace(/\.ts$/, ''); }) : [];
      throw new BuildError('unknown board "' + board + '": no boards/' + board + '.ts (boards: ' + known.join(', ') + ')');
    }
    entries.push(boardFile);
  }
  if (o.entries) entries = entries.concat(o.entries.map(function (e) { return path.resolve(e); }));
  if (!entries.length) throw new BuildError('nothing to build');
  var name = o.name || (sketch ? path.basename(sketch).replace(/\.tsx?$/, '') + '.' + board : board);
  var outDir = path.resolve(o.outDir || path.join(root, 'build', 'out'));

  var b = bundle({ root: root, entries: entries, sketch: sketch, typecheck: o.typecheck, inlineConsts: o.inlineConsts, flattenClasses: o.flattenClasses, pruneExports: o.pruneExports });
  var min = await minifyBundle(b.code, { mangleProps: o.mangleProps, shortIds: o.shortIds, keepIds: [SKETCH_ID] });

  fs.mkdirSync(outDir, { recursive: true });
  var file = path.join(outDir, name + '.js');
  var debugFile = path.join(outDir, name + '.debug.js');
  var mapFile = debugFile + '.map';
  var manifestFile = path.join(outDir, name + '.manifest.json');
  fs.writeFileSync(file, min.code + '\n');
  fs.writeFileSync(debugFile, b.code + '//# sourceMappingURL=' + path.basename(mapFile) + '\n');
  fs.writeFileSync(mapFile, JSON.stringify(b.map));
  var manifest = {
    name: name,
    board: o.noBoard ? null : board,
    sketch: sketch ? path.relative(root, sketch).split(path.sep).join('/') : null,
    file: path.basename(file),
    debugFile: path.basename(debugFile),
    total: min.total,
    helpers: b.helpers,
    modules: b.modules.map(function (m) {
      var s = min.sizes.filter(function (x) { return x.id === m.id; })[0];
      return { id: m.id, file: path.relative(root, m.file).split(path.sep).join('/'), bytes: s ? s.bytes : 0, deps: m.deps, builtins: m.builtins };
    }),
    layout: b.layout,
    /** Short module id in the minified file → module id. */
    moduleIds: min.ids,
  };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return {
    file: file, debugFile: debugFile, mapFile: mapFile, manifestFile: manifestFile, sizes: min.sizes, total: min.total,
    modules: b.modules.map(function (m) { return m.id; }),
  };
}

/** The size table the build prints. */
export function formatSizes(r: BuildResult, root: string): string {
  var w = 8;
  for (var s of r.sizes) w = Math.max(w, s.id.length);
  var lines = ['  ' + pad('module', w) + '  bytes (minified)'];
  for (var s2 of r.sizes) lines.push('  ' + pad(s2.id, w) + '  ' + lpad(String(s2.bytes), 6));
  lines.push('  ' + pad('total', w) + '  ' + lpad(String(r.total), 6) + '  ' + rel(root, r.file));
  lines.push('  debug build: ' + rel(root, r.debugFile) + ' (+ .map)');
  return lines.join('\n');
}


function rel(root: string, f: string): string {
  var r = path.relative(process.cwd(), f);
  return r.startsWith('..') ? f : r;
}

/** Parses `--board NAME --sketch FILE --out DIR` (also `--board=NAME`). */
export function parseArgs(argv: string[]): { [k: string]: string | boolean } {
  var out: { [k: string]: string | boolean } = {};
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    if (a.indexOf('--') !== 0) throw new BuildError('unexpected argument: ' + a);
    var eq = a.indexOf('=');
    if (eq > 0) {
      out[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && argv[i + 1].indexOf('--') !== 0) {
      out[a.slice(2)] = argv[++i];
    } else {
      out[a.slice(2)] = true;
    }
  }
  return out;
}

async function main(): Promise<void> {
  var args = parseArgs(process.argv.slice(2));
  for (var k in args) {
    if (['board', 'sketch', 'out', 'help'].indexOf(k) < 0) throw new BuildError('unknown option --' + k + ' (options: --board NAME, --sketch FILE, --out DIR)');
  }
  if (args.help) {
    console.log('usage: npm run build [-- --board NAME] [--sketch path/to/sketch.ts] [--out DIR]');
    return;
  }
  var t0 = Date.now();
  var r = await buildFirmware({
    board: typeof args.board === 'string' ? args.board : undefined,
    sketch: typeof args.sketch === 'string' ? args.sketch : undefined,
    outDir: typeof args.out === 'string' ? args.out : undefined,
  });
  console.log('built ' + rel(ROOT, r.file) + ' (' + r.modules.length + ' modules, ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s)');
  var bin = process.env.ESPRUINO_ESP32_BIN;
  if (!bin) return console.log(formatSizes(r, ROOT));
  // With an ESP32-layout interpreter: blocks per module beside the bytes, also into the manifest.
  var mr = require('./memory-report');
  var rep = await mr.measureModules(bin, r.file);
  mr.addToManifest(r.manifestFile, rep, 'booted from Storage in ' + bin);
  console.log(mr.formatSizesWithBlocks(r.sizes, rep, rel(ROOT, r.file)));
  console.log('  debug build: ' + rel(ROOT, r.debugFile) + ' (+ .map); blocks also in ' + rel(ROOT, r.manifestFile));
}

if (require.main === module) {
  main().catch(function (e) {
    console.error(e instanceof BuildError ? 'build failed: ' + e.message : e);
    process.exit(1);
  });
}
