/**
 * One phase of the rate-limits scenario in k6: send `count` requests back to back as one client,
 * classify each answer, and report the phase under its {limit, phase} tags — how many were sent,
 * refused (429) or failed otherwise, the index of the first 429 and when it came.
 */
import { Counter, Gauge } from 'k6/metrics';
import type { LimitName } from '../../stack/gateway/rate-limits.ts';
import { RATE_LIMIT_METRICS, type Phase } from '../gomeet/rate-limit-probe.ts';

export type Outcome = 'passed' | 'refused' | 'error';

const requests = new Counter(RATE_LIMIT_METRICS.requests);
const refused = new Counter(RATE_LIMIT_METRICS.refused);
const errors = new Counter(RATE_LIMIT_METRICS.errors);
const firstRefusedIndex = new Gauge(RATE_LIMIT_METRICS.firstRefusedIndex);
const firstRefusedMs = new Gauge(RATE_LIMIT_METRICS.firstRefusedMs);
const lastSentMs = new Gauge(RATE_LIMIT_METRICS.lastSentMs);

/** 429 is the limiter; anything else the gateway let through is an answer from the service. */
export function outcomeOf(status: number, passStatus: (s: number) => boolean): Outcome {
  if (status === 429) return 'refused';
  return passStatus(status) ? 'passed' : 'error';
}

/** Sends up to `count` requests; stops early once `stopAfterRefused` were refused (if given). */
export function runPhase(limit: LimitName, phase: Phase, count: number, send: (index: number) => Outcome, stopAfterRefused?: number): void {
  const tags = { limit, phase };
  let first = 0;
  let firstAt = -1;
  let t0 = 0;
  let last = 0;
  let refusals = 0;
  for (let i = 1; i <= count && (stopAfterRefused === undefined || refusals < stopAfterRefused); i++) {
    const at = Date.now();
    if (i === 1) t0 = at;
    last = at - t0;
    const outcome = send(i);
    requests.add(1, tags);
    if (outcome === 'refused') {
      refused.add(1, tags);
      refusals++;
      if (first === 0) {
        first = i;
        firstAt = at - t0;
      }
    } else if (outcome === 'error') {
      errors.add(1, tags);
    }
  }
  // Zero-valued adds make every {limit, phase} sub-metric exist in the summary, refusals or not.
  refused.add(0, tags);
  errors.add(0, tags);
  firstRefusedIndex.add(first, tags);
  firstRefusedMs.add(firstAt, tags);
  lastSentMs.add(last, tags);
}
