import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware, ROOT } from '../../../build/build';
import { runInEspruinoAsync } from '../../../build/espruino-run';

/**
 * The Espruino memory binding in the ESP32-layout interpreter (ESPRUINO_ESP32_BIN: a fixed pool of 16383
 * blocks, as on the board). The sketch fills the pool to about 2 000 free blocks with a ballast, then
 * makes more cyclic garbage in each timer tick than there is room for, so the free list runs empty and a
 * garbage collection has to free the earlier cycles: Espruino sets LOW_MEMORY (no OUT OF MEMORY), which
 * it does not emit as an event. The binding must report it, with the pool's figures.
 */
function sketchSource(): string {
  return [
    'import { espruinoMemory } from ' + JSON.stringify(path.join(ROOT, 'hal', 'espruino', 'memory')) + ';',
    'var ballast: string[] = [];',
    'var stop = false;',
    'espruinoMemory.onLow(function (f: string[]) {',
    '  stop = true;',
    '  ballast = [];',
    '  var u = espruinoMemory.usage();',
    '  console.log("low " + f.join() + " " + (u.usage > 0 && u.usage < u.total) + " " + u.total);',
    '});',
    'while (process.memory(false).free > 2000) for (var k = 0; k < 40; k++) ballast.push("abcdefghijklmnop" + k);',
    'var t = setInterval(function () {',
    '  if (stop) { clearInterval(t); return; }',
    // more cyclic garbage in one tick than there are free blocks: the free list runs empty whatever the timing
    '  for (var j = 0; j < 1000; j++) { var a: any = { x: 1 }; a.a = a; }',
    '}, 50);',
    'setTimeout(function () { if (!stop) { clearInterval(t); console.log("no report"); } }, 12000);',
  ].join('\n') + '\n';
}

describe('Espruino memory binding in the ESP32-layout interpreter', function () {
  var tmp: string;

  before(function () {
    if (!process.env.ESPRUINO_ESP32_BIN) {
      console.log('      skipped: ESPRUINO_ESP32_BIN not set (point it to an ESP32-layout Espruino 2v29 build)');
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-test-'));
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reports LOW_MEMORY (which Espruino only records) from its poll, with the pool figures', async function () {
    this.timeout(60000);
    var sketch = path.join(tmp, 'memory.ts');
    fs.writeFileSync(sketch, sketchSource());
    var r = await buildFirmware({ noBoard: true, sketch: sketch, outDir: tmp, name: 'memory' });
    var run = await runInEspruinoAsync(process.env.ESPRUINO_ESP32_BIN as string, r.file, 15000);   // the binding's poll keeps it running: stopped at the limit
    assert.deepEqual(run.errors, []);
    assert.deepEqual(run.lines, ['low LOW_MEMORY true 16383']);
  });
});
