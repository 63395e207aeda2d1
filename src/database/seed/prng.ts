/**
 * Deterministic helpers for the demo data: a seeded PRNG (so every run generates the very same
 * people) and name-based UUIDs (so every run inserts the very same ids, and ON CONFLICT DO NOTHING
 * makes the second run a no-op). Pure module: no I/O.
 */
import { createHash } from 'node:crypto';

/** mulberry32: small, fast, good enough for demo data; identical sequence for the same seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Integer in [min, max] (both inclusive). */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    /** True with probability p. */
    chance: (p: number) => next() < p,
    /** Pick by weight: [[value, weight], …]. */
    weighted: <T>(xs: readonly (readonly [T, number])[]): T => {
      const total = xs.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of xs) {
        r -= w;
        if (r < 0) return v;
      }
      return xs[xs.length - 1][0];
    },
  };
}
export type Prng = ReturnType<typeof prng>;

/**
 * A stable UUID for a demo row, derived from a readable key (RFC 4122 version 5 layout over
 * SHA-1 with a fixed namespace), e.g. demoUuid('partner:519901:hospital1').
 */
export function demoUuid(key: string): string {
  const h = createHash('sha1').update(`dpf-caseflow-demo:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const DAY = 86_400_000;

/** Today's calendar date in Asia/Shanghai (fixed UTC+8), YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}
