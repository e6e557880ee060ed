/**
 * `npm run bench [-- --quick] [--seed N] [--no-build] [--out FILE]`: runs the benchmark (sim/bench/bench.ts),
 * prints the side-by-side table and writes build/bench.json. With ESPRUINO_ESP32_BIN (an ESP32-layout
 * interpreter, docs/memory.md) it also boots the firmware from Storage and records its blocks
 * (esp32_blocks.*); without it those rows say they were not measured.
 */
import * as path from 'path';
import { runBench, formatTable, writeBenchJson, ROOT } from './bench';

async function main(): Promise<number> {
  var argv = process.argv.slice(2);
  var quick = false;
  var build: boolean | undefined;
  var seed = 1;
  var out: string | undefined;
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--no-build') build = false;
    else if (a === '--seed' && i + 1 < argv.length) seed = Number(argv[++i]);
    else if (a === '--out' && i + 1 < argv.length) out = argv[++i];
    else {
      console.error('usage: npm run bench -- [--quick] [--seed N] [--no-build] [--out FILE]');
      return 2;
    }
  }
  var r = await runBench({ seed: seed, quick: quick, build: build, progress: function (l) { console.error('bench: ' + l); } });
  console.log(formatTable(r));
  var f = writeBenchJson(r, out);
  console.log('\nwrote ' + path.relative(ROOT, f) + ' (' + (r.wallMs / 1000).toFixed(1) + ' s wall)');
  return 0;
}

if (require.main === module) {
  main().then(function (c) {
    process.exit(c);
  }, function (e) {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
