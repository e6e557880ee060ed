import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { spawnSync } from 'child_process';
import { flashPlan, boardJsonFor, outputName, ramRefusal, stringBlocks, runCli, flashBuilt, FlashPlan, ESP32_POOL_BLOCKS } from '../../build/flash';
import { ROOT } from '../../build/build';
import { ESP32_BUILTIN_MODULES } from '../../build/builtins';

var BASE = ['node_modules/.bin/espruino', '--board'];

var FLASH_TS = path.join(ROOT, 'build', 'flash.ts');

function runFlash(args: string[]) {
  var env = Object.assign({}, process.env);
  delete env.ESPRUINO_CLI;
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', FLASH_TS].concat(args), { cwd: ROOT, encoding: 'utf8', env: env });
}

/** A stand-in for the espruino CLI: a node script that prints what it is given and exits with `code`. */
function fakeCli(dir: string, out: string, err: string, code: number): string {
  var f = path.join(dir, 'fake-espruino-' + Math.random().toString(36).slice(2));
  fs.writeFileSync(f, '#!' + process.execPath + '\n' +
    'require("fs").writeFileSync(' + JSON.stringify(f + '.ran') + ', JSON.stringify(process.argv.slice(2)));\n' +
    'process.stdout.write(' + JSON.stringify(out) + '); process.stderr.write(' + JSON.stringify(err) + ');\n' +
    'process.exitCode = ' + code + ';\n');
  fs.chmodSync(f, 0o755);
  return f;
}

/** Runs fn with console.log / console.error and process.stdout / stderr writes captured. */
async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; text: string }> {
  var text = '';
  var log = console.log, error = console.error;
  var ow = process.stdout.write, ew = process.stderr.write;
  console.log = function () { text += [].slice.call(arguments).join(' ') + '\n'; };
  console.error = console.log;
  (process.stdout as any).write = function (c: any) { text += String(c); return true; };
  (process.stderr as any).write = (process.stdout as any).write;
  try {
    var value = await fn();
    return { value: value, text: text };
  } finally {
    console.log = log; console.error = error;
    (process.stdout as any).write = ow; (process.stderr as any).write = ew;
  }
}

