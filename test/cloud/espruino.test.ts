import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../../build/build';
import { checkBuiltFile } from '../../build/gate';
import { runInEspruino } from '../../build/espruino-run';

describe('cloud layer in Espruino', function () {
  this.timeout(60000);
  let file = '';
  before(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-smoke-'));
    const r = await buildFirmware({ noBoard: true, entries: ['test/cloud/fixtures/espruino-smoke.ts'], outDir: out, name: 'cloud-smoke', typecheck: false });
    file = r.file;
  });

  it('passes the compatibility gate', () => {
    assert.deepEqual(checkBuiltFile(file), []);
  });

  it('decodes, keeps an outbox, connects, publishes and answers a function call (ESPRUINO_BIN)', function () {
    if (!process.env.ESPRUINO_BIN) this.skip();
    const r = runInEspruino(process.env.ESPRUINO_BIN as string, file, 15000);
    assert.deepEqual(r.errors, [], r.lines.join('\n'));
    assert.deepEqual(r.lines.filter((l) => l.indexOf('CLOUD ') === 0), [
      'CLOUD codec 0 a/b 255 513 true true',
      'CLOUD oversize true',
      'CLOUD outbox 2 one',
      'CLOUD connect 0',
      'CLOUD results 1,0 true',
      'CLOUD sent d/dev1/status=online t=one t=two d/dev1/e/queued=q d/dev1/e/live=v d/dev1/r/add/7=5',
      'CLOUD pongs true queued 0',
    ], r.lines.join('\n'));
  });
});
