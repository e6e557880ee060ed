import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { checkBuiltFile } from '../../build/gate';
import { buildLinuxFirmware, runE2e, runUnreachable, E2eResult, DEFAULT_SKETCH } from '../../tools/e2e-espruino';
import { knownInterpreterBug } from '../../build/esp32-boot';

var BIN = process.env.ESPRUINO_BIN;
var ESP32_BIN = process.env.ESPRUINO_ESP32_BIN;
/** How long the unreachable-cloud run watches the device, ms. */
var UNREACHABLE_MS = 14000;

function check(r: E2eResult, name: string): void {
  var c = r.checks.filter((x) => x.name === name)[0];
  assert.ok(c, 'no check "' + name + '" (run ended early?): ' + r.checks.map((x) => x.name + (x.ok ? '' : ' FAILED: ' + x.detail)).join('; ') + '\n' + r.lines.join('\n'));
  assert.ok(c.ok, name + ': ' + c.detail + '\n' + r.lines.join('\n'));
}

function skipWithoutBin(ctx: Mocha.Context): void {
  if (BIN) return;
  console.log('      skipped: ESPRUINO_BIN not set (point it to Espruino\'s Linux build to run the board in the real interpreter)');
  ctx.skip();
}

describe('board espruino-linux', function () {
  this.timeout(120000);
  var file = '';

  before(async function () {
    file = (await buildLinuxFirmware(DEFAULT_SKETCH)).file;
  });

  after(function () {
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('builds with the failover demo and passes the gate', function () {
    assert.ok(/failover-demo\.espruino-linux\.js$/.test(file));
    assert.deepEqual(checkBuiltFile(file), []);
  });

  describe('in the real interpreter, against a real broker (ESPRUINO_BIN)', function () {
    var e2e: E2eResult;
    var cold: { lines: string[]; uncaught: string[] };

    before(async function () {
      skipWithoutBin(this);
      // Both runs at once: they share nothing but the interpreter binary.
      var both = await Promise.all([runE2e({ bin: BIN as string, file: file }), runUnreachable({ bin: BIN as string, file: file, ms: UNREACHABLE_MS })]);
      e2e = both[0];
      cold = both[1];
      console.log('      memory: ' + e2e.memory.startup + ' blocks after start-up, ' + e2e.memory.cloud + ' at the first cloud connection (' +
        e2e.memory.blocksize + ' bytes per block); e2e run ' + (e2e.runMs / 1000).toFixed(1) + ' s');
    });

    it('connects to the cloud', function () {
      check(e2e, 'device connected');
    });

    it('answers a cloud function call', function () {
      check(e2e, 'function call answered');
    });

    it('delivers its QoS 1 publishes', function () {
      check(e2e, 'QoS 1 publishes arrive');
    });

    it('survives a broker restart', function () {
      check(e2e, 'broker restart survived');
    });

    it('delivers the QoS 1 publishes made while the broker was down after the reconnect, none missing', function () {
      check(e2e, 'QoS 1 publishes made while the broker was down arrive after the reconnect');
    });

    it('brings up a SIM7600 on a serial device (a pty to the modem model) as cell0', function () {
      if (!e2e.checks.some((c) => c.name.indexOf('cell0') === 0)) this.skip();
      check(e2e, 'cell0 (SIM7600 on a serial device) ready');
    });

    it('probes the interfaces and gets answers from the UDP echo responder', function () {
      if (e2e.checks.some((c) => c.name === 'probes answered by the UDP echo responder' && c.skipped)) this.skip();
      check(e2e, 'probes answered by the UDP echo responder');
    });

    it('reports its memory use after start-up', function () {
      check(e2e, 'memory reported');
      assert.ok(e2e.memory.cloud >= e2e.memory.startup, JSON.stringify(e2e.memory));
    });

    it('has no uncaught error in the device', function () {
      check(e2e, 'no uncaught error in the device');
    });

    it('leaves no process and no server behind', async function () {
      assert.ok(e2e.pids.length >= 1);
      for (var pid of e2e.pids) assert.throws(() => process.kill(pid, 0), 'process ' + pid + ' still running');
      var refused = await new Promise<boolean>((res) => {
        var s = net.connect(e2e.brokerPort, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          res(false);
        });
        s.on('error', () => res(true));
      });
      assert.ok(refused, 'something still listens on the broker port ' + e2e.brokerPort);
    });

    it('with the cloud unreachable: says so in clear log lines, without an uncaught error', function () {
      assert.deepEqual(cold.uncaught, [], cold.lines.join('\n'));
      assert.ok(cold.lines.indexOf('I eth0: ready') >= 0, cold.lines.join('\n'));
      assert.ok(cold.lines.indexOf('W mgr: connect over eth0 failed (no_server)') >= 0, cold.lines.join('\n'));
      assert.ok(!cold.lines.some((l) => /cloud up/.test(l)), cold.lines.join('\n'));
    });

    it('with the cloud unreachable: retries a bounded number of times, backing off', function () {
      var attempts = cold.lines.filter((l) => l === 'I mgr: connecting over eth0').length;
      var delays = cold.lines.map((l) => /^I mgr: retry in (\d+) ms$/.exec(l)).filter((m) => m).map((m) => +m![1]);
      // Backoff from 1 s doubling to 60 s with ±50 % jitter: about 5 attempts in 14 s; without backoff, hundreds.
      assert.ok(attempts >= 3 && attempts <= 8, attempts + ' attempts in ' + UNREACHABLE_MS / 1000 + ' s:\n' + cold.lines.join('\n'));
      assert.ok(delays.length >= 2, 'retry delays: ' + delays.join(', '));
      assert.ok(delays[delays.length - 1] > 2 * delays[0], 'retry delays do not grow: ' + delays.join(', '));
    });
  });

  describe('in the ESP32 layout, booted from Storage, against a real broker (ESPRUINO_ESP32_BIN)', function () {
    var e2e: E2eResult;

    before(async function () {
      if (!ESP32_BIN) {
        console.log('      skipped: ESPRUINO_ESP32_BIN not set (point it to an ESP32-layout Espruino interpreter, docs/memory.md)');
        this.skip();
      }
      e2e = await runE2e({ bin: ESP32_BIN as string, file: file, esp32: true });
      console.log('      ESP32 layout: ' + e2e.memory.startup + ' blocks after start-up, ' + e2e.memory.cloud + ' at the first cloud connection, peak ' +
        e2e.memory.peak + ' of ' + e2e.memory.total + (e2e.outOfMemory ? ', OUT OF MEMORY' : '') + '; run ' + (e2e.runMs / 1000).toFixed(1) + ' s');
    });

    it('does not run out of memory', function () {
      assert.ok(!e2e.outOfMemory, 'OUT OF MEMORY in the ESP32 layout: ' + JSON.stringify(e2e.memory) + '\n' + e2e.lines.join('\n'));
      check(e2e, 'fits in the ESP32 pool (no OUT OF MEMORY)');
    });

    it('reports its blocks after start-up and at the first cloud connection, in the ESP32 pool', function () {
      check(e2e, 'memory reported');
      assert.equal(e2e.memory.total, 16383, 'not the ESP32 layout: ' + JSON.stringify(e2e.memory));
      assert.equal(e2e.memory.blocksize, 14);
      assert.ok(e2e.memory.peak >= e2e.memory.cloud && e2e.memory.samples > 0, JSON.stringify(e2e.memory));
    });

    it('connects, publishes, survives a broker restart and probes, without an uncaught error', function () {
      // Espruino 2v29 itself loses (debug build: ASSERTs on) UART bursts of more than one 64-byte event
      // (its bug #2718, fixed after 2v29; docs/espruino-notes.md): that run says nothing about the firmware.
      var bug = e2e.lines.map(knownInterpreterBug).filter(function (n) { return n !== ''; })[0];
      if (bug) {
        console.log('      pending: the interpreter stopped on a known Espruino fault, not the firmware:' + bug);
        this.skip();
      }
      for (var c of e2e.checks) {
        if (c.skipped) continue;
        assert.ok(c.ok, c.name + ': ' + c.detail + '\n' + e2e.lines.join('\n'));
      }
    });

    it('leaves no process behind', function () {
      for (var pid of e2e.pids) assert.throws(() => process.kill(pid, 0), 'process ' + pid + ' still running');
    });
  });
});
