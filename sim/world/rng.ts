/**
 * A small seeded PRNG (mulberry32): the world's only source of randomness, so that the same seed gives
 * the same run. `fork(label)` derives an independent stream, so that adding randomness in one place
 * (a new link, a new service) does not shift the draws of another.
 */
export class Rng {
  private _s: number;
  private readonly _seed: number;

  constructor(seed: number) {
    this._seed = seed >>> 0;
    this._s = this._seed;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    var t = (this._s = (this._s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform float in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** An independent stream derived from this one's seed and `label` (does not consume draws). */
  fork(label: string): Rng {
    return new Rng(hash32(label) ^ Math.imul(this._seed + 1, 0x9e3779b1));
  }
}

/** FNV-1a over the UTF-16 code units of `s`. */
export function hash32(s: string): number {
  var h = 0x811c9dc5;
  for (var i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
