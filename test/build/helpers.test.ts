import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadHelpers } from '../../build/bundle';
import { runInSandbox } from '../../build/sandbox';
import { runInEspruino } from '../../build/espruino-run';
import { checkCode } from '../../build/gate-rules';

var HELPERS = loadHelpers().map(function (h) { return h.text; }).join('\n');

/** Per helper: a snippet (ES5, declarations first) and the lines it must print. */
var CASES: { helper: string; code: string; expect: string[] }[] = [
  {
    helper: '__extends',
    code: 'function A() { this.a = 1; } A.s = "static"; Object.defineProperty(A, "g", { get: function () { return "get:" + (this === B ? "B" : "A"); }, configurable: true });' +
      'A.prototype.m = function () { return "m"; };' +
      'function B() { A.call(this); this.b = 2; } __extends(B, A);' +
      'var o = new B(); console.log(B.s, B.g, A.g, o.m(), o instanceof B, o instanceof A, o.constructor === B, o.a + o.b);',
    expect: ['static get:B get:A m true true true 3'],
  },
  {
    helper: '__assign',
    code: 'console.log(JSON.stringify(__assign({}, { a: 1, b: 2 }, null, { b: 3 })));',
    expect: ['{"a":1,"b":3}'],
  },
  {
    helper: '__rest',
    code: 'console.log(JSON.stringify(__rest({ a: 1, b: 2, c: 3 }, ["a"])));',
    expect: ['{"b":2,"c":3}'],
  },
  {
    helper: '__spreadArray',
    code: 'function f() { return __spreadArray([0], arguments, true); } var a = [1, 2]; var s = __spreadArray(__spreadArray([], a, true), [3], false);' +
      'console.log(s.join(","), a.length, f(7, 8).join(","));',
    expect: ['1,2,3 2 0,7,8'],
  },
  {
    helper: '__read',
    code: 'console.log(__read([1, 2, 3], 2).join(","), __read([4, 5]).join(","));',
    expect: ['1,2 4,5'],
  },
  {
    helper: '__values',
    code: 'var it = __values([1, 2]); var a = it.next(), b = it.next(), c = it.next(); console.log(a.value, a.done, b.value, c.done);',
    expect: ['1 false 2 true'],
  },
  {
    helper: '__awaiter/__generator',
    code: 'function run() { return __awaiter(this, void 0, void 0, function () { var x, e1; return __generator(this, function (_a) { switch (_a.label) {' +
      ' case 0: return [4, Promise.resolve(20)];' +
      ' case 1: x = _a.sent(); _a.label = 2;' +
      ' case 2: _a.trys.push([2, 4, void 0, 5]); return [4, Promise.reject(new Error("no"))];' +
      ' case 3: _a.sent(); return [3, 5];' +
      ' case 4: e1 = _a.sent(); console.log("caught " + e1.message); return [3, 5];' +
      ' case 5: return [2, x + 1]; } }); }); }' +
      'run().then(function (v) { console.log("result " + v); });',
    expect: ['caught no', 'result 21'],
  },
  {
    helper: '__createBinding/__exportStar',
    code: 'var src = { a: 1, b: 2, default: 3 }; var dst = { b: 9 }; __exportStar(src, dst); __createBinding(dst, src, "a", "alias");' +
      'console.log(dst.a, dst.b, dst.alias, dst["default"]);',
    expect: ['1 9 1 undefined'],
  },
  {
    helper: '__importStar/__importDefault',
    code: 'var cjs = { x: 1 }; var esm = { __esModule: true, x: 2 }; var ns = __importStar(cjs);' +
      'console.log(ns.x, ns["default"] === cjs, __importStar(esm) === esm, __importDefault(cjs)["default"] === cjs, __importDefault(esm) === esm);',
    expect: ['1 true true true true'],
  },
  {
    helper: '__makeTemplateObject',
    code: 'var t = __makeTemplateObject(["a", "b"], ["a", "b\\\\n"]); console.log(t.length, t.raw[1]);',
    expect: ['2 b\\n'],
  },
  {
    helper: '__setFunctionName',
    code: 'var f = __setFunctionName(function () {}, "x", "get"); console.log(typeof f);',
    expect: ['function'],
  },
  {
    helper: '__classPrivateFieldGet/Set/In',
    code: 'function C() {} var state = { v: {}, has: function (o) { return o === inst; }, get: function () { return this.v.x; }, set: function (o, x) { this.v.x = x; } };' +
      'var inst = new C(); __classPrivateFieldSet(inst, state, 5, "f"); console.log(__classPrivateFieldGet(inst, state, "f"), __classPrivateFieldIn(state, inst));',
    expect: ['5 true'],
  },
];

describe('Espruino-safe helpers (build/espruino-helpers.js)', function () {
  it('the helper file itself passes the gate rules', function () {
    assert.deepEqual(checkCode(HELPERS).map(function (v) { return v.rule + ': ' + v.message; }), []);
  });

  CASES.forEach(function (c) {
    it(c.helper + ' behaves as TypeScript expects (Node sandbox)', async function () {
      var r = await runInSandbox(HELPERS + '\n' + c.code);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.lines, c.expect);
    });
  });

  it('every helper gives the same lines in the real interpreter (ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpers-test-'));
    try {
      var failures: string[] = [];
      CASES.forEach(function (c, i) {
        var f = path.join(dir, 'h' + i + '.js');
        fs.writeFileSync(f, HELPERS + '\n' + c.code + '\n');
        var r = runInEspruino(process.env.ESPRUINO_BIN as string, f, 10000);
        if (r.errors.length || JSON.stringify(r.lines) !== JSON.stringify(c.expect)) {
          failures.push(c.helper + ': ' + JSON.stringify(r.lines));
        }
      });
      assert.deepEqual(failures, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
