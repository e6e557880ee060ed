import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoClock = require('../../../hal/espruino/clock').EspruinoClock;

describe('EspruinoClock', function () {
  var g: any = global;
  var saved: any;
  var calls: string[];

  beforeEach(function () {
    calls = [];
    saved = { st: g.setTimeout, ct: g.clearTimeout, si: g.setInterval, ci: g.clearInterval };
    g.setTimeout = function (fn: any, ms: number) { calls.push('setTimeout ' + ms); return 11; };
    g.setInterval = function (fn: any, ms: number) { calls.push('setInterval ' + ms); return 12; };
    // Espruino's own clearTimeout(undefined) throws
    g.clearTimeout = function (id: any) { if (id === undefined) throw new Error('not allowed'); calls.push('clearTimeout ' + id); };
    g.clearInterval = function (id: any) { if (id === undefined) throw new Error('not allowed'); calls.push('clearInterval ' + id); };
  });

  afterEach(function () {
    g.setTimeout = saved.st;
    g.clearTimeout = saved.ct;
    g.setInterval = saved.si;
    g.clearInterval = saved.ci;
  });

  it('passes timers through to the runtime', function () {
    var c = new EspruinoClock();
    assert.equal(c.setTimeout(function () {}, 5), 11);
    assert.equal(c.setInterval(function () {}, 7), 12);
    c.clearTimeout(11);
    c.clearInterval(12);
    assert.deepEqual(calls, ['setTimeout 5', 'setInterval 7', 'clearTimeout 11', 'clearInterval 12']);
  });

  it('clearing undefined or null is a no-op, not a throw', function () {
    var c = new EspruinoClock();
    c.clearTimeout(undefined);
    c.clearTimeout(null);
    c.clearInterval(undefined);
    assert.deepEqual(calls, []);
  });

  it('clearing an id the runtime refuses does not throw', function () {
    g.clearTimeout = function () { throw new Error('bad id'); };
    var c = new EspruinoClock();
    c.clearTimeout(99);
    assert.deepEqual(calls, []);
  });

  it('now() is Date.now()', function () {
    var c = new EspruinoClock();
    var before = Date.now();
    var t = c.now();
    assert.ok(t >= before && t <= Date.now());
  });
});
