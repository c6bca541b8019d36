/**
 * The rate-limits scenario judged from its k6 summary: per limit and phase, were the 429s where the
 * gateway's token bucket puts them? One line each, e.g.
 *   api past: 429 from request 1001 exactly (1000 per 60 s (burst 1000)); 50 of 1050 refused
 *
 * "Exactly" needs the phase sent faster than the bucket refills. Where it was not (the seed's 1000
 * requests take a second or more, and the bucket gets a token back every 60 ms), the model says how
 * many refilled tokens let further requests through, from the phase's own timing, and the line
 * names them: "429 from request 1061 = 1000 + 1 + 60 refilled in 3.60 s". A first 429 outside
 * that range, more requests let through after it than refill explains, a 429 in a phase that must
 * have none, or any other error is a mismatch.
 */
import { PHASES, phaseCount, RATE_LIMIT_METRICS, submetricKey, type Phase, type RateLimitProbe } from '../../lib/gomeet/rate-limit-probe.ts';
import { describeLimit, type LimitName, type RateLimit } from '../../stack/gateway/rate-limits.ts';
import { firstRefusedIndex } from '../../stack/gateway/token-bucket.ts';
import { LIMIT_NAMES } from '../../lib/gomeet/rate-limit-probe.ts';

/** Client and gateway see a request a little apart in time: the model is asked at ± this. */
export const TIMING_SLACK_MS = 50;

export interface PhaseFacts {
  sent: number;
  refused: number;
  errors: number;
  /** 0 when none was refused. */
  firstRefusedIndex: number;
  firstRefusedMs: number;
  lastSentMs: number;
}

export interface PhaseVerdict {
  limit: LimitName;
  phase: Phase;
  ok: boolean;
  /** First 429 exactly at burst + 1 (past phase only). */
  exact: boolean;
  facts: PhaseFacts;
  line: string;
}

export interface LimitsVerdict {
  ok: boolean;
  phases: PhaseVerdict[];
}

type Summary = { metrics?: Record<string, { values?: Record<string, number> }> };

function read(summary: Summary, metric: string, limit: LimitName, phase: Phase, field: 'count' | 'value'): number | undefined {
  return summary.metrics?.[submetricKey(metric, limit, phase)]?.values?.[field];
}

/** The facts of one phase, or undefined if the summary lacks them (the phase never ran). */
export function phaseFacts(summary: Summary, limit: LimitName, phase: Phase): PhaseFacts | undefined {
  const sent = read(summary, RATE_LIMIT_METRICS.requests, limit, phase, 'count');
  if (sent === undefined || sent === 0) return undefined;
  return {
    sent,
    refused: read(summary, RATE_LIMIT_METRICS.refused, limit, phase, 'count') ?? 0,
    errors: read(summary, RATE_LIMIT_METRICS.errors, limit, phase, 'count') ?? 0,
    firstRefusedIndex: read(summary, RATE_LIMIT_METRICS.firstRefusedIndex, limit, phase, 'value') ?? 0,
    firstRefusedMs: read(summary, RATE_LIMIT_METRICS.firstRefusedMs, limit, phase, 'value') ?? -1,
    lastSentMs: read(summary, RATE_LIMIT_METRICS.lastSentMs, limit, phase, 'value') ?? 0,
  };
}

/** Indices the model allows for the first 429 of a request arriving `ms` after the first. */
function modelRange(l: RateLimit, ms: number): [number, number] {
  return [firstRefusedIndex(l, Math.max(0, ms - TIMING_SLACK_MS) / 1000), firstRefusedIndex(l, (ms + TIMING_SLACK_MS) / 1000)];
}

