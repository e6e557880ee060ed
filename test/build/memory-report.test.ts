import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { instrumentBundle, makeReport, readMarkers, measureModules, addToManifest, formatSizesWithBlocks } from '../../build/memory-report';
import { analyzeBoot } from '../../build/esp32-boot';

var BIN = process.env.ESPRUINO_ESP32_BIN;

// The shape of a minified bundle: helpers, then module definitions (terser joins some with commas).
var BUNDLE = 'function __h(t){return t}function __g(){}' +
  'Modules.addCached("a",function(){exports.x=1}),Modules.addCached("b",function(){var k=[],i;for(i=0;i<500;i++)k.push(i);exports.k=k});' +
  'Modules.addCached("c",function(){exports.f=function(){return 2}})\n' +
  'var late=require("c").f();print("late "+late)\n';

describe('per-module memory report (build/memory-report.ts)', function () {
  it('puts a marker after the helpers, after every module definition and after other top-level code', function () {
    var r = instrumentBundle(BUNDLE);
    assert.deepEqual(r.labels, ['(helpers)', 'a', 'b', 'c', '(top level)']);
    var order: number[] = [];
    var out: string[] = [];
    var cache: { [id: string]: any } = {};
    var usage = 100;
    var ctx: any = {
      print: function (s: string) { out.push(s); var m = /#MOD \d+ (\d+)/.exec(s); if (m) order.push(+m[1]); },
      process: { memory: function () { return { usage: (usage += 10) }; } },
      Modules: { addCached: function (id: string, f: Function) { var mod = { exports: {} }; f.call(null); cache[id] = ctx.exports; ctx.exports = {}; void mod; } },
      require: function (id: string) { return cache[id]; },
      exports: {},
    };
    vm.runInNewContext(r.code, ctx);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.ok(out.indexOf('late 2') >= 0, out.join('\n'));
  });

  it('turns the markers into blocks per part, and says when the run stopped early', function () {
    var labels = ['(helpers)', 'a', 'b'];
    var lines = ['#MOD 40 0', 'I x: hello', '>#MOD 52 1', '#MOD 60 2', '#MOD 600 3', 'I board: memory after start-up: usage 610 of 16383 blocks'];
    assert.deepEqual(readMarkers(lines), { 0: 40, 1: 52, 2: 60, 3: 600 });
    var r = makeReport(labels, lines, analyzeBoot(lines));
    assert.deepEqual(r.parts, [{ id: '(helpers)', blocks: 12 }, { id: 'a', blocks: 8 }, { id: 'b', blocks: 540 }]);
    assert.equal(r.empty, 40);
    assert.equal(r.loaded, 600);
    assert.equal(r.startup, 610);
    assert.equal(r.seen, r.expected);
    var cut = ['#MOD 40 0', '#MOD 52 1', 'ERROR: OUT OF MEMORY'];
    var r2 = makeReport(labels, cut, analyzeBoot(cut));
    assert.equal(r2.parts.length, 1);
    assert.ok(r2.seen < r2.expected);
    assert.deepEqual(r2.failures, ['ERROR: OUT OF MEMORY']);
    var table = formatSizesWithBlocks([{ id: '(helpers)', bytes: 10 }, { id: 'a', bytes: 20 }, { id: 'b', bytes: 30 }], r2, 'x.js');
    assert.ok(/INCOMPLETE: 2 of 4 markers; ERROR: OUT OF MEMORY/.test(table), table);
  });

  it('writes the blocks into the manifest beside the bytes', function () {
    var d = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-report-'));
    try {
      var f = path.join(d, 'x.manifest.json');
      fs.writeFileSync(f, JSON.stringify({ modules: [{ id: 'a', bytes: 20 }, { id: 'b', bytes: 30 }] }));
      var lines = ['#MOD 40 0', '#MOD 52 1', '#MOD 60 2', '#MOD 600 3'];
      addToManifest(f, makeReport(['(helpers)', 'a', 'b'], lines, analyzeBoot(lines)), 'test');
      var m = JSON.parse(fs.readFileSync(f, 'utf8'));
      assert.deepEqual(m.modules, [{ id: 'a', bytes: 20, blocks: 8 }, { id: 'b', bytes: 30, blocks: 540 }]);
      assert.equal(m.memory.helpers, 12);
      assert.equal(m.memory.afterLoading, 600);
      assert.equal(m.memory.complete, true);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  describe('in the interpreter (ESPRUINO_ESP32_BIN)', function () {
    this.timeout(60000);
    before(function () {
      if (BIN) return;
      console.log('      skipped: ESPRUINO_ESP32_BIN not set (point it to an ESP32-layout Espruino interpreter, docs/memory.md)');
      this.skip();
    });

    it('measures what each module leaves behind, booted from Storage', async function () {
      var d = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-report-'));
      try {
        var f = path.join(d, 'fw.js');
        fs.writeFileSync(f, BUNDLE);
        var r = await measureModules(BIN as string, f, 5);
        assert.equal(r.seen, r.expected, JSON.stringify(r));
        var by: { [k: string]: number } = {};
        for (var p of r.parts) by[p.id] = p.blocks;
        // 500 array entries of one block each, plus the array, the export and the module's wrapper
        assert.ok(by.b >= 500 && by.b < 560, JSON.stringify(r.parts));
        assert.ok(by.a > 0 && by.a < 30, JSON.stringify(r.parts));
        assert.ok(by.c > by.a, JSON.stringify(r.parts));
      } finally {
        fs.rmSync(d, { recursive: true, force: true });
      }
    });
  });
});
