import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { flashPlan, boardJsonFor, outputName } from '../../build/flash';
import { ROOT } from '../../build/build';
import { ESP32_BUILTIN_MODULES } from '../../build/builtins';

var BASE = ['node_modules/.bin/espruino', '--board'];

describe('flash command', function () {
  it('uploads the board build over the port at 115200 baud, offline', function () {
    var p = flashPlan({ port: '/dev/ttyUSB0' });
    assert.deepEqual(p.command, BASE.concat(['build/out/esp32-w5500-sim7600.board.json', '--config', 'MODULE_URL=',
      '-b', '115200', '-p', '/dev/ttyUSB0', '--no-ble', 'build/out/esp32-w5500-sim7600.js']));
    assert.equal(p.cwd, ROOT);
  });

  it('adds SAVE_ON_SEND=1 with --save', function () {
    var p = flashPlan({ port: '/dev/ttyUSB0', save: true });
    assert.deepEqual(p.command, BASE.concat(['build/out/esp32-w5500-sim7600.board.json', '--config', 'MODULE_URL=',
      '--config', 'SAVE_ON_SEND=1', '-b', '115200', '-p', '/dev/ttyUSB0', '--no-ble', 'build/out/esp32-w5500-sim7600.js']));
  });

  it('uploads the sketch build with --sketch', function () {
    var p = flashPlan({ port: 'tcp://192.168.1.50', sketch: 'examples/blink.ts', board: 'esp32-w5500-sim7600' });
    assert.equal(p.file, 'build/out/blink.esp32-w5500-sim7600.js');
    assert.equal(p.command[p.command.length - 1], 'build/out/blink.esp32-w5500-sim7600.js');
    assert.equal(outputName({ sketch: 'x/y/blink.ts' }), 'blink.esp32-w5500-sim7600');
  });

  it('requires a port', function () {
    assert.throws(function () { flashPlan({ port: '' }); }, /--port is required/);
  });

  it('the board JSON lists the ESP32 built-in modules', function () {
    var json = JSON.parse(fs.readFileSync(path.join(ROOT, 'boards', 'esp32.board.json'), 'utf8'));
    assert.deepEqual(json.info.builtin_modules.slice().sort(), ESP32_BUILTIN_MODULES.slice().sort());
  });

  it('the board JSON given to the CLI adds our module ids, so the CLI never looks for them', function () {
    var json = boardJsonFor({ info: { builtin_modules: ['net'] } }, ['src/index', 'boards/x']);
    assert.deepEqual(json.info.builtin_modules, ['net', 'src/index', 'boards/x', 'sketch']);
  });

  it('--dry-run prints the command line and runs nothing', function () {
    var r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'build', 'flash.ts'),
      '--port', '/dev/ttyUSB0', '--save', '--dry-run'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'node_modules/.bin/espruino --board build/out/esp32-w5500-sim7600.board.json --config MODULE_URL= ' +
      '--config SAVE_ON_SEND=1 -b 115200 -p /dev/ttyUSB0 --no-ble build/out/esp32-w5500-sim7600.js\n');
  });
});