function judgePast(l: RateLimit, f: PhaseFacts, extra: number): Omit<PhaseVerdict, 'limit' | 'phase' | 'facts'> {
  const n = l.burst;
  const tally = `${f.refused} of ${f.sent} refused`;
  if (f.firstRefusedIndex === 0) return { ok: false, exact: false, line: `no 429 in ${f.sent} requests, ${f.sent - n} past the limit of ${describeLimit(l)} — the limit is not enforced` };
  if (f.refused < extra) return { ok: false, exact: false, line: `only ${f.refused} 429s in ${f.sent} requests where the phase waits for ${extra} (${describeLimit(l)}); first at request ${f.firstRefusedIndex}` };
  const [lo, hi] = modelRange(l, f.firstRefusedMs);
  // Every request from the first 429 to the last must be refused, bar tokens refilled meanwhile.
  const [passLo, passHi] = modelRange(l, f.lastSentMs).map((k) => Math.min(f.sent, k - 1));
  const passed = f.sent - f.refused - f.errors;
  const countOk = passed >= (passLo ?? 0) && passed <= (passHi ?? 0) && f.errors === 0;
  const firstOk = f.firstRefusedIndex >= lo && f.firstRefusedIndex <= hi;
  const exact = f.firstRefusedIndex === n + 1;
  const refilled = f.firstRefusedIndex - (n + 1);
  const where = exact
    ? `429 from request ${n + 1} exactly`
    : `429 from request ${f.firstRefusedIndex} = ${n} + 1 + ${refilled} refilled in ${(f.firstRefusedMs / 1000).toFixed(2)} s`;
  if (!firstOk) {
    const expected = lo === hi ? `${lo}` : `${lo}..${hi}`;
    return { ok: false, exact, line: `${where}, but the token bucket puts it at request ${expected} (${describeLimit(l)}); ${tally}` };
  }
  if (!countOk) {
    return { ok: false, exact, line: `${where} (${describeLimit(l)}), but ${passed} of ${f.sent} passed where ${passLo}..${passHi} may (${f.errors} errors); ${tally}` };
  }
  return { ok: true, exact, line: `${where} (${describeLimit(l)}); ${tally}` };
}

function judgeNoneRefused(l: RateLimit, f: PhaseFacts, expectedSent: number): Omit<PhaseVerdict, 'limit' | 'phase' | 'facts'> {
  if (f.sent !== expectedSent) return { ok: false, exact: false, line: `sent ${f.sent} of the ${expectedSent} planned (the scenario was cut short)` };
  if (f.refused > 0) return { ok: false, exact: false, line: `429 at request ${f.firstRefusedIndex} of ${f.sent}, within the limit of ${describeLimit(l)}; ${f.refused} refused` };
  if (f.errors > 0) return { ok: false, exact: false, line: `${f.errors} of ${f.sent} failed with neither an answer nor 429` };
  return { ok: true, exact: false, line: `${f.sent} requests, none refused (${describeLimit(l)})` };
}

export function judgeRateLimits(summary: Summary, probe: Pick<RateLimitProbe, 'limits' | 'extra'>): LimitsVerdict {
  const phases: PhaseVerdict[] = [];
  for (const limit of LIMIT_NAMES) {
    const l = probe.limits[limit];
    for (const phase of PHASES) {
      const facts = phaseFacts(summary, limit, phase);
      const planned = phaseCount(phase, l.burst, probe.extra);
      if (!facts) {
        phases.push({ limit, phase, ok: false, exact: false, facts: { sent: 0, refused: 0, errors: 0, firstRefusedIndex: 0, firstRefusedMs: -1, lastSentMs: 0 }, line: 'no requests recorded (the phase never ran)' });
        continue;
      }
      const v = phase === 'past' ? judgePast(l, facts, probe.extra) : judgeNoneRefused(l, facts, planned);
      phases.push({ limit, phase, facts, ...v });
    }
  }
  return { ok: phases.every((p) => p.ok), phases };
}

export function formatVerdict(v: LimitsVerdict): string {
  const lines = v.phases.map((p) => `${p.ok ? 'ok      ' : 'MISMATCH'} ${p.limit.padEnd(9)} ${p.phase.padEnd(9)} ${p.line}`);
  lines.push(v.ok ? 'rate limits: as specified' : 'rate limits: MISMATCH');
  return lines.join('\n');
}
