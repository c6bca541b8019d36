/**
 * The gateway's limiter at the seed's real numbers (1000 req/min API, 2000 req/min WebSocket):
 * what Traefik's token bucket lets through and refuses, and where the first 429 must come.
 */
import { describe, expect, it } from 'vitest';
import { SEED_SIZING } from '../../../thresholds/sizing.ts';
import { maxDelaySec, overPeriod, ratePerSec, SEED_GATEWAY_LIMITS } from '../../../stack/gateway/rate-limits.ts';
import { firstRefusedIndex, TokenBucket } from '../../../stack/gateway/token-bucket.ts';

const API = SEED_GATEWAY_LIMITS.api;
const WS = SEED_GATEWAY_LIMITS.websocket;

/** Sends `n` requests at time t (all at once) and returns how many passed. */
function burst(bucket: TokenBucket, n: number, t: number): number {
  let passed = 0;
  for (let i = 0; i < n; i++) if (bucket.take(t).allowed) passed++;
  return passed;
}

describe('limits derived from the seed sizing', () => {
  it("are the sizing's numbers per minute, with the whole minute's count as burst", () => {
    expect(API).toEqual({ average: SEED_SIZING.rateLimits.apiPerMin, periodSec: 60, burst: 1000 });
    expect(WS).toEqual({ average: SEED_SIZING.rateLimits.websocketPerMin, periodSec: 60, burst: 2000 });
    expect(ratePerSec(API)).toBeCloseTo(16.667, 3);
    // Traefik's maxDelay truncates the rate: 1/(2·16) s for 16.67/s.
    expect(maxDelaySec(API)).toBe(1 / 32);
    expect(maxDelaySec(WS)).toBe(1 / 66);
  });

  it('scale to a shorter period with the same semantics (count per window, burst = count)', () => {
    expect(overPeriod(API, 10)).toEqual({ average: 1000, periodSec: 10, burst: 1000 });
    expect(overPeriod(API, 20, 10)).toEqual({ average: 10, periodSec: 20, burst: 10 });
    expect(maxDelaySec(overPeriod(API, 20, 10))).toBe(0.5); // below 1 req/s Traefik waits up to 500 ms
    expect(() => overPeriod(API, 0)).toThrow(RangeError);
    expect(() => overPeriod(API, 10, 2.5)).toThrow(RangeError);
  });
});

describe('token bucket at 1000 req/min', () => {
  it('lets 1000 through at once and refuses the 1001st and every one after it in that instant', () => {
    const b = new TokenBucket(API, 0);
    expect(burst(b, 1000, 0)).toBe(1000);
    for (let i = 0; i < 50; i++) expect(b.take(0).allowed).toBe(false);
  });

  it('gives a token back every 60 ms, and serves a request half a token early after a short wait', () => {
    const b = new TokenBucket(API, 0);
    burst(b, 1000, 0);
    expect(b.take(0.02).allowed).toBe(false); // 0.33 token
    const early = b.take(0.035); // 0.58 token: Traefik holds it ≤ maxDelay (31 ms) until the token exists
    expect(early.allowed).toBe(true);
    expect(early.delaySec).toBeGreaterThan(0);
    expect(early.delaySec).toBeLessThanOrEqual(maxDelaySec(API));
    expect(b.take(0.035).allowed).toBe(false);
    expect(b.take(0.125).allowed).toBe(true); // 0.06 s later: one more token
  });

  it('is full again one period after it was emptied, and never holds more than the burst', () => {
    const b = new TokenBucket(API, 0);
    burst(b, 1000, 0);
    expect(burst(b, 1100, 60)).toBe(1000);
    expect(burst(new TokenBucket(API, 0), 1100, 3600)).toBe(1000);
  });

  it('refuses a steady 1001 req/min sender eventually, never a 1000 req/min one', () => {
    const steady = (perMin: number, minutes: number) => {
      const b = new TokenBucket(API, 0);
      let refused = 0;
      for (let i = 0; i < perMin * minutes; i++) if (!b.take((i * 60) / perMin).allowed) refused++;
      return refused;
    };
    expect(steady(1000, 5)).toBe(0);
    expect(steady(2000, 5)).toBeGreaterThan(0);
  });
});

describe('token bucket at 2000 WebSocket upgrades/min', () => {
  it('lets 2000 through at once and refuses the 2001st', () => {
    const b = new TokenBucket(WS, 0);
    expect(burst(b, 2000, 0)).toBe(2000);
    expect(b.take(0).allowed).toBe(false);
  });
});

describe('firstRefusedIndex (where the judge expects the first 429)', () => {
  it('is N+1 when the burst is sent faster than half a token refills', () => {
    expect(firstRefusedIndex(API, 0)).toBe(1001);
    expect(firstRefusedIndex(API, 0.025)).toBe(1001);
    expect(firstRefusedIndex(WS, 0)).toBe(2001);
  });

  it('moves one request later per token refilled while the burst was sent', () => {
    // 0.98 s at 16.67/s = 16.3 tokens, and a request passes from 0.48 of a token on.
    expect(firstRefusedIndex(API, 0.98)).toBe(1017);
    expect(firstRefusedIndex(API, 1.0)).toBe(1018);
  });

  it('agrees with the bucket for back-to-back senders at several speeds', () => {
    for (const gapMs of [0, 0.2, 1, 3, 7]) {
      const b = new TokenBucket(API, 0);
      let first = 0;
      for (let i = 1; i <= 1300 && first === 0; i++) if (!b.take(((i - 1) * gapMs) / 1000).allowed) first = i;
      expect(first, `gap ${gapMs} ms`).toBe(firstRefusedIndex(API, ((first - 1) * gapMs) / 1000));
    }
  });
});
