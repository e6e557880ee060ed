/** Retry delays and the small random source behind their jitter. */

/**
 * Exponential backoff with jitter before retry `n` (n ≥ 1): min(maxMs, baseMs × 2^(n−1)), of which the
 * fraction `jitter` is random ("equal jitter": jitter 0.5 gives a delay between d/2 and d). 0 for n < 1.
 */
export function expBackoffMs(n: number, baseMs: number, maxMs: number, jitter: number, rnd: () => number): number {
  if (n < 1) return 0;
  var d = baseMs * Math.pow(2, Math.min(n - 1, 30));
  if (d > maxMs) d = maxMs;
  return Math.round(d - d * jitter * rnd());
}

/**
 * Particle Device OS's cloud connect backoff before attempt `n` (n ≥ 1, BASELINE.md):
 * 1 s × 2^min(7, ⌊(n−1)/5⌋): 1 s five times, then 2, 4, … 64 s five times each, then 128 s. No jitter.
 */
export function particleBackoffMs(n: number): number {
  if (n < 1) n = 1;
  return 1000 * Math.pow(2, Math.min(7, Math.floor((n - 1) / 5)));
}

/**
 * xorshift32: a tiny deterministic random source for jitter and probe nonces when the board injects none.
 * Seed it per device (e.g. from a MAC address) so a fleet does not retry in step.
 */
export class Prng {
  _x: number;

  constructor(seed: number) {
    this._x = (seed | 0) || 0x2545f491;
  }

  /** A number in [0, 1). */
  next(): number {
    var x = this._x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this._x = x | 0;
    return (x >>> 0) / 4294967296;
  }
}

/** A 32-bit FNV-1a hash of a string (seeds from MAC addresses or ids). */
export function hash32(s: string): number {
  var h = 0x811c9dc5;
  for (var i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 255;
    // h * 16777619 in 32 bits, without Math.imul.
    h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) | 0;
  }
  return h;
}