describe('flash command', function () {
  var tmp: string;
  before(function () { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-test-')); });
  after(function () { fs.rmSync(tmp, { recursive: true, force: true }); });

  it('boots from Storage by default: SAVE_ON_SEND=1, over the port at 115200 baud, offline', function () {
    var p = flashPlan({ port: '/dev/ttyUSB0', cli: 'node_modules/.bin/espruino' });
    assert.deepEqual(p.command, BASE.concat(['build/out/esp32-w5500-sim7600.board.json', '--config', 'MODULE_URL=',
      '--config', 'SAVE_ON_SEND=1', '-b', '115200', '-p', '/dev/ttyUSB0', '--no-ble', 'build/out/esp32-w5500-sim7600.js']));
    assert.equal(p.cwd, ROOT);
    assert.equal(p.mode, 'storage');
    assert.match(p.says, /boots from Storage/);
  });

  it('--ram uploads to RAM: no SAVE_ON_SEND, and says so', function () {
    var p = flashPlan({ port: '/dev/ttyUSB0', ram: true, cli: 'node_modules/.bin/espruino' });
    assert.deepEqual(p.command, BASE.concat(['build/out/esp32-w5500-sim7600.board.json', '--config', 'MODULE_URL=',
      '-b', '115200', '-p', '/dev/ttyUSB0', '--no-ble', 'build/out/esp32-w5500-sim7600.js']));
    assert.equal(p.mode, 'ram');
    assert.match(p.says, /RAM/);
  });

  it('--save is still accepted and means the default (boot from Storage)', function () {
    var a = runFlash(['--port', '/dev/ttyUSB0', '--save', '--dry-run']);
    var b = runFlash(['--port', '/dev/ttyUSB0', '--dry-run']);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    var c = runFlash(['--port', '/dev/ttyUSB0', '--save', '--ram', '--dry-run']);
    assert.notEqual(c.status, 0);
    assert.match(c.stderr, /contradict/);
  });

  it('a string of n characters takes floor(n / 10) + 1 blocks in the ESP32 layout (as measured)', function () {
    assert.equal(stringBlocks(0), 1);
    assert.equal(stringBlocks(9), 1);
    assert.equal(stringBlocks(10), 2);
    assert.equal(stringBlocks(1000), 101);
    assert.equal(stringBlocks(12000), 1201);
  });

  it('refuses a RAM upload whose text, held twice while it loads, needs more blocks than the ESP32 pool', function () {
    assert.equal(ESP32_POOL_BLOCKS, 16383);
    assert.equal(ramRefusal(81909), '');             // 2 x 8191 = 16382 blocks
    assert.equal(ramRefusal(50000), '');
    var why = ramRefusal(81910);                     // 2 x 8192 = 16384 blocks
    assert.match(why, /81910 bytes/);
    assert.match(why, /held twice/);
    assert.match(why, /16384 variable blocks/);
    assert.match(why, /at most 16383/);
    assert.match(why, /Storage/);
    assert.match(ramRefusal(171260), /cannot fit/);
    assert.match(ramRefusal(160106), /cannot fit/);   // today's firmware
    assert.match(ramRefusal(30000, 5000), /at most 5000/);
  });

  function planIn(root: string, o: { ram?: boolean; cli: string }): FlashPlan {
    fs.mkdirSync(path.join(root, 'build', 'out'), { recursive: true });
    fs.mkdirSync(path.join(root, 'boards'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'boards', 'esp32.board.json'), path.join(root, 'boards', 'esp32.board.json'));
    return flashPlan({ port: '/dev/ttyFAKE', root: root, ram: o.ram, cli: o.cli });
  }

  it('a RAM upload of a file too big for the pool is refused before the CLI runs', async function () {
    var root = path.join(tmp, 'big');
    var cli = fakeCli(tmp, 'Connected\n', '', 0);
    var plan = planIn(root, { ram: true, cli: cli });
    fs.writeFileSync(path.join(root, plan.file), 'x'.repeat(90000));
    assert.throws(function () { flashBuilt(plan, '/dev/ttyFAKE', ['src/index']); }, /not flashing: a RAM upload cannot fit: the file is 90000 bytes/);
    assert.equal(fs.existsSync(cli + '.ran'), false);
    // the same file boots from Storage: no refusal, the CLI runs with SAVE_ON_SEND=1
    var plan2 = planIn(root, { cli: cli });
    var r = await captured(function () { return flashBuilt(plan2, '/dev/ttyFAKE', ['src/index']); });
    assert.equal(r.value, 0, r.text);
    assert.match(r.text, /boots from Storage/);
    var argv = JSON.parse(fs.readFileSync(cli + '.ran', 'utf8'));
    assert.ok(argv.indexOf('SAVE_ON_SEND=1') > 0, argv.join(' '));
    var board = JSON.parse(fs.readFileSync(path.join(root, plan2.boardJson), 'utf8'));
    assert.ok(board.info.builtin_modules.indexOf('src/index') >= 0);
  });

  it('a RAM upload of a file that fits runs the CLI without SAVE_ON_SEND', async function () {
    var root = path.join(tmp, 'small');
    var cli = fakeCli(tmp, 'Connected\n', '', 0);
    var plan = planIn(root, { ram: true, cli: cli });
    fs.writeFileSync(path.join(root, plan.file), 'x'.repeat(1000));
    var r = await captured(function () { return flashBuilt(plan, '/dev/ttyFAKE', []); });
    assert.equal(r.value, 0, r.text);
    assert.match(r.text, /uploading to RAM/);
    var argv = JSON.parse(fs.readFileSync(cli + '.ran', 'utf8'));
    assert.equal(argv.indexOf('SAVE_ON_SEND=1'), -1);
  });

  it('exits non-zero with a clear message when the CLI cannot reach the board (it exits 0 itself)', async function () {
    var cli = fakeCli(tmp, "Connecting to '/dev/ttyNOPE'\n", 'serial: Port "/dev/ttyNOPE" not found\nUnable to connect!\n', 0);
    var r = await captured(function () { return runCli(flashPlan({ port: '/dev/ttyNOPE', cli: cli }), '/dev/ttyNOPE'); });
    assert.equal(r.value, 1);
    assert.match(r.text, /Unable to connect!/);   // the CLI's own output is passed through
    assert.match(r.text, /flash failed: the espruino CLI could not reach the board on \/dev\/ttyNOPE/);
  });

  it('a refused TCP port (the CLI prints only RECEIVE ERROR, never "Connected") also fails', async function () {
    var cli = fakeCli(tmp, "Connecting to 'tcp://127.0.0.1:1'\n", 'RECEIVE ERROR: {"code":"ECONNREFUSED"}\n', 0);
    var r = await captured(function () { return runCli(flashPlan({ port: 'tcp://127.0.0.1:1', cli: cli }), 'tcp://127.0.0.1:1'); });
    assert.equal(r.value, 1);
    assert.match(r.text, /could not reach the board on tcp:\/\/127.0.0.1:1/);
  });

  it('passes a CLI failure code through, and 0 after "Connected"', async function () {
    var bad = fakeCli(tmp, 'Connected\n', '', 3);
    var r = await captured(function () { return runCli(flashPlan({ port: 'p', cli: bad }), 'p'); });
    assert.equal(r.value, 3);
    var good = fakeCli(tmp, "Connecting to 'p'\nConnected\n>\n", '', 0);
    var r2 = await captured(function () { return runCli(flashPlan({ port: 'p', cli: good }), 'p'); });
    assert.equal(r2.value, 0, r2.text);
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

  it('--dry-run prints where the code goes and the command line, and runs nothing', function () {
    var r = runFlash(['--port', '/dev/ttyUSB0', '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "flash: boots from Storage: the code is saved to the board's Storage (.bootcde) and runs from flash at every boot\n" +
      'node_modules/.bin/espruino --board build/out/esp32-w5500-sim7600.board.json --config MODULE_URL= ' +
      '--config SAVE_ON_SEND=1 -b 115200 -p /dev/ttyUSB0 --no-ble build/out/esp32-w5500-sim7600.js\n');
    var ram = runFlash(['--port', '/dev/ttyUSB0', '--ram', '--dry-run']);
    assert.equal(ram.status, 0, ram.stderr);
    assert.match(ram.stdout, /^flash: uploading to RAM/);
    assert.doesNotMatch(ram.stdout, /SAVE_ON_SEND/);
  });
});
