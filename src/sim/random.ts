// A small seeded random source (mulberry32) so simulated runs replay, and helpers built on it.
// May import: nothing.

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A delay varied by ± jitter (a fraction), never negative. */
export function jittered(random: Random, ms: number, jitter: number): number {
  if (jitter <= 0 || ms <= 0) return ms;
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
}

/** A version-4 UUID drawn from the random source (replays with the seed). */
export function randomUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A name suffix like Kubernetes' generateName (consonants and digits). */
export function nameSuffix(random: Random, length = 5): string {
  return Array.from({ length }, () => SUFFIX_CHARS[Math.floor(random() * SUFFIX_CHARS.length)]).join('');
}
