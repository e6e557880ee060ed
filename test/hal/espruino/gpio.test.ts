import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoPin = require('../../../hal/espruino/gpio').EspruinoPin;

describe('EspruinoPin', function () {
  var g: any = global;
  var saved: any;
  var log: any[];
  var level = 0;
  var watcher: any;

  beforeEach(function () {
    log = [];
    saved = { dw: g.digitalWrite, dr: g.digitalRead, pm: g.pinMode, sw: g.setWatch, cw: g.clearWatch };
    g.digitalWrite = function (p: any, v: any) { log.push(['write', p, v]); };
    g.digitalRead = function (p: any) { return level; };
    g.pinMode = function (p: any, m: any) { log.push(['mode', p, m]); };
    g.setWatch = function (fn: any, p: any, o: any) { watcher = fn; log.push(['watch', p, o]); return 3; };
    g.clearWatch = function (id: any) { log.push(['clear', id]); };
  });

  afterEach(function () {
    g.digitalWrite = saved.dw;
    g.digitalRead = saved.dr;
    g.pinMode = saved.pm;
    g.setWatch = saved.sw;
    g.clearWatch = saved.cw;
  });

  it('sets the pin mode when given and writes levels as 0/1', function () {
    var p = new EspruinoPin(4, 'output');
    p.write(true);
    p.write(false);
    assert.deepEqual(log, [['mode', 4, 'output'], ['write', 4, 1], ['write', 4, 0]]);
  });

  it('reads the level as a boolean', function () {
    var p = new EspruinoPin(21);
    level = 1;
    assert.equal(p.read(), true);
    level = 0;
    assert.equal(p.read(), false);
  });

  it('watches edges with debounce and reports the new level', function () {
    var p = new EspruinoPin(21);
    var seen: boolean[] = [];
    p.watch(function (h: boolean) { seen.push(h); }, 'falling', 10);
    watcher({ state: false });
    watcher({ state: true });
    assert.deepEqual(log, [['watch', 21, { repeat: true, edge: 'falling', debounce: 10 }]]);
    assert.deepEqual(seen, [false, true]);
  });

  it('stop clears only its own watch, once (clearWatch() with no id would clear all)', function () {
    var p = new EspruinoPin(21);
    var stop = p.watch(function () {}, 'both', 0);
    stop();
    stop();
    assert.deepEqual(log.filter(function (l) { return l[0] === 'clear'; }), [['clear', 3]]);
  });
});
