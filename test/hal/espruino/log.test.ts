import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoLog = require('../../../hal/espruino/log').EspruinoLog;
import { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG } from '../../../hal/log';

describe('EspruinoLog', function () {
  var saved = console.log;
  var lines: string[];

  beforeEach(function () {
    lines = [];
    console.log = function (s: string) { lines.push(s); };
  });

  afterEach(function () {
    console.log = saved;
  });

  it('prints one console line per entry with level letter and tag', function () {
    var l = new EspruinoLog();
    l.log(LOG_ERROR, 'w5500', 'no chip');
    l.log(LOG_WARN, 'mgr', 'slow');
    l.log(LOG_INFO, 'board', 'up');
    assert.deepEqual(lines, ['E w5500: no chip', 'W mgr: slow', 'I board: up']);
  });

  it('drops lines above its level (INFO by default)', function () {
    new EspruinoLog().log(LOG_DEBUG, 'x', 'hidden');
    new EspruinoLog(LOG_WARN).log(LOG_INFO, 'x', 'hidden');
    new EspruinoLog(LOG_DEBUG).log(LOG_DEBUG, 'x', 'shown');
    assert.deepEqual(lines, ['D x: shown']);
  });
});
