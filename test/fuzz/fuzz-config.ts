/**
 * Run counts of the fuzzers. CI runs each property a few hundred times (well under 5 s per file);
 * `npm run fuzz -- --runs 1000000` (sim/soak/fuzz.ts) sets FUZZ_RUNS and runs the same files long.
 * FUZZ_SEED fixes fast-check's seed (default: random, printed on failure by fast-check).
 */
import fc from 'fast-check';

/**
 * Runs per property: `ci`, or with FUZZ_RUNS set, FUZZ_RUNS × `scale` (at least `ci`). Whole-driver
 * properties (a DHCP client run, a W5500 bring-up) are a thousand times dearer than one parser input and
 * feed several inputs per run: they take a fraction of the runs.
 */
export function runs(ci: number, scale?: number): number {
  var n = Number(process.env.FUZZ_RUNS || 0);
  return n > 0 ? Math.max(ci, Math.floor(n * (scale || 1))) : ci;
}

/** fast-check parameters for a property (numRuns, and the seed when FUZZ_SEED is set). */
export function params(ci: number, scale?: number): fc.Parameters<any> {
  var p: fc.Parameters<any> = { numRuns: runs(ci, scale), endOnFailure: true };
  if (process.env.FUZZ_SEED) p.seed = Number(process.env.FUZZ_SEED);
  return p;
}

/** Counts inputs per parser across a run; printed by the long runner. */
export var tally: { [name: string]: number } = {};

export function count(name: string): void {
  tally[name] = (tally[name] || 0) + 1;
}

/** Bytes (numbers 0–255) → binary string. */
export function bin(a: ArrayLike<number>): string {
  var s = '';
  for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i] & 255);
  return s;
}

/** Random binary strings of up to `max` bytes. */
export function binary(max: number): fc.Arbitrary<string> {
  return fc.uint8Array({ maxLength: max }).map(bin);
}

/** Splits `s` at the given cut points (any numbers; taken modulo the length). */
export function cut(s: string, cuts: number[]): string[] {
  if (!s.length) return [s];
  var at = cuts.map(function (c) { return c % (s.length + 1); }).sort(function (a, b) { return a - b; });
  var out: string[] = [];
  var p = 0;
  for (var i = 0; i < at.length; i++) {
    if (at[i] > p) {
      out.push(s.substring(p, at[i]));
      p = at[i];
    }
  }
  out.push(s.substring(p));
  return out;
}
