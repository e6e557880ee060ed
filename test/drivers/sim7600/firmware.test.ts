import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../../../build/build';
import { checkCode } from '../../../build/gate-rules';

describe('SIM7600 driver firmware build', function () {
  this.timeout(60000);
  it('bundles for Espruino and passes the compatibility gate', async function () {
    var out = fs.mkdtempSync(path.join(os.tmpdir(), 'sim7600-fw-'));
    try {
      var r = await buildFirmware({ noBoard: true, entries: ['src/drivers/sim7600/sim7600-interface.ts'], outDir: out, name: 'sim7600', typecheck: false });
      var ids = r.sizes.map(function (s) { return s.id; });
      for (var m of ['at-engine', 'modem', 'sim7600', 'cell-socket', 'sim7600-interface'])
        assert.ok(ids.indexOf('src/drivers/sim7600/' + m) >= 0, m + ' missing from the bundle');
      assert.deepEqual(checkCode(fs.readFileSync(r.file, 'utf8')), []);
      assert.deepEqual(checkCode(fs.readFileSync(r.debugFile, 'utf8')), []);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
