import { strict as assert } from 'assert';
import { pruneExports, PrunableModule } from '../../build/prune-exports';
import { fillEmptyModules, measure, shortenModuleIds } from '../../build/minify';

function mods(spec: { [id: string]: string }): PrunableModule[] {
  return Object.keys(spec).map(function (id) { return { id: id, code: spec[id] }; });
}

function byId(ms: PrunableModule[], id: string): string {
  return ms.filter(function (m) { return m.id === id; })[0].code;
}

describe('build: exports nobody reads are pruned', function () {
  it('keeps what another module or the module itself reads, voids the rest with lengths unchanged', function () {
    var a = 'var x;\nexports.K = 4;\nexports.F = F;\nfunction F() { return exports.OWN; }\nexports.G = function () {};\nexports.OWN = 2;\nexports.H = 1;\n';
    var ms = mods({ a: a, b: 'var a_1;\na_1 = require("a");\nexports.Z = a_1.H + require("a")["G"];\n' });
    var r = pruneExports(ms, ['b']);
    assert.deepEqual(r.removed, { a: ['K', 'F'] });
    var out = byId(ms, 'a');
    assert.equal(out.length, a.length);
    assert.deepEqual(out.split('\n').map(function (l) { return l.length; }), a.split('\n').map(function (l) { return l.length; }));
    assert.match(out, /^void +4;$/m);
    assert.match(out, /^void +F;$/m);
    assert.match(out, /^exports\.G = /m);
    assert.match(out, /^exports\.OWN = 2;$/m);
    assert.match(out, /^exports\.H = 1;$/m);
  });

  it('evaluates a voided value as the export did (side effects kept)', function () {
    var a = 'var n = 0;\nexports.A = (n++, n);\nexports.B = f();\nfunction f() { n += 10; return n; }\nexports.C = n > 0 ? f() : 0;\nexports.N = function () { return n; };\n';
    var ms = mods({ a: a, b: 'var a_1;\na_1 = require("a");\nexports.out = a_1.N();\n' });
    pruneExports(ms, ['b']);
    var out = byId(ms, 'a');
    // `a ? b : c` and `a, b` bind looser than `void`: those exports stay
    assert.match(out, /^exports\.C = /m);
    assert.match(out, /^exports\.A = /m);
    assert.match(out, /^void +f\(\);$/m);
    var exp: any = {};
    new Function('exports', out)(exp);
    // 0 -> 1 (A, a sequence: kept), +10 (B, voided but called), +10 (C)
    assert.equal(exp.A, 1);
    assert.equal(exp.N(), 21);
    assert.equal(exp.B, undefined);
  });

  it('keeps every export of a module whose exports object is passed on or read by a computed key', function () {
    var lib = 'exports.P = 1;\nexports.Q = 2;\n';
    var cases = [
      'var l_1;\nl_1 = require("lib");\nuse(l_1);\n',
      'x(__exportStar(require("lib"), exports));\n',
      'var l_1, k;\nl_1 = require("lib");\nk = "P";\nexports.v = l_1[k];\n',
    ];
    for (var c of cases) {
      var ms = mods({ lib: lib, user: c });
      assert.deepEqual(pruneExports(ms, ['user']).removed, {}, c);
      assert.equal(byId(ms, 'lib'), lib);
    }
  });

  it('keeps every export of the modules it is told to keep, and of a module that uses `exports` whole', function () {
    var ms = mods({ entry: 'exports.start = 1;\n', self: 'exports.A = 1;\nObject.keys(exports);\n', u: 'require("self");\n' });
    assert.deepEqual(pruneExports(ms, ['entry', 'u']).removed, {});
    var ms2 = mods({ m: 'exports.Long = 1;\nmodule.exports.Other = 2;\n', u: 'exports.v = require("m").Other;\n' });
    var r2 = pruneExports(ms2, ['u']);
    assert.deepEqual([r2.removed, r2.renamed], [{}, {}]);
  });

  it('changes nothing when a module is required by a computed id', function () {
    var ms = mods({ lib: 'exports.P = 1;\n', u: 'var id = "lib";\nrequire(id);\n' });
    assert.deepEqual(pruneExports(ms, ['u']).removed, {});
  });
});

