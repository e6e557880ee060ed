import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkCode, regexProblem } from '../../build/gate-rules';
import { runGate, checkBuiltFile, runEsp32Boots, esp32Builds } from '../../build/gate';
import { buildFirmware } from '../../build/build';

function rules(code: string): string[] {
  return checkCode(code).map(function (v) { return v.rule; });
}

/** Each rule: snippets it must reject and snippets it must accept. */
var CASES: { rule: string; reject: string[]; accept: string[] }[] = [
  {
    rule: 'syntax',
    reject: ['let x = 1;', 'var f = (a) => a;', 'var o = { ...p };', 'class A {}', 'var s = `t`;'],
    accept: ['var x = 1; function f(a) { return a; }'],
  },
  {
    rule: 'global',
    reject: ['var m = new Map();', 'var s = new Set([1]);', 'var w = new WeakMap();', 'var w = new WeakSet();',
      'var i = Symbol.iterator;', 'var p = new Proxy({}, {});', 'Reflect.ownKeys(o);', 'var b = Buffer.from("a");',
      'new TextEncoder();', 'setImmediate(f);'],
    accept: ['var ok = typeof Map === "undefined";', 'function f(Map) { return new Map(); }',
      'function g() { var Set = []; return Set; }', 'o.Map = 1; o.Symbol = 2;', 'var k = { Map: 1, Reflect: 2 };',
      'try { x(); } catch (Proxy) { Proxy.message; }'],
  },
  {
    rule: 'static',
    reject: ['Array.from(x);', 'Array.of(1);', 'Object.freeze(o);', 'Object.is(a, b);', 'Promise.race([p]);',
      'Promise.allSettled([p]);', 'Promise.any([p]);', 'Array["from"](x);', 'Uint8Array.from([1]);'],
    accept: ['Promise.all([p]);', 'Object.keys(o);', 'Object.assign({}, o);', 'x.from(1); y.is(2);',
      'function f(Array) { return Array.from(x); }', 'new Uint8Array([1]);'],
  },
  {
    rule: 'finally',
    reject: ['p.finally(function () {});', 'p.then(f)["finally"](g);'],
    accept: ['try { a(); } finally { b(); }', 'p.then(f, g).catch(h);'],
  },
  {
    rule: 'prototypeCall',
    reject: ['var a = Array.prototype.slice.call(arguments);', 'String.prototype.trim.apply(s);',
      'Object.prototype.hasOwnProperty.call(o, k);', 'Function.prototype.apply.call(f, t, a);'],
    accept: ['var a = [].slice.call(arguments);', 'var f = function (_super) { return _super.prototype.m.call(this); };',
      'function A() {} A.prototype.m = function () {}; A.prototype.m.call(x);', 'o.hasOwnProperty(k);'],
  },
  {
    rule: 'objectCreate',
    reject: ['Object.create(p, { x: { value: 1 } });'],
    accept: ['Object.create(p);', 'Object.create(null);'],
  },
  {
    rule: 'label',
    reject: ['outer: for (;;) { break outer; }', 'l1: { x(); }'],
    accept: ['for (;;) { break; }', 'while (a) { continue; }', 'var o = { outer: 1 };'],
  },
  {
    rule: 'arrayHole',
    reject: ['var a = [1, , 2];', 'f([3, 5, , 6]);'],
    accept: ['var a = [1, void 0, 2];', 'var b = [];'],
  },
  {
    // Espruino 2v29: '\u00ff' and a raw 'ÿ' are UTF-8 strings (E.toUint8Array gives 2 bytes); '\xff' is one byte.
    rule: 'nonAscii',
    reject: ['var s = "\\u00ff";', 'var s = "\\u0080";', "f('a\\u00C0b');", 'var s = "\u00e9";', 'var s = "\u2265";',
      'var x = 1; // \u00e9', 'var r = /\u00e9/;'],
    accept: ['var s = "\\xff";', 'var s = "\\u2265";', 'var s = "\\\\u00ff";', 'var s = "\\u007f\\u0000";', 'var r = /\\xff/;'],
  },
  {
    // Espruino 2v29: `x = a.splice(i, 1)[0].p` throws ReferenceError "p" is not defined when p holds undefined.
    rule: 'removedProp',
    reject: ['x = a.splice(i, 1)[0].p;', 'var cb = q.shift().cb;', 'f(s.pop().n);', 'if (a.splice(0, 1)[0]["p"]) g();',
      'var y = 1 + a.splice(0, 1)[0].p;'],
    accept: ['var e = a.splice(i, 1)[0]; x = e.p;', 'a.splice(0, 1)[0].m();', 'var t = typeof a.pop().p;', 'a.pop().p = 1;',
      'x = a.slice(0, 1)[0].p;', 'x = a.splice(0, 1).length;', 'x = q.shift(); y = a.pop();', 'x = s.pop(1).p;'],
  },
  {
    rule: 'deleteCall',
    reject: ['delete f().p;', 'delete a.b(1).c;'],
    accept: ['delete o.p;', 'delete a[0].p;', 'var o = f(); delete o.p;'],
  },
  {
    rule: 'regex',
    reject: [
      '/ab?c/.test(s);', '/a+?/.exec(s);', '/a*?b/;', '/a{2}/;', '/a{1,3}/;', '/a{2,}/;', '/(ab)*/;', '/(ab)+/;',
      '/a(?=b)/;', '/a(?!b)/;', '/(?<=a)b/;', '/(?:ab)/;', '/(?<n>a)/;', '/\\bword/;', '/x\\B/;', '/(a|b)/;',
      '/^a$/m;', '/a.b/s;', '/a/y;', '/a/u;', 'new RegExp("ab?");', 'RegExp("(a|b)", "g");',
    ],
    accept: [
      '/^\\+CSQ: (\\d+),(\\d+)$/.exec(s);', '/OK|ERROR/.test(s);', '/[?{}|()]/g;', '/\\?\\{\\(/;', '/[\\b]/;',
      '/\\d+\\s*\\w+[^,]*/gi;', '/a{/;', 'new RegExp("^AT", "i");', '/x(y)z/;',
    ],
  },
];

