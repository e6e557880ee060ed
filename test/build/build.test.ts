import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { buildFirmware, formatSizes, parseArgs, ROOT, BuildResult } from '../../build/build';
import { BuildError, orderModules } from '../../build/bundle';
import { runInSandbox } from '../../build/sandbox';
import { runInEspruino } from '../../build/espruino-run';
import { checkBuiltFile } from '../../build/gate';

var FIX = path.join(__dirname, 'fixtures');

/** A fake `require("Storage")` for the sandbox (in memory). */
function fakeStorage(): any {
  var files: { [k: string]: string } = {};
  return {
    read: function (n: string) { return files[n]; },
    // As Espruino's readJSON(name, true): undefined when absent, null when unparsable.
    readJSON: function (n: string) {
      if (files[n] === undefined) return undefined;
      try { return JSON.parse(files[n]); } catch (e) { return null; }
    },
    write: function (n: string, d: string) { files[n] = d; return true; },
    erase: function (n: string) { delete files[n]; },
    list: function () { return Object.keys(files); },
  };
}

async function buildError(p: Promise<any>): Promise<BuildError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BuildError) return e;
    throw e;
  }
  throw new Error('the build did not fail');
}

describe('build: the default board', function () {
  var out: string;
  var r: BuildResult;

  before(async function () {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
    r = await buildFirmware({ outDir: out });
  });

  after(function () {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes build/out/<board>.js with a debug build, source map and manifest beside it', function () {
    assert.equal(path.basename(r.file), 'esp32-w5500-sim7600.js');
    for (var f of [r.file, r.debugFile, r.mapFile, r.manifestFile]) assert.ok(fs.existsSync(f), f);
  });

  it('reports a minified size per module that adds up to the file', function () {
    var ids = r.sizes.map(function (s) { return s.id; });
    assert.ok(ids.indexOf('boards/esp32-w5500-sim7600') >= 0);
    assert.ok(ids.indexOf('hal/espruino/spi') >= 0);
    var sum = r.sizes.reduce(function (a, s) { return a + s.bytes; }, 0);
    var size = fs.statSync(r.file).size - 1; // trailing newline
    assert.equal(r.total, size);
    assert.ok(sum <= size && sum > size - r.sizes.length * 2, sum + ' vs ' + size);
  });

  it('orders modules dependencies first, the board last', function () {
    assert.equal(r.modules[r.modules.length - 1], 'boards/esp32-w5500-sim7600');
    assert.ok(r.modules.indexOf('hal/log') < r.modules.indexOf('hal/espruino/log'));
  });

  it('prints the size table', function () {
    var t = formatSizes(r, ROOT);
    assert.match(t, /hal\/espruino\/storage\s+\d+/);
    assert.match(t, new RegExp('total\\s+' + r.total + ' '));
  });

  it('passes the gate', function () {
    assert.deepEqual(checkBuiltFile(r.file), []);
  });

  it('loads without hardware in the sandbox and reports the W5500 as absent', async function () {
    var s = await runInSandbox(fs.readFileSync(r.file, 'utf8'), { modules: { Storage: fakeStorage() } });
    assert.deepEqual(s.errors, []);
    assert.ok(s.lines.indexOf('I eth0: failed (no_hardware)') >= 0, s.lines.join('\n'));
  });

  it('loads in the real interpreter without an uncaught error (ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var e = runInEspruino(process.env.ESPRUINO_BIN as string, r.file, 5000);
    assert.deepEqual(e.errors, []);
    // The manager probes absent hardware again every 30-60 s, so the file keeps running: stopped, or exited 0.
    assert.ok(e.timedOut || e.status === 0, 'exit status ' + e.status);
    assert.ok(e.lines.indexOf('I eth0: failed (no_hardware)') >= 0, e.lines.join('\n'));
  });
});

