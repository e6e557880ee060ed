import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../../../build/build';
import { checkBuiltFile } from '../../../build/gate';
import { runInEspruino } from '../../../build/espruino-run';

describe('W5500 driver in Espruino', function () {
  this.timeout(60000);
  var file = '';
  before(async function () {
    var out = fs.mkdtempSync(path.join(os.tmpdir(), 'w5500-smoke-'));
    var r = await buildFirmware({ noBoard: true, entries: ['test/drivers/w5500/fixtures/espruino-smoke.ts'], outDir: out, name: 'w5500-smoke', typecheck: false });
    file = r.file;
  });

  it('passes the compatibility gate', function () {
    assert.deepEqual(checkBuiltFile(file), []);
  });

  it('brings a present chip to on then failed/no_link, an absent one to failed/no_hardware (ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    var r = runInEspruino(process.env.ESPRUINO_BIN as string, file, 15000);
    assert.deepEqual(r.errors, []);
    var lines = r.lines.filter((l) => l.indexOf('W5500 ') === 0).sort();
    assert.deepEqual(lines, [
      'W5500 absent failed/no_hardware',
      'W5500 bytes ok',
      'W5500 dhcp ok',
      'W5500 dns ok',
      'W5500 present powering_on,on,connecting,failed/no_link,powering_off,off mac 2.3',
    ], r.lines.join('\n'));
  });
});
