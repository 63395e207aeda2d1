/**
 * Test helpers for building resident ID numbers.
 *
 * The check character is computed with the *recursive* form of ISO 7064
 * MOD 11-2 (p = ((p + digit) * 2) mod 11, check c with (p + c) mod 11 = 1),
 * deliberately a different formulation from the weighted-sum table used in
 * src/domain/identity/resident-id.ts, so the tests cross-check the
 * implementation instead of repeating it.
 */
export function iso7064Mod112(first17: string): string {
  let p = 0;
  for (const ch of first17) p = ((p + Number(ch)) * 2) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

/** Append a correct check character to 17 digits. */
export function withCheck(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`withCheck needs 17 digits, got ${first17}`);
  return first17 + iso7064Mod112(first17);
}

/**
 * Build a valid ID from parts.
 * @param region 6-digit address code
 * @param birth YYYYMMDD
 * @param seq 3-digit sequence code (its last digit sets the sex: odd = M)
 */
export function makeId(region: string, birth: string, seq = '123'): string {
  return withCheck(region + birth + seq);
}

/** Replace the check character with a wrong one. */
export function withWrongCheck(id: string): string {
  const good = id[17];
  const bad = good === '0' ? '1' : '0';
  return id.slice(0, 17) + bad;
}

/** Small deterministic PRNG (mulberry32) so "random" cases are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