describe('gate rules', function () {
  CASES.forEach(function (c) {
    describe(c.rule, function () {
      c.reject.forEach(function (snippet) {
        it('rejects ' + snippet, function () {
          assert.ok(rules(snippet).indexOf(c.rule) >= 0, 'expected rule ' + c.rule + ', got ' + JSON.stringify(rules(snippet)));
        });
      });
      c.accept.forEach(function (snippet) {
        it('accepts ' + snippet, function () {
          assert.deepEqual(rules(snippet), []);
        });
      });
    });
  });

  it('reports the line and column of a violation', function () {
    var v = checkCode('var a = 1;\nvar b = 2;\n  var m = new Map();\n');
    assert.equal(v.length, 1);
    assert.equal(v[0].line, 3);
    assert.equal(v[0].column, 14);
  });

  it('names what is wrong with a regular expression', function () {
    assert.match(String(regexProblem('a{1,3}', '')), /\{n,m\}/);
    assert.match(String(regexProblem('(a|b)', '')), /inside a group/);
    assert.equal(regexProblem('a|b', 'gi'), null);
  });
});

describe('gate over a built file', function () {
  var out: string;
  var file: string;

  before(async function () {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-test-'));
    var r = await buildFirmware({ noBoard: true, entries: [path.join(__dirname, 'fixtures', 'gate-bad.ts')], outDir: out, name: 'bad' });
    file = r.file;
  });

  after(function () {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('names the module and the .ts line of each violation', function () {
    var msgs = checkBuiltFile(file);
    var src = fs.readFileSync(path.join(__dirname, 'fixtures', 'gate-bad.ts'), 'utf8').split('\n');
    var regexLine = src.findIndex(function (l) { return l.indexOf('/ab?c/') >= 0; }) + 1;
    var labelLine = src.findIndex(function (l) { return l.indexOf('outer:') >= 0; }) + 1;
    var regex = msgs.filter(function (m) { return m.rule === 'regex'; })[0];
    var label = msgs.filter(function (m) { return m.rule === 'label'; })[0];
    assert.equal(regex.module, 'test/build/fixtures/gate-bad');
    assert.match(regex.where, new RegExp('^test/build/fixtures/gate-bad\\.ts:' + regexLine + ' '));
    assert.match(label.where, new RegExp('^test/build/fixtures/gate-bad\\.ts:' + labelLine + ' '));
  });

  it('fails the gate and prints each problem', function () {
    var lines: string[] = [];
    var code = runGate([file], {}, function (s) { lines.push(s); });
    assert.equal(code, 1);
    assert.ok(lines.some(function (l) { return /^FAIL .*bad\.js: 3 Espruino compatibility problems/.test(l); }), lines.join('\n'));
  });
});

describe('gate interpreter step', function () {
  var dir: string;
  var good: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-run-'));
    good = path.join(dir, 'good.js');
    fs.writeFileSync(good, 'console.log("hello");\n');
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function fakeBin(name: string, script: string): string {
    var f = path.join(dir, name);
    fs.writeFileSync(f, '#!/bin/sh\n' + script + '\n');
    fs.chmodSync(f, 0o755);
    return f;
  }

  function gate(env: { [k: string]: string }): { code: number; lines: string[] } {
    var lines: string[] = [];
    var code = runGate([good], env, function (s) { lines.push(s); });
    return { code: code, lines: lines };
  }

  it('says it skipped the run when ESPRUINO_BIN is not set', function () {
    var r = gate({});
    assert.equal(r.code, 0);
    assert.ok(r.lines.indexOf('skipped: ESPRUINO_BIN not set (set it to an Espruino interpreter to also run the built files)') >= 0);
  });

  it('fails on an Uncaught line even when the exit status is 0', function () {
    var r = gate({ ESPRUINO_BIN: fakeBin('uncaught', 'echo "Uncaught Error: boom"; exit 0') });
    assert.equal(r.code, 1);
    assert.ok(r.lines.some(function (l) { return /FAIL .*Uncaught Error: boom/.test(l); }), r.lines.join('\n'));
  });

  it('fails on a non-zero exit', function () {
    var r = gate({ ESPRUINO_BIN: fakeBin('exit3', 'echo loaded; exit 3') });
    assert.equal(r.code, 1);
    assert.ok(r.lines.some(function (l) { return /exit status 3/.test(l); }), r.lines.join('\n'));
  });

  it('passes a file that is still running at the time limit, and stops it', function () {
    var marker = path.join(dir, 'alive');
    var bin = fakeBin('forever', 'echo $$ > ' + marker + '; echo running; exec sleep 30');
    var r = gate({ ESPRUINO_BIN: bin, ESPRUINO_TIMEOUT: '1' });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(r.lines.some(function (l) { return /still running after 1 s, stopped/.test(l); }), r.lines.join('\n'));
    var pid = Number(fs.readFileSync(marker, 'utf8'));
    assert.throws(function () { process.kill(pid, 0); }, /ESRCH/);
  });

  it('runs a good file in the real interpreter (ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var r = gate({ ESPRUINO_BIN: process.env.ESPRUINO_BIN as string });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.ok(r.lines.some(function (l) { return /runs in Espruino \(exited 0, 1 output lines/.test(l); }), r.lines.join('\n'));
  });
});

describe('gate ESP32 boot step (ESPRUINO_ESP32_BIN)', function () {
  this.timeout(120000);
  var dir: string;
  var esp: string;
  var other: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-esp32-'));
    esp = path.join(dir, 'fw.esp32-w5500-sim7600.js');
    other = path.join(dir, 'fw.espruino-linux.js');
    var board = 'setTimeout(function(){var m=process.memory();print("I board: memory after start-up: usage "+m.usage+" of "+m.total+" blocks");},200);\n';
    fs.writeFileSync(esp, board);
    fs.writeFileSync(esp.replace(/\.js$/, '.manifest.json'), JSON.stringify({ board: 'esp32-w5500-sim7600' }));
    fs.writeFileSync(other, board);
    fs.writeFileSync(other.replace(/\.js$/, '.manifest.json'), JSON.stringify({ board: 'espruino-linux' }));
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function boots(env: { [k: string]: string }): Promise<{ code: number; lines: string[] }> {
    var lines: string[] = [];
    var code = await runEsp32Boots([esp, other], env, function (s) { lines.push(s); });
    return { code: code, lines: lines };
  }

  it('picks the ESP32 builds by the board in their manifest', function () {
    assert.deepEqual(esp32Builds([esp, other, path.join(dir, 'none.js')]), [esp]);
  });

  it('says it skipped, and why, when ESPRUINO_ESP32_BIN is not set', async function () {
    var r = await boots({});
    assert.equal(r.code, 0);
    assert.ok(/^skipped: ESPRUINO_ESP32_BIN not set/.test(r.lines[0]), r.lines.join('\n'));
  });

  it('fails when the interpreter does not store the file', async function () {
    var bin = path.join(dir, 'fake');
    fs.writeFileSync(bin, '#!/bin/sh\necho "#WRITTEN 1 1"\nsleep 5\n');
    fs.chmodSync(bin, 0o755);
    var r = await boots({ ESPRUINO_ESP32_BIN: bin, ESPRUINO_TIMEOUT: '1' });
    assert.equal(r.code, 1);
    assert.ok(r.lines.some(function (l) { return /^FAIL .*fw\.esp32-w5500-sim7600\.js booted from Storage .*writing \.bootcde to Storage failed/.test(l); }), r.lines.join('\n'));
  });

  it('boots an ESP32 build from Storage and prints its blocks after start-up and peak (ESPRUINO_ESP32_BIN)', async function () {
    if (!process.env.ESPRUINO_ESP32_BIN) {
      console.log('      skipped: ESPRUINO_ESP32_BIN not set');
      this.skip();
    }
    var r = await boots({ ESPRUINO_ESP32_BIN: process.env.ESPRUINO_ESP32_BIN as string, ESPRUINO_TIMEOUT: '2' });
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.equal(r.lines.length, 1, r.lines.join('\n'));
    assert.ok(/^ok {3}.*fw\.esp32-w5500-sim7600\.js boots from Storage in the ESP32 layout .*after start-up \d+ of 16383 blocks, peak \d+/.test(r.lines[0]), r.lines[0]);
  });
});
