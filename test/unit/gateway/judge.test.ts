/**
 * The rate-limits judge on k6 summaries shaped as the scenario writes them: exact, refill-shifted,
 * early and missing 429s, at the seed's numbers.
 */
import { describe, expect, it } from 'vitest';
import { LIMIT_NAMES, PHASES, phaseCount, RATE_LIMIT_METRICS as M, submetricKey, type Phase } from '../../../lib/gomeet/rate-limit-probe.ts';
import { formatVerdict, judgeRateLimits, type PhaseFacts } from '../../../scripts/limits/judge.ts';
import { SEED_GATEWAY_LIMITS, type LimitName } from '../../../stack/gateway/rate-limits.ts';

const PROBE = { limits: SEED_GATEWAY_LIMITS, extra: 50 };

/** A summary where every phase went as specified, sent in `ms` per request; `patch` overrides facts. */
function summary(patch: Partial<Record<`${LimitName}/${Phase}`, Partial<PhaseFacts>>> = {}) {
  const metrics: Record<string, { values: Record<string, number> }> = {};
  for (const limit of LIMIT_NAMES) {
    const n = SEED_GATEWAY_LIMITS[limit].burst;
    for (const phase of PHASES) {
      // `past` stops at its 50th 429: limit + 50 requests when nothing refilled.
      const sent = phase === 'past' ? n + PROBE.extra : phaseCount(phase, n, PROBE.extra);
      const past = phase === 'past';
      const f: PhaseFacts = { sent, refused: past ? PROBE.extra : 0, errors: 0, firstRefusedIndex: past ? n + 1 : 0, firstRefusedMs: past ? 10 : -1, lastSentMs: past ? 12 : 10, ...patch[`${limit}/${phase}`] };
      metrics[submetricKey(M.requests, limit, phase)] = { values: { count: f.sent } };
      metrics[submetricKey(M.refused, limit, phase)] = { values: { count: f.refused } };
      metrics[submetricKey(M.errors, limit, phase)] = { values: { count: f.errors } };
      metrics[submetricKey(M.firstRefusedIndex, limit, phase)] = { values: { value: f.firstRefusedIndex } };
      metrics[submetricKey(M.firstRefusedMs, limit, phase)] = { values: { value: f.firstRefusedMs } };
      metrics[submetricKey(M.lastSentMs, limit, phase)] = { values: { value: f.lastSentMs } };
    }
  }
  return { metrics };
}

const line = (v: ReturnType<typeof judgeRateLimits>, limit: LimitName, phase: Phase) => v.phases.find((p) => p.limit === limit && p.phase === phase)!;

describe('judgeRateLimits', () => {
  it('passes 429s from request N+1 exactly and says so', () => {
    const v = judgeRateLimits(summary(), PROBE);
    expect(v.ok).toBe(true);
    expect(line(v, 'api', 'past').line).toContain('429 from request 1001 exactly');
    expect(line(v, 'websocket', 'past').line).toContain('429 from request 2001 exactly');
    expect(line(v, 'api', 'at').line).toBe('1000 requests, none refused (1000 per 60 s (burst 1000))');
    expect(formatVerdict(v)).toMatch(/rate limits: as specified$/);
  });

  it('accepts a first 429 later by exactly the tokens refilled while the burst was sent', () => {
    // 0.98 s at 16.67 tokens/s: the model allows request 1017 (± the timing slack).
    const v = judgeRateLimits(summary({ 'api/past': { firstRefusedIndex: 1017, firstRefusedMs: 980, lastSentMs: 990, sent: 1066, refused: 50 } }), PROBE);
    expect(line(v, 'api', 'past').ok).toBe(true);
    expect(line(v, 'api', 'past').line).toContain('429 from request 1017 = 1000 + 1 + 16 refilled in 0.98 s');
  });

  it('fails a 429 before the limit, one later than refill explains, and none at all', () => {
    expect(line(judgeRateLimits(summary({ 'api/at': { refused: 1, firstRefusedIndex: 1000 } }), PROBE), 'api', 'at').line).toBe(
      '429 at request 1000 of 1000, within the limit of 1000 per 60 s (burst 1000); 1 refused',
    );
    const late = line(judgeRateLimits(summary({ 'api/past': { firstRefusedIndex: 1040, sent: 1089, refused: 50 } }), PROBE), 'api', 'past');
    expect(late.ok).toBe(false);
    expect(late.line).toContain('the token bucket puts it at request 1001');
    const early = line(judgeRateLimits(summary({ 'websocket/past': { firstRefusedIndex: 1990, refused: 61 } }), PROBE), 'websocket', 'past');
    expect(early.ok).toBe(false);
    const none = line(judgeRateLimits(summary({ 'api/past': { sent: 2050, firstRefusedIndex: 0, refused: 0, firstRefusedMs: -1 } }), PROBE), 'api', 'past');
    expect(none.line).toBe('no 429 in 2050 requests, 1050 past the limit of 1000 per 60 s (burst 1000) — the limit is not enforced');
    const few = line(judgeRateLimits(summary({ 'api/past': { sent: 2050, refused: 3 } }), PROBE), 'api', 'past');
    expect(few.line).toBe('only 3 429s in 2050 requests where the phase waits for 50 (1000 per 60 s (burst 1000)); first at request 1001');
  });

  it('fails a past phase where requests after the first 429 got through without refill to explain them', () => {
    const v = judgeRateLimits(summary({ 'api/past': { sent: 1070, refused: 50 } }), PROBE);
    expect(line(v, 'api', 'past').ok).toBe(false);
    expect(line(v, 'api', 'past').line).toContain('1020 of 1070 passed where 1000..1001 may');
  });

  it('fails a bucket that has not recovered after the period, errors, and phases that never ran', () => {
    expect(judgeRateLimits(summary({ 'websocket/recovered': { refused: 3, firstRefusedIndex: 1998 } }), PROBE).ok).toBe(false);
    expect(line(judgeRateLimits(summary({ 'api/below': { errors: 2 } }), PROBE), 'api', 'below').line).toBe('2 of 999 failed with neither an answer nor 429');
    const empty = judgeRateLimits({}, PROBE);
    expect(empty.ok).toBe(false);
    expect(empty.phases.every((p) => p.line === 'no requests recorded (the phase never ran)')).toBe(true);
  });
});
