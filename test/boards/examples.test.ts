import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware, ROOT } from '../../build/build';
import { runGate } from '../../build/gate';

var EXAMPLES = ['failover-demo', 'with-network', 'preference-and-sequence'];

describe('examples build for the board', function () {
  this.timeout(120000);
  var out = fs.mkdtempSync(path.join(os.tmpdir(), 'netswitch-examples-'));
  after(function () {
    fs.rmSync(out, { recursive: true, force: true });
  });

  EXAMPLES.forEach(function (name) {
    it(name + ': builds with the board into one Espruino file that passes the gate', async function () {
      var r = await buildFirmware({ sketch: path.join(ROOT, 'examples', name + '.ts'), outDir: out, typecheck: false });
      assert.equal(path.basename(r.file), name + '.esp32-w5500-sim7600.js');
      assert.ok(r.modules.indexOf('sketch') >= 0, 'the sketch is module "sketch"');
      assert.ok(r.modules.indexOf('boards/esp32-w5500-sim7600') >= 0);
      var lines: string[] = [];
      var code = runGate([r.file], {}, function (l) {
        lines.push(l);
      });
      assert.equal(code, 0, lines.join('\n'));
    });
  });
});
