import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runBench, formatTable, writeBenchJson, BenchResult } from '../../sim/bench/bench';

var KEYS = [
  'failover_hard_ms', 'failover_silent_ms.ethernet', 'failover_silent_ms.wifi', 'failover_silent_ms.cellular',
  'probe_bytes_per_interface', 'probe_ms', 'idle_cell_bytes_per_hour', 'idle_cell_bytes_per_hour.detection_bound_ms',
  'boot_to_cloud_overhead_ms', 'w5500_bus_ratio', 'sim7600_uart_ratio', 'firmware_bytes', 'world_hour_wall_ms',
];
var SIDE_BY_SIDE = KEYS.slice(0, 9);

describe('npm run bench (sim/bench), quick mode', function () {
  this.timeout(60000);
  var r: BenchResult;

  before(async function () {
    r = await runBench({ quick: true, build: false, esp32Bin: null });
  });

  it('produces every metric', function () {
    for (var k of KEYS) assert.ok(r.metrics[k], 'missing ' + k);
    for (var k2 of KEYS) if (k2 !== 'firmware_bytes') assert.equal(typeof r.metrics[k2].ours, 'number', k2);
  });

  it('records the ESP32 memory figures as not measured without an interpreter (null, not 0), and says why', function () {
    for (var k of ['esp32_blocks.after_startup', 'esp32_blocks.peak', 'esp32_blocks.pool_8000_60s']) {
      assert.ok(r.metrics[k], 'missing ' + k);
      assert.equal(r.metrics[k].ours, null, k);
      assert.equal(r.metrics[k].met, null, k);
      assert.deepEqual(r.metrics[k].detail, { measured: false, reason: 'ESPRUINO_ESP32_BIN not set' });
    }
    assert.ok(r.notes.some(function (n) { return /^esp32_blocks: not measured \(ESPRUINO_ESP32_BIN not set/.test(n); }), r.notes.join('\n'));
  });

  it('runs the baseline in the same cases and gives the ratio baseline / ours', function () {
    for (var k of SIDE_BY_SIDE) {
      var m = r.metrics[k];
      assert.equal(typeof m.baseline, 'number', k);
      assert.equal(m.ratio, Math.round((m.baseline! / m.ours!) * 100) / 100, k);
    }
  });

  it('measures each failover on the interface it set up: the session was there when the fault came', function () {
    for (var k of ['failover_hard_ms', 'failover_silent_ms.ethernet', 'failover_silent_ms.wifi', 'failover_silent_ms.cellular']) {
      var d = r.metrics[k].detail;
      assert.ok(d.ours.setupOk && d.baseline.setupOk, k);
      assert.ok(d.ours.ms > 0 && d.baseline.ms > 0, k);
    }
  });

  it('checks the goals against the figures', function () {
    var h = r.metrics.failover_hard_ms;
    assert.equal(h.met, h.ours! <= 1500 && h.ratio! >= 3);
    var p = r.metrics.probe_bytes_per_interface;
    assert.equal(p.met, p.ours! <= 300);
    var e = r.metrics['failover_silent_ms.ethernet'];
    assert.equal(e.met, e.ours! <= 10000);
    for (var k in r.metrics) if (r.metrics[k].met === false) assert.ok(r.notes.some(function (n) { return n.indexOf(k.split('.')[0]) === 0; }), 'a note for ' + k);
  });

  it('prints the table and writes the JSON', function () {
    var t = formatTable(r);
    for (var k of KEYS) assert.ok(t.indexOf(k + ' (') >= 0, k);
    var f = path.join(os.tmpdir(), 'netswitch-bench-' + process.pid + '.json');
    writeBenchJson(r, f);
    var back = JSON.parse(fs.readFileSync(f, 'utf8'));
    fs.unlinkSync(f);
    assert.deepEqual(Object.keys(back.metrics), Object.keys(r.metrics));
    assert.equal(back.quick, true);
  });
});
