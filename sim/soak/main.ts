/**
 * npm run soak -- --faults N --seed S [--gap MS] [--period MS] [--tls] [--no-scan] [--kinds a,b] [--json FILE]
 *
 * Runs the soak (sim/soak/soak.ts) and prints its report. Exit code 1 when anything crashed, a QoS 1
 * message was lost, a secret was found, or the board was not healthy at the end.
 */
import * as fs from 'fs';
import { runSoak, formatReport } from './soak';

function arg(name: string, def?: string): string | undefined {
  var i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

function flag(name: string): boolean {
  return process.argv.indexOf('--' + name) >= 0;
}

var faults = Number(arg('faults', '200'));
var seed = Number(arg('seed', '1'));
if (!(faults >= 0) || !(seed === seed)) {
  console.error('usage: npm run soak -- --faults N --seed S [--gap MS] [--period MS] [--tls] [--no-scan] [--kinds a,b] [--json FILE]');
  process.exit(2);
}
var kinds = arg('kinds');
console.log('soak: ' + faults + ' faults, seed ' + seed + (flag('tls') ? ', TLS required' : ''));
runSoak({
  faults: faults, seed: seed, meanGapMs: Number(arg('gap', '20000')), periodMs: Number(arg('period', '10000')),
  tls: flag('tls'), scan: !flag('no-scan'), kinds: kinds ? kinds.split(',') : undefined,
  progress: function (l) { console.log(l); },
}).then(function (r) {
  console.log(formatReport(r));
  var json = arg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(r, null, 2));
  var bad = r.crashes > 0 || r.lost > 0 || r.secretHits.length > 0 || !r.healthyAtEnd || !!r.stall;
  process.exit(bad ? 1 : 0);
}, function (e) {
  console.error('soak failed: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
