// Deterministic randomness for the interleaving explorer: a seeded mulberry32 generator and a Chooser that records
// every pick it makes, so one schedule is fully described by its seed and index, or by its list of picks.
// May import: src/sim/random.

import { seededRandom } from '../../src/sim/random.js';

/** mulberry32, the simulator's own seeded source: the same seed gives the same stream everywhere. */
export const mulberry32 = seededRandom;

/** The seed of schedule `index` of a run seeded with `seed` (a mix, so neighbouring indices look unrelated). */
export function scheduleSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Every choice of a schedule goes through here and is recorded. Given forced picks (a recorded path), it replays
 * them instead of drawing; the generator is drawn from either way, so a path that runs out continues as the seed
 * would have.
 */
export class Chooser {
  readonly picks: number[] = [];
  private readonly rnd: () => number;

  constructor(
    seed: number,
    private readonly forced?: readonly number[],
  ) {
    this.rnd = mulberry32(seed);
  }

  /** 0 .. n-1. */
  int(n: number): number {
    if (n <= 1) {
      this.picks.push(0);
      return 0;
    }
    const drawn = Math.floor(this.rnd() * n);
    const f = this.forced?.[this.picks.length];
    const pick = f !== undefined && f >= 0 && f < n ? f : drawn;
    this.picks.push(pick);
    return pick;
  }

  /** An index drawn with the given (non-negative) weights; at least one must be positive. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    const r = this.rnd() * total;
    let drawn = weights.length - 1;
    for (let i = 0, acc = 0; i < weights.length; i++) {
      acc += weights[i] ?? 0;
      if (r < acc) {
        drawn = i;
        break;
      }
    }
    const f = this.forced?.[this.picks.length];
    const pick = f !== undefined && f >= 0 && f < weights.length && (weights[f] ?? 0) > 0 ? f : drawn;
    this.picks.push(pick);
    return pick;
  }

  chance(p: number): boolean {
    return this.int(1000) < Math.round(p * 1000);
  }

  /** lo .. hi inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  one<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Chooser.one: empty list');
    return xs[this.int(xs.length)] as T;
  }
}

/** A path as one short string: the picks in base 36, dot-separated. */
export function encodePicks(picks: readonly number[]): string {
  return picks.map((p) => p.toString(36)).join('.');
}

export function decodePicks(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split('.').map((p) => {
    const n = parseInt(p, 36);
    if (!Number.isInteger(n) || n < 0) throw new Error(`not a path: ${JSON.stringify(p)}`);
    return n;
  });
}