describe('build: modules and imports', function () {
  var out: string;

  before(function () {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
  });

  after(function () {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('rejects an import cycle and names it', async function () {
    var e = await buildError(buildFirmware({ noBoard: true, entries: [path.join(FIX, 'cycle-a.ts')], outDir: out }));
    assert.match(e.message, /^import cycle: test\/build\/fixtures\/cycle-a -> test\/build\/fixtures\/cycle-b -> test\/build\/fixtures\/cycle-a\n/);
  });

  it('orders a diamond dependencies first, each module once', function () {
    var byId: any = { e: { id: 'e', deps: ['b', 'c'] }, b: { id: 'b', deps: ['d'] }, c: { id: 'c', deps: ['d'] }, d: { id: 'd', deps: [] } };
    assert.deepEqual(orderModules(['e'], byId).map(function (m: any) { return m.id; }), ['d', 'b', 'c', 'e']);
  });

  it('rejects a require that is neither a file nor an Espruino built-in, naming the file and line', async function () {
    var e = await buildError(buildFirmware({ noBoard: true, entries: [path.join(FIX, 'requires.ts')], outDir: out }));
    assert.match(e.message, /test\/build\/fixtures\/requires\.ts:3: cannot resolve require\("not-a-module"\)/);
  });

  it('leaves a require of an Espruino built-in module as it is', async function () {
    var r = await buildFirmware({ noBoard: true, entries: [path.join(FIX, 'builtin.ts')], outDir: out, name: 'builtin' });
    assert.match(fs.readFileSync(r.file, 'utf8'), /require\("Storage"\)/);
  });

  it('writes string literals as ASCII with \\xNN escapes, in the debug and the minified build', async function () {
    var r = await buildFirmware({ noBoard: true, entries: [path.join(FIX, 'ascii.ts')], outDir: out, name: 'ascii' });
    for (var f of [r.file, r.debugFile]) {
      var text = fs.readFileSync(f, 'latin1');
      assert.ok(!/[^\x00-\x7f]/.test(text), f + ' has a non-ASCII character');
      assert.ok(!/\\u00[89a-f]/i.test(text), f + ' has a \\u0080-\\u00ff escape');
      assert.match(text, /\\xff/);
      assert.match(text, /\\u2265 0/);
    }
    assert.deepEqual(checkBuiltFile(r.file), []);
  });

  it('gives one byte per char for those literals in the real interpreter (ESPRUINO_BIN)', async function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var r = await buildFirmware({ noBoard: true, entries: [path.join(FIX, 'ascii.ts')], outDir: out, name: 'ascii' });
    var e = runInEspruino(process.env.ESPRUINO_BIN as string, r.file, 10000);
    assert.deepEqual(e.errors, []);
    // length / bytes (E.toUint8Array) / length after += / last char code
    assert.deepEqual(e.lines.filter(function (l) { return l.indexOf('ASCII ') === 0; }), ['ASCII 1/1/1/255 1/1/1/255 3/3/3/98 1/1/1/128']);
  });

  it('inlines exported number and boolean constants and renames private members, with the same results', async function () {
    var r = await buildFirmware({ noBoard: true, entries: [path.join(FIX, 'consts-b.ts')], outDir: out, name: 'consts' });
    var debug = fs.readFileSync(r.debugFile, 'utf8');
    var min = fs.readFileSync(r.file, 'utf8');
    // inlined: READY, NOT_WIRED, HEX, ON (by name, through the namespace, shorthand, in their own module)
    assert.ok(!/consts_a_1\.(READY|NOT_WIRED|ON)\b|A\.(HEX|READY)\b|exports\.(READY|NOT_WIRED|HEX) [^=]/.test(debug.replace(/exports\.\w+ = [^;]*;/g, '')), debug);
    assert.match(debug, /READY: 4, ON: true/);
    // kept: strings, computed and mutable values, and every definition
    assert.match(debug, /consts_a_1\.NAME/);
    // MUTABLE is still read through the exports object, under a short name (prune-exports.ts)
    assert.match(debug, /^exports\.[a-z] {7}= 7;$/m);
    assert.doesNotMatch(debug, /consts_a_1\.MUTABLE/);
    // no module reads READY through the exports object any more: the definition is pruned (prune-exports.ts)
    assert.match(debug, /^void +4;$/m);
    assert.doesNotMatch(debug, /exports\.READY = 4/);
    assert.ok(!/_count|_label|_bump|_twice/.test(min), 'private members left in the minified file');
    assert.match(min, /__raw/);
    var s = await runInSandbox(min);
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.lines, ['4 -1 57 true a 5 7 60 4 true 4 box:1:2:kept number', '-1 100 1 2']);
  });

  it('builds without the size levers when asked (for measurements)', async function () {
    var r = await buildFirmware({ noBoard: true, entries: [path.join(FIX, 'consts-b.ts')], outDir: out, name: 'consts-plain', inlineConsts: false, mangleProps: false, flattenClasses: false, pruneExports: false });
    var min = fs.readFileSync(r.file, 'utf8');
    assert.match(fs.readFileSync(r.debugFile, 'utf8'), /exports\.NOT_WIRED = -1/);
    assert.match(fs.readFileSync(r.debugFile, 'utf8'), /= \(function \(\) \{/);
    assert.match(min, /_label/);
    assert.match(fs.readFileSync(r.debugFile, 'utf8'), /consts_a_1\.READY/);
    var s = await runInSandbox(min);
    assert.deepEqual(s.lines, ['4 -1 57 true a 5 7 60 4 true 4 box:1:2:kept number', '-1 100 1 2']);
  });

  it('names an unknown board and lists the known ones', async function () {
    var e = await buildError(buildFirmware({ board: 'no-such-board', outDir: out }));
    assert.match(e.message, /unknown board "no-such-board".*esp32-w5500-sim7600/);
  });

  it('parses --board NAME, --sketch=FILE and flags', function () {
    assert.deepEqual(parseArgs(['--board', 'x', '--sketch=a/b.ts', '--save']), { board: 'x', sketch: 'a/b.ts', save: true });
  });
});

describe('build: a sketch in another folder', function () {
  var tmp: string;
  var root: string;
  var sketchDir: string;

  before(function () {
    // A package named "netswitch" of its own (not the repo's src/, which other work changes).
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sketch-test-'));
    root = path.join(tmp, 'pkg');
    sketchDir = path.join(tmp, 'elsewhere', 'my-sketch');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(path.join(root, 'types'), { recursive: true });
    fs.mkdirSync(path.join(sketchDir, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'netswitch', types: './src/index.ts' }));
    fs.copyFileSync(path.join(ROOT, 'tsconfig.firmware.json'), path.join(root, 'tsconfig.firmware.json'));
    fs.copyFileSync(path.join(ROOT, 'types', 'espruino-extra.d.ts'), path.join(root, 'types', 'espruino-extra.d.ts'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'src', 'index.ts'), 'export function greet(name: string): string { return "hello " + name; }\n');
    fs.writeFileSync(path.join(sketchDir, 'lib', 'name.ts'), 'export var NAME = "sketch";\n');
    fs.writeFileSync(path.join(sketchDir, 'blink.ts'),
      'import { greet } from "netswitch";\nimport { NAME } from "./lib/name";\nexport function setup(): string { return greet(NAME); }\nconsole.log(setup());\n');
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('resolves "netswitch" to the package\'s src/index.ts and names the sketch module "sketch"', async function () {
    var r = await buildFirmware({ root: root, noBoard: true, sketch: path.join(sketchDir, 'blink.ts'), outDir: path.join(tmp, 'out') });
    assert.equal(path.basename(r.file), 'blink.esp32-w5500-sim7600.js');
    assert.deepEqual(r.modules, ['src/index', 'sketch/lib/name', 'sketch']);
    var s = await runInSandbox(fs.readFileSync(r.file, 'utf8') + '\nconsole.log(require("sketch").setup());');
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.lines, ['hello sketch', 'hello sketch']);
  });

  it('fails on a type error in the sketch', async function () {
    var bad = path.join(sketchDir, 'bad.ts');
    fs.writeFileSync(bad, 'import { greet } from "netswitch";\nexport var n: number = greet("x");\n');
    var e = await buildError(buildFirmware({ root: root, noBoard: true, sketch: bad, outDir: path.join(tmp, 'out') }));
    assert.match(e.message, /bad\.ts\(2,12\): error TS2322/);
  });
});

describe('build: the command line', function () {
  it('npm run build -- --out DIR prints each module and the total', function () {
    var out = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cli-'));
    try {
      var r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'build', 'build.ts'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^built .*esp32-w5500-sim7600\.js \(\d+ modules/);
      assert.match(r.stdout, /boards\/esp32-w5500-sim7600\s+\d+/);
      assert.match(r.stdout, /total\s+\d+/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects an unknown option', function () {
    var r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'build', 'build.ts'), '--bord', 'x'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown option --bord/);
  });
});
