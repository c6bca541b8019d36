/**
 * A tiny seeded PRNG (mulberry32): the impaired path's packet loss and jitter draw from it, so a run
 * with the same seed and the same packets drops and delays the same ones — a lossy run can be
 * repeated. Not for anything secret. Math.random() cannot be seeded; fast-check's generators are a
 * dev dependency only.
 */

/** Returns a function giving uniform numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
