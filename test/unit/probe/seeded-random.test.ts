/** The impaired path's PRNG: repeatable per seed, distinct across seeds, uniform enough for loss. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../media/impair/seeded-random.ts';

const take = (f: () => number, n: number): number[] => Array.from({ length: n }, f);

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(take(mulberry32(42), 100)).toEqual(take(mulberry32(42), 100));
    expect(take(mulberry32(42), 100)).not.toEqual(take(mulberry32(43), 100));
  });

  it('stays in [0, 1) and hits a 30 % band as often as it should', () => {
    const n = 100_000;
    const xs = take(mulberry32(1), n);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Binomial(100000, 0.3): σ ≈ 145; the sequence is fixed, so ±4σ is only a sanity margin.
    const hits = xs.filter((x) => x < 0.3).length;
    expect(Math.abs(hits - 0.3 * n)).toBeLessThan(4 * Math.sqrt(n * 0.3 * 0.7));
  });
});
