/**
 * The gateway's rate limits as Traefik's rateLimit middleware expresses them (average per period,
 * burst), derived from the seed's sizing (thresholds/sizing.ts: "1000 req/min API, 2000 req/min
 * WebSocket") so the numbers live in one place. The local stack's gateway (haproxy + the Lua token
 * bucket beside this file), the rate-limits scenario and its judge all read these.
 *
 * burst = average: the seed says "N req/min", i.e. N requests may come at once and the N+1st is
 * refused. Traefik's default burst of 1 would refuse the second request of any burst (a bucket of
 * one token refilled every 60 ms), which no reading of "1000 req/min" means.
 *
 * Pure data: imported by Node code and bundled into the k6 scenario.
 */
import { SEED_SIZING } from '../../thresholds/sizing.ts';

export type LimitName = 'api' | 'websocket';

export interface RateLimit {
  /** Requests refilled per period (Traefik `average`). */
  average: number;
  /** Seconds (Traefik `period`; the seed's is 1m). */
  periodSec: number;
  /** Bucket size (Traefik `burst`): requests that may come at once. */
  burst: number;
}

export type GatewayLimits = Record<LimitName, RateLimit>;

/** The header the gateway keys its buckets by. Traefik's equivalent is
 *  `sourceCriterion.requestHeaderName: X-Client-Id`. Why not the source IP (Traefik's default): a
 *  load generator is one IP for thousands of virtual users, so per-IP buckets would make the whole
 *  test one client. A request without the header falls back to its source IP, as Traefik would. */
export const CLIENT_ID_HEADER = 'X-Client-Id';

export const SEED_GATEWAY_LIMITS: GatewayLimits = {
  api: { average: SEED_SIZING.rateLimits.apiPerMin, periodSec: 60, burst: SEED_SIZING.rateLimits.apiPerMin },
  websocket: { average: SEED_SIZING.rateLimits.websocketPerMin, periodSec: 60, burst: SEED_SIZING.rateLimits.websocketPerMin },
};

/** Tokens refilled per second. */
export function ratePerSec(limit: RateLimit): number {
  return limit.average / limit.periodSec;
}

/**
 * Traefik does not refuse a request the bucket can serve soon: it waits up to maxDelay for the
 * token (rate_limiter.go: 1/(2·⌊rate⌋) s for rate ≥ 1/s, else 500 ms) and refuses only beyond.
 * So a request passes once the bucket holds at least 1 − rate·maxDelay tokens (≈ half a token).
 */
export function maxDelaySec(limit: RateLimit): number {
  const r = ratePerSec(limit);
  return r < 1 ? 0.5 : 1 / (2 * Math.trunc(r));
}

/** The same limit over another period: the same count per (shorter) window, so a test can wait
 *  for a full refill in seconds instead of a minute. Everything else (burst = count) is kept. */
export function overPeriod(limit: RateLimit, periodSec: number, count = limit.average): RateLimit {
  if (!(periodSec > 0) || !(count > 0) || !Number.isInteger(count)) throw new RangeError(`a rate limit needs a positive period and a positive integer count, got ${count}/${periodSec}s`);
  return { average: count, periodSec, burst: count };
}

/** One line: "1000 per 60 s (burst 1000)". */
export function describeLimit(limit: RateLimit): string {
  return `${limit.average} per ${limit.periodSec} s (burst ${limit.burst})`;
}
