import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as acorn from 'acorn';
import { buildFirmware, BuildResult } from '../../build/build';
import { runInSandbox } from '../../build/sandbox';
import { runInEspruino } from '../../build/espruino-run';
import { hoistJs } from '../../build/hoist';

/** The fixture's lines when the TypeScript runs natively (ts-node, Node's own classes and async). */
function runUnderTsNode(): Promise<string[]> {
  var lines: string[] = [];
  var fixture = require('./fixtures/classes');
  return new Promise(function (resolve) {
    fixture.main(function (s: string) { lines.push(s); }, function () {
      lines.push('end');
      resolve(lines);
    });
  });
}

describe('built fixture (classes, statics, Error subclass, enums, async, helpers)', function () {
  var out: string;
  var built: BuildResult;
  var expected: string[];

  before(async function () {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
    built = await buildFirmware({ noBoard: true, entries: [path.join(__dirname, 'fixtures', 'run-classes.ts')], outDir: out, name: 'classes' });
    expected = await runUnderTsNode();
  });

  after(function () {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('prints under ts-node what the fixture checks (sanity of the reference run)', function () {
    assert.ok(expected.length > 15);
    assert.equal(expected[0], 'square[rect(square area 9)]');
    assert.equal(expected[expected.length - 1], 'end');
  });

  it('gives the same lines in a sandbox without the built-ins Espruino lacks', async function () {
    var r = await runInSandbox(fs.readFileSync(built.file, 'utf8'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.lines, expected);
  });

  it('gives the same lines from the unminified debug build', async function () {
    var r = await runInSandbox(fs.readFileSync(built.debugFile, 'utf8'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.lines, expected);
  });

  it('the sandbox really lacks Map, Symbol, Array.from, Object.freeze and Promise.race', async function () {
    var r = await runInSandbox('console.log(typeof Map, typeof Symbol, typeof Array.from, typeof Object.freeze, typeof Promise.race, typeof Promise.prototype.finally, typeof Reflect);');
    assert.deepEqual(r.lines, ['undefined undefined undefined undefined undefined undefined undefined']);
  });

  it('the sandbox runs a module body with its own exports and globals only, like Espruino', async function () {
    var r = await runInSandbox('var outer = 1; Modules.addCached("m", function () { exports.v = typeof outer; exports.t = this === exports; });' +
      'console.log(require("m").v, require("m").t); try { require("nope"); } catch (e) { console.log(e.message); }');
    assert.deepEqual(r.lines, ['number true', 'Module "nope" not found']);
  });

  it('includes only the helpers the fixture uses', function () {
    var m = JSON.parse(fs.readFileSync(built.manifestFile, 'utf8'));
    assert.ok(m.helpers.indexOf('__extends') >= 0);
    assert.ok(m.helpers.indexOf('__awaiter') >= 0 && m.helpers.indexOf('__generator') >= 0);
    assert.equal(m.helpers.indexOf('__classPrivateFieldGet'), -1);
  });

  it('gives the same lines in the real Espruino interpreter (ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var r = runInEspruino(process.env.ESPRUINO_BIN as string, built.file, 10000);
    assert.deepEqual(r.errors, []);
    assert.equal(r.status, 0);
    assert.deepEqual(r.lines, expected);
  });
});

/** Indexes of the top-level statements of `code` as "kind:name" keys. */
function topLevelOrder(code: string): string[] {
  var ast: any = acorn.parse(code, { ecmaVersion: 5 });
  return ast.body.map(function (n: any) {
    if (n.type === 'FunctionDeclaration') return 'function:' + n.id.name;
    if (n.type === 'VariableDeclaration') return 'var:' + n.declarations.map(function (d: any) { return d.id.name + (d.init ? '=' : ''); }).join(',');
    return code.slice(n.start, n.end).replace(/\s+/g, ' ');
  });
}

describe('hoisting pass', function () {
  var SNIPPET = [
    'exports.f = f;',
    'var r = g(2);',
    'console.log(r, f());',
    'var later = 5, none;',
    'function f() { return later; }',
    'function g(x) { var y = x * 2; return h(y); function h(z) { return z + 1; } }',
  ].join('\n');

  it('moves function declarations above their first use and declares vars at the top', function () {
    var order = topLevelOrder(hoistJs(SNIPPET));
    assert.deepEqual(order, [
      'var:r,later,none',
      'function:f',
      'function:g',
      'exports.f = f;',
      'r = g(2);',
      'console.log(r, f());',
      'later = 5;',
    ]);
  });

  it('hoists inside function bodies too (a nested function above its use)', function () {
    var out = hoistJs(SNIPPET);
    var g = out.slice(out.indexOf('function g'));
    assert.ok(g.indexOf('function h') < g.indexOf('return h(y)'), g);
    assert.ok(g.indexOf('var y;') < g.indexOf('y = x * 2'), g);
  });

  it('turns for/for-in declarations into assignments and keeps parameters undeclared', function () {
    var out = hoistJs('function p(a) { var a = a || 1; for (var i = 0; i < 2; i++) {} for (var k in {}) {} return a; }');
    assert.match(out, /var i, k;/);
    assert.match(out, /for \(i = 0;/);
    assert.match(out, /for \(k in \{\}\)/);
    assert.doesNotMatch(out, /var a/);
  });

  it('fills array holes, which Espruino mis-parses inside a switch', function () {
    assert.match(hoistJs('switch (x) { case 0: y = [3, 5, , 6]; }'), /\[3, 5, void 0, 6\]/);
  });

  it('gives code that runs without hoisting (real interpreter, ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoist-test-'));
    try {
      var raw = path.join(dir, 'raw.js');
      var hoisted = path.join(dir, 'hoisted.js');
      var prelude = 'var exports = {};\n';
      fs.writeFileSync(raw, prelude + SNIPPET);
      fs.writeFileSync(hoisted, prelude + hoistJs(SNIPPET));
      var before = runInEspruino(process.env.ESPRUINO_BIN as string, raw, 10000);
      var after = runInEspruino(process.env.ESPRUINO_BIN as string, hoisted, 10000);
      assert.ok(before.errors.length > 0, 'the unhoisted snippet should fail in Espruino: ' + before.lines.join('\n'));
      assert.deepEqual(after.errors, []);
      assert.deepEqual(after.lines, ['5 undefined']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
