/**
 * The rate-limits scenario's input and output, written down once for both sides: the k6 scenario
 * (scenarios/rate-limits.ts) reads the probe from GOMEET_RATE_LIMIT_PROBE and reports per limit and
 * phase under the metric names below; the Node judge (scripts/limits/judge.ts) reads those back
 * from the summary.
 *
 * Phases, each a fresh client id (a full bucket), requests back to back:
 *   below      limit − 1 requests       none may be refused
 *   at         limit requests           none may be refused
 *   past       until `extra` refused    refused from request limit + 1 on (plus one per token the
 *                                       bucket refilled meanwhile), and every request after that;
 *                                       at most 2 × limit + extra requests
 *   recovered  limit requests, on the `past` client once a whole period has passed: none refused
 *
 * Pure: bundled into k6 and imported by Node.
 */
import type { GatewayLimits, LimitName } from '../../stack/gateway/rate-limits.ts';

export const RATE_LIMIT_PROBE_ENV = 'GOMEET_RATE_LIMIT_PROBE';

export const PHASES = ['below', 'at', 'past', 'recovered'] as const;
export type Phase = (typeof PHASES)[number];
export const LIMIT_NAMES: readonly LimitName[] = ['api', 'websocket'];

export interface RateLimitProbe {
  /** The gateway: `http://host:port` (the API route) — WebSockets go to the same host's `/ws`. */
  gatewayUrl: string;
  /** What the gateway enforces (the seed's numbers unless a test scaled them). */
  limits: GatewayLimits;
  /** 429s the `past` phase collects before it stops. */
  extra: number;
  /** Makes this run's client ids its own: buckets outlive a run by up to a period. */
  runTag: string;
}

/**
 * Requests a phase sends — for `past`, at most: it stops once `extra` were refused. Why not exactly
 * limit + extra: sending the limit takes time, and the bucket refills meanwhile (the seed's 1000
 * API requests took 3.6 s on a busy 2-core machine, i.e. 60 tokens back), so a fixed count would
 * often end before the first 429. Twice the limit bounds it: no sender is slow enough to refill a
 * whole burst while sending one.
 */
export function phaseCount(phase: Phase, limit: number, extra: number): number {
  return phase === 'below' ? limit - 1 : phase === 'past' ? 2 * limit + extra : limit;
}

/** 429s after which a phase stops early (only `past` does). */
export function phaseStopAfterRefused(phase: Phase, extra: number): number | undefined {
  return phase === 'past' ? extra : undefined;
}

export const RATE_LIMIT_METRICS = {
  /** Counter: requests sent. */
  requests: 'gomeet_rate_limit_requests',
  /** Counter: answered 429. */
  refused: 'gomeet_rate_limit_refused',
  /** Counter: neither let through nor 429 (5xx, connection failure): the phase proves nothing. */
  errors: 'gomeet_rate_limit_errors',
  /** Gauge: 1-based index of the first 429 in the phase, 0 if none. */
  firstRefusedIndex: 'gomeet_rate_limit_first_refused_index',
  /** Gauge: ms from the phase's first request to the first refused one (-1 if none). */
  firstRefusedMs: 'gomeet_rate_limit_first_refused_ms',
  /** Gauge: ms from the phase's first request to its last. */
  lastSentMs: 'gomeet_rate_limit_last_sent_ms',
} as const;

/** The summary key of a metric for one limit and phase (the scenario declares a threshold on each,
 *  which is what makes k6 report the tagged sub-metric). */
export function submetricKey(metric: string, limit: LimitName, phase: Phase): string {
  return `${metric}{limit:${limit},phase:${phase}}`;
}

/** Parses and checks the probe; throws naming the bad field. */
export function parseRateLimitProbe(text: string | undefined): RateLimitProbe {
  if (!text) throw new Error(`${RATE_LIMIT_PROBE_ENV} is not set: it must hold the rate-limit probe as JSON`);
  const p = JSON.parse(text) as RateLimitProbe;
  if (typeof p.gatewayUrl !== 'string' || !/^https?:\/\//.test(p.gatewayUrl)) throw new Error('rate-limit probe: gatewayUrl must be an http(s) URL');
  for (const name of LIMIT_NAMES) {
    const l = p.limits?.[name];
    if (!l || !(l.average > 0) || !(l.periodSec > 0) || !(l.burst >= 1)) throw new Error(`rate-limit probe: limits.${name} needs average, periodSec and burst > 0`);
  }
  if (!Number.isInteger(p.extra) || p.extra < 1) throw new Error('rate-limit probe: extra must be an integer ≥ 1');
  if (typeof p.runTag !== 'string' || p.runTag === '') throw new Error('rate-limit probe: runTag must be a non-empty string');
  return p;
}
