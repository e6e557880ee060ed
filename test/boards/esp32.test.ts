import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware, BuildResult, ROOT } from '../../build/build';
import { checkBuiltFile } from '../../build/gate';
import { runInSandbox } from '../../build/sandbox';
import { runInEspruinoAsync } from '../../build/espruino-run';

var DEMO = path.join(ROOT, 'examples', 'failover-demo.ts');
var TINY = path.join(__dirname, 'esp32-tiny-sketch.ts');
var BIN = process.env.ESPRUINO_BIN;

/** A netswitch.json with secrets that must never be printed. */
var STORED = {
  deviceId: 'bench-7', host: '10.0.0.5', port: 1884, username: 'dev7', password: 'pw-SECRET-1', apn: 'internet',
  apnPassword: 'pw-SECRET-2', simPin: '9876', wifi: { ssid: 'Lab', password: 'pw-SECRET-3' }, bogus: 1,
};
var SECRETS = ['pw-SECRET-1', 'pw-SECRET-2', '9876', 'pw-SECRET-3'];

/** A fake `require("Storage")` for the sandbox, holding `files`. */
function fakeStorage(files: { [k: string]: string }): any {
  return {
    read: function (n: string) { return files[n]; },
    readJSON: function (n: string) { return files[n] === undefined ? undefined : JSON.parse(files[n]); },
    write: function (n: string, d: string) { files[n] = d; return true; },
    erase: function (n: string) { delete files[n]; },
    list: function () { return Object.keys(files); },
  };
}

function has(lines: string[], line: string): boolean {
  return lines.indexOf(line) >= 0;
}

function skipWithoutBin(ctx: Mocha.Context): void {
  if (BIN) return;
  console.log('      skipped: ESPRUINO_BIN not set (point it to an Espruino 2v29 Linux build to run the board)');
  ctx.skip();
}

describe('board esp32-w5500-sim7600', function () {
  this.timeout(120000);
  var out: string;
  var r: BuildResult;

  before(async function () {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'esp32-board-'));
    r = await buildFirmware({ sketch: fs.existsSync(DEMO) ? DEMO : TINY, outDir: out, name: 'board' });
  });

  after(function () {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('builds with the sketch and passes the gate', function () {
    assert.ok(r.modules.indexOf('sketch') >= 0);
    assert.equal(r.modules[r.modules.length - 1], 'boards/esp32-w5500-sim7600');
    assert.deepEqual(checkBuiltFile(r.file), []);
  });

  it('reports absent hardware as interface states in the sandbox, without an error', async function () {
    var s = await runInSandbox(fs.readFileSync(r.file, 'utf8'), { modules: { Storage: fakeStorage({}) }, timeoutMs: 2500 });
    assert.deepEqual(s.errors, []);
    assert.ok(has(s.lines, 'I eth0: failed (no_hardware)'), s.lines.join('\n'));
    assert.ok(has(s.lines, 'I cell0: failed (no_hardware)'), s.lines.join('\n'));
    assert.ok(has(s.lines, 'W wl0: absent (no Wifi module)'), s.lines.join('\n'));
  });

  it('takes its configuration from netswitch.json in Storage and never prints a secret', async function () {
    var files: { [k: string]: string } = { 'netswitch.json': JSON.stringify(STORED) };
    var s = await runInSandbox(fs.readFileSync(r.file, 'utf8'), { modules: { Storage: fakeStorage(files) }, timeoutMs: 1500 });
    assert.deepEqual(s.errors, []);
    assert.ok(has(s.lines, 'I board: device bench-7, cloud 10.0.0.5:1884 (echo 7007), user dev7, apn internet'), s.lines.join('\n'));
    assert.ok(has(s.lines, 'W board: netswitch.json: unknown setting "bogus"'), s.lines.join('\n'));
    var text = s.lines.join('\n');
    for (var x of SECRETS) assert.ok(text.indexOf(x) < 0, 'printed a secret: ' + x);
    // Wi-Fi provisioned from the configuration (the Wi-Fi driver's own file), feature flag stored.
    assert.ok(Object.keys(files).some(function (n) { return files[n].indexOf('Lab') >= 0 && n !== 'netswitch.json'; }), JSON.stringify(Object.keys(files)));
    assert.deepEqual(JSON.parse(files['ns.feat']), { eth: 1 });
  });

  it('runs in the interpreter: no Uncaught, eth0 and cell0 fail with no_hardware, quiet, stopped cleanly (ESPRUINO_BIN)', async function () {
    skipWithoutBin(this);
    var e = await runInEspruinoAsync(BIN as string, r.file, 8000);
    assert.deepEqual(e.errors, [], e.lines.join('\n'));
    assert.ok(has(e.lines, 'I eth0: failed (no_hardware)'), e.lines.join('\n'));
    assert.ok(has(e.lines, 'I cell0: failed (no_hardware)'), e.lines.join('\n'));
    assert.ok(has(e.lines, 'W wl0: absent (no Wifi module)'), e.lines.join('\n'));
    assert.ok(e.lines.some(function (l) { return /^I board: memory after start-up: usage \d+ of \d+ blocks$/.test(l); }), e.lines.join('\n'));
    // Bounded: a dozen start-up lines, then silence (no retry loop for absent hardware).
    assert.ok(e.lines.length <= 16, e.lines.length + ' lines:\n' + e.lines.join('\n'));
    assert.ok(e.timedOut || e.status === 0, 'exit status ' + e.status);
  });

  it('uses netswitch.json from the interpreter\'s Storage and never prints a secret (ESPRUINO_BIN)', async function () {
    skipWithoutBin(this);
    var f = path.join(out, 'stored.js');
    fs.writeFileSync(f, 'require("Storage").writeJSON("netswitch.json", ' + JSON.stringify(STORED) + ');\n' + fs.readFileSync(r.file, 'latin1'), 'latin1');
    var e = await runInEspruinoAsync(BIN as string, f, 5000);
    assert.deepEqual(e.errors, [], e.lines.join('\n'));
    assert.ok(has(e.lines, 'I board: device bench-7, cloud 10.0.0.5:1884 (echo 7007), user dev7, apn internet'), e.lines.join('\n'));
    var text = e.lines.join('\n');
    for (var x of SECRETS) assert.ok(text.indexOf(x) < 0, 'printed a secret: ' + x);
  });
});