describe('build: a module re-exported whole (export * from)', function () {
  it('keeps the names read through the re-exporting module, prunes the rest, renames neither', function () {
    var ms = mods({
      lib: 'exports.UsedThrough = 1;\nexports.Unused = 2;\nexports.Direct = 3;\n',
      api: '__exportStar(require("lib"), exports);\nexports.Own = 4;\nexports.Gone = 5;\n',
      sketch: 'var a_1, l_1;\na_1 = require("api");\nl_1 = require("lib");\nexports.v = a_1.UsedThrough + a_1.Own + l_1.Direct;\n',
    });
    var r = pruneExports(ms, ['sketch']);
    assert.deepEqual(r.removed, { lib: ['Unused'], api: ['Gone'] });
    assert.deepEqual(r.renamed, {});
    assert.match(byId(ms, 'api'), /^__exportStar\(require\("lib"\), exports\);$/m);
  });

  it('keeps everything of a module re-exported by a kept one', function () {
    var ms = mods({ lib: 'exports.Anything = 1;\n', api: '__exportStar(require("lib"), exports);\n' });
    assert.deepEqual(pruneExports(ms, ['api']).removed, {});
  });
});

describe('build: surviving exports get short names', function () {
  it('renames an export everywhere it is named, padded to its old length, and runs the same', function () {
    var lib = 'exports.LongName = function (x) { return x + 1; };\nexports.Other = 2;\nexports.ab = exports.LongName(exports.Other);\n';
    var user = 'var l_1;\nl_1 = require("lib");\nexports.out = l_1.LongName(l_1.ab) + require("lib").Other;\n';
    var ms = mods({ lib: lib, user: user });
    var r = pruneExports(ms, ['user']);
    assert.deepEqual(r.renamed, { lib: { LongName: 'a', Other: 'b' } });
    assert.equal(byId(ms, 'lib').length, lib.length);
    assert.equal(byId(ms, 'user').length, user.length);
    assert.match(byId(ms, 'lib'), /^exports\.a {8}= function/m);
    assert.match(byId(ms, 'user'), /l_1\.a {7}\(l_1\.ab\) \+ require\("lib"\)\.b {4};/);
    // the kept module's own exports keep their names
    assert.match(byId(ms, 'user'), /^exports\.out = /m);
    var cache: { [id: string]: any } = {};
    function req(id: string): any {
      if (!cache[id]) { cache[id] = {}; new Function('exports', 'require', byId(ms, id))(cache[id], req); }
      return cache[id];
    }
    assert.equal(req('user').out, 6); // LongName(ab) = (Other + 1) + 1 = 4, + Other 2
  });

  it('renames nothing in a module read by a computed key', function () {
    var ms = mods({ lib: 'exports.LongName = 1;\n', user: 'exports.v = require("lib")["LongName"];\n' });
    assert.deepEqual(pruneExports(ms, ['user']).renamed, {});
    assert.equal(byId(ms, 'lib'), 'exports.LongName = 1;\n');
  });
});

describe('build: modules the minifier emptied', function () {
  it('get a body Espruino stores code for (`function(){0}`), others are untouched', function () {
    var code = 'Modules.addCached("a",function(){}),Modules.addCached("b",function(){exports.x=1});Modules.addCached("c",function(){});';
    assert.equal(fillEmptyModules(code),
      'Modules.addCached("a",function(){0}),Modules.addCached("b",function(){exports.x=1});Modules.addCached("c",function(){0});');
  });
});

describe('build: short module ids in the minified file', function () {
  it('rewrites every addCached and require of a module in the file, built-ins untouched, and maps back', function () {
    var code = 'Modules.addCached("src/a",function(){exports.x=1}),Modules.addCached("src/b",function(){var a=require("src/a"),s=require("Storage");exports.y=a.x+1;function l(){return require("src/b")}});';
    var r = shortenModuleIds(code);
    assert.deepEqual(r.ids, { '~a': 'src/a', '~b': 'src/b' });
    assert.equal(r.code, 'Modules.addCached("~a",function(){exports.x=1}),Modules.addCached("~b",function(){var a=require("~a"),s=require("Storage");exports.y=a.x+1;function l(){return require("~b")}});');
    // the sizes and every module name shown come out under the long ids
    assert.deepEqual(measure(r.code, r.ids).map(function (m) { return m.id; }), ['src/a', 'src/b']);
    var exps: any = {};
    var modules = { addCached: function (id: string, fn: () => void) { var e = {}; exps[id] = e; fn.call(e); } };
    new Function('Modules', 'require', 'exports', r.code.replace(/function\(\)\{/g, 'function(){var exports=this;'))(modules, function (id: string) { return exps[id] || {}; }, {});
    assert.equal(exps['~b'].y, 2);
  });

  it('keeps the ids it is told to keep (the sketch, which code outside the file may require)', function () {
    var r = shortenModuleIds('Modules.addCached("sketch",function(){});Modules.addCached("src/x",function(){require("sketch")});', ['sketch']);
    assert.deepEqual(r.ids, { '~a': 'src/x' });
    assert.match(r.code, /addCached\("sketch"/);
    assert.match(r.code, /require\("sketch"\)/);
  });
});
