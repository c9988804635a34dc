/**
 * A small seeded PRNG (mulberry32) so a scenario with a seed replays the same day: arrivals,
 * session sizes and faults are drawn from here, never from Math.random.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.next();
}

/** Normal via Box-Muller, clamped to [min, max]. */
export function clampedNormal(rng: Rng, mean: number, sd: number, min: number, max: number): number {
  const u = Math.max(rng.next(), Number.EPSILON);
  const v = rng.next();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(max, Math.max(min, mean + sd * z));
}

/** True with the probability that a Poisson process of `ratePerHour` fires within `dtS` seconds. */
export function happens(rng: Rng, ratePerHour: number, dtS: number): boolean {
  if (ratePerHour <= 0 || dtS <= 0) return false;
  return rng.next() < 1 - Math.exp(-(ratePerHour * dtS) / 3600);
}

export function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items[Math.floor(rng.next() * items.length)];
}
