import { strict as assert } from 'assert';
import * as vm from 'vm';
import * as ts from 'typescript';
import { flattenClassesTransformer } from '../../build/flatten-classes';
import { hoistTransformer } from '../../build/hoist';

/** TypeScript → ES5 CommonJS through the build's class flattening and hoisting passes. */
function compile(src: string, flatten: boolean): string {
  var after = flatten ? [flattenClassesTransformer, hoistTransformer] : [hoistTransformer];
  return ts.transpileModule(src, {
    compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, noEmitHelpers: true, removeComments: true },
    transformers: { after: after },
  }).outputText;
}

/** Runs a compiled module with a base module "./a" and returns its exports. */
function run(js: string): any {
  var base = { exports: {} as any };
  vm.runInNewContext(
    'function A(n) { this.n = n; } A.prototype.m = function (x) { return x * 10 + this.n; }; exports.A = A;',
    { exports: base.exports });
  var mod = { exports: {} as any };
  vm.runInNewContext(js, {
    exports: mod.exports,
    require: function (id: string) { if (id === './a') return base.exports; throw new Error('no module ' + id); },
    __extends: function (d: any, b: any) {
      for (var k in b) if (Object.prototype.hasOwnProperty.call(b, k)) d[k] = b[k];
      d.prototype = Object.create(b.prototype);
      d.prototype.constructor = d;
    },
  });
  return mod.exports;
}

var SRC = [
  "import { A } from './a';",
  'export class B extends A {',
  '  static k = 3;',
  '  constructor(n: number) { super(n + 1); }',
  '  m(x: number): number { var _super = 100; return super.m(x) + _super + B.k; }',
  '  get twice(): number { return this.n * 2; }',
  '}',
  'declare module "./a" { interface A { n: number; } }',
  'export class C { v = 7; get(): number { return this.v; } }',
].join('\n');

describe('build: class wrappers flattened into the module scope', function () {
  it('splices the wrapper into the module: no IIFE, `_super` read as the base class', function () {
    var js = compile(SRC, true);
    assert.doesNotMatch(js, /\(function \(/, js);
    assert.match(js, /__extends\(B, a_1\.A\)/);
    assert.match(js, /a_1\.A\.prototype\.m\.call\(this, x\)/);
    assert.match(js, /^function B\(n\)/m);
    assert.match(js, /^function C\(\)/m);
  });

  it('gives the same results as the wrapped output, a source name `_super` untouched', function () {
    var wrapped = run(compile(SRC, false));
    var flat = run(compile(SRC, true));
    var results = [wrapped, flat].map(function (e) {
      var b = new e.B(4);
      return [b.m(2), b.twice, b instanceof e.B, new e.C().get(), e.B.k].join(' ');
    });
    // m: 2 * 10 + 5 (super), + 100 (the local `_super`), + 3 (static)
    assert.deepEqual(results, ['128 10 true 7 3', '128 10 true 7 3']);
  });

  it('leaves a wrapper alone when its body declares more than the class', function () {
    var own = 'var K = (function () { var helper = 1; function K() {} K.prototype.x = function () { return helper; }; return K; }());\nexports.K = K;';
    assert.match(compile(own, true), /\(function \(\)/);
    assert.equal(new (run(compile(own, true)).K)().x(), 1);
    var plain = own.replace('var helper = 1; ', '').replace('return helper;', 'return 2;');
    assert.doesNotMatch(compile(plain, true), /\(function \(\)/);
    assert.equal(new (run(compile(plain, true)).K)().x(), 2);
  });

  it('leaves a hand-written IIFE whose parameter is a source name alone', function () {
    var src = 'var Base = function () {};\nexport var K = (function (_super) { function K() {} K.prototype.x = function () { return _super; }; return K; }(Base));';
    var js = compile(src, true);
    assert.match(js, /\(function \(_super\)/);
  });
});
