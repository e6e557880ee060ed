/**
 * The long fuzz run: the property tests of test/fuzz, each property run `--runs` times (default 1e6).
 *
 *   npm run fuzz -- --runs 1000000 [--seed S] [--only at|mqtt|dhcp|w5500|...]
 *
 * Prints, per parser, the inputs fed (chunks, datagrams, SPI runs) and the verdict. Exit code 1 on any
 * failure (fast-check prints the counterexample and the seed to replay it with --seed).
 */
import * as path from 'path';
import * as fs from 'fs';
import Mocha from 'mocha';

function arg(name: string, def: string): string {
  var i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

var runs = Number(arg('runs', '1000000'));
var only = arg('only', '');
process.env.FUZZ_RUNS = String(runs);
var seed = arg('seed', '');
if (seed) process.env.FUZZ_SEED = seed;

require('ts-node').register({ transpileOnly: true });
var dir = path.join(__dirname, '..', '..', 'test', 'fuzz');
var files = fs.readdirSync(dir).filter(function (f) {
  return /\.test\.ts$/.test(f) && f !== 'bounds.test.ts' && f !== 'credentials.test.ts' && (!only || f.indexOf(only) >= 0);
});
var mocha = new Mocha({ timeout: 0, reporter: 'spec' });
files.forEach(function (f) {
  mocha.addFile(path.join(dir, f));
});
var t0 = Date.now();
console.log('fuzz: ' + runs + ' runs per property, files: ' + files.join(', ') + (seed ? ', seed ' + seed : ''));
mocha.run(function (failures: number) {
  var cfg = require(path.join(dir, 'fuzz-config'));
  var tally = cfg.tally;
  console.log('\ninputs fed per parser:');
  Object.keys(tally).sort().forEach(function (k) {
    console.log('  ' + (k + '        ').substr(0, 8) + tally[k]);
  });
  console.log('failures: ' + failures + ', wall time ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
  process.exitCode = failures ? 1 : 0;
});
