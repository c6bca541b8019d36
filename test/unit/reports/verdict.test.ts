import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../scripts/exit-codes.ts';
import type { Observation } from '../../../reports/observation.ts';
import { buildVerdict, exitCodeFor, type RunFacts, type VerdictName } from '../../../reports/verdict.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';

const GATES: RowId[] = ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'];
const ROWS = effectiveRows(THRESHOLD_TABLE, { gates: GATES, plannedConnections: 500 });
const META = { profile: 'smoke', target: 'local-reference', runId: 'r1', startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:01:00.000Z' };
const NOT_ABORTED: RunFacts = { aborted: false };

/** Every smoke gate comfortably within its target. */
const HEALTHY: Record<string, number> = { ws_connections: 500, ws_connect_success_pct: 100, api_p95_ms: 40, api_error_rate_pct: 0 };
const WARN_VALUE: Record<string, number> = { ws_connections: 460, ws_connect_success_pct: 99.5, api_p95_ms: 300, api_error_rate_pct: 2 };
const FAIL_VALUE: Record<string, number> = { ws_connections: 10, ws_connect_success_pct: 50, api_p95_ms: 900, api_error_rate_pct: 30 };

function observations(values: Record<string, number | null>): Map<RowId, Observation> {
  return new Map(Object.entries(values).map(([id, observed]) => [id as RowId, { observed }]));
}

function verdictOf(values: Record<string, number | null>, facts: RunFacts = NOT_ABORTED, gates: RowId[] = GATES) {
  return buildVerdict({ rows: ROWS, gates, observations: observations(values), facts, meta: META });
}

describe('buildVerdict', () => {
  it('is GO when every gated row meets its target', () => {
    const v = verdictOf(HEALTHY);
    expect(v.verdict).toBe('GO');
    expect(v.reasons).toEqual(['all 4 gated rows meet their targets']);
  });

  it('reports every table row, gated or not, with the fields verdict.json promises', () => {
    const v = verdictOf(HEALTHY);
    expect(v.rows.map((r) => r.id)).toEqual(THRESHOLD_TABLE.map((r) => r.id));
    expect(v.rows.filter((r) => r.origin === 'seed')).toHaveLength(8);
    const cpu = v.rows.find((r) => r.id === 'cpu_pct')!;
    expect(cpu).toMatchObject({ status: 'not_measured', gated: false, observed: null, target: 70, critical: 90, unit: 'pct', direction: 'lower' });
    expect(Object.keys(v).sort()).toEqual(['aborted', 'endedAt', 'profile', 'reasons', 'rows', 'runId', 'startedAt', 'target', 'verdict']);
    expect(v.rows.find((r) => r.id === 'ws_connections')).toMatchObject({ target: 500, critical: 450, status: 'pass' });
  });

  it('is WARN when a gated row misses its target without crossing the critical', () => {
    const v = verdictOf({ ...HEALTHY, api_p95_ms: 250 });
    expect(v.verdict).toBe('WARN');
    expect(v.reasons).toEqual(['API response time (p95): 250 ms misses the target < 200 ms']);
  });

  it('is NO_GO when a gated row crosses its critical', () => {
    const v = verdictOf({ ...HEALTHY, api_p95_ms: 612.3 });
    expect(v.verdict).toBe('NO_GO');
    expect(v.reasons[0]).toBe('API response time (p95): 612.3 ms crosses the critical > 500 ms');
  });

  it('treats the exact critical value as not crossed', () => {
    expect(verdictOf({ ...HEALTHY, api_p95_ms: 500 }).verdict).toBe('WARN');
    expect(verdictOf({ ...HEALTHY, ws_connections: 450 }).verdict).toBe('WARN');
    expect(verdictOf({ ...HEALTHY, ws_connections: 449 }).verdict).toBe('NO_GO');
  });

  it('is INCONCLUSIVE, never GO, when a gated row has no data', () => {
    const v = verdictOf({ ...HEALTHY, api_p95_ms: null });
    expect(v.verdict).toBe('INCONCLUSIVE');
    const { api_p95_ms: _dropped, ...withoutRow } = HEALTHY;
    const absent = verdictOf(withoutRow);
    expect(absent.verdict).toBe('INCONCLUSIVE');
    expect(absent.rows.find((r) => r.id === 'api_p95_ms')).toMatchObject({ status: 'not_measured', note: 'no observer reported this row' });
  });

  it('treats NaN and Infinity as no data', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const v = verdictOf({ ...HEALTHY, api_p95_ms: bad });
      expect(v.verdict).toBe('INCONCLUSIVE');
      expect(v.rows.find((r) => r.id === 'api_p95_ms')).toMatchObject({ observed: null, status: 'not_measured' });
    }
  });

  it('lets a failure beat missing data, and missing data beat a warning', () => {
    expect(verdictOf({ ...HEALTHY, api_p95_ms: 900, api_error_rate_pct: null }).verdict).toBe('NO_GO');
    expect(verdictOf({ ...HEALTHY, api_p95_ms: 300, api_error_rate_pct: null }).verdict).toBe('INCONCLUSIVE');
  });

  it('lists reasons most serious first', () => {
    const v = verdictOf({ ...HEALTHY, api_p95_ms: 300, api_error_rate_pct: null, ws_connections: 10 }, { aborted: false, generatorSaturated: { reason: 'dropped 40 %' } });
    expect(v.reasons.map((r) => r.split(':')[0])).toEqual([
      'WebSocket connections',
      'API error rate',
      'load generator saturated',
      'API response time (p95)',
    ]);
  });

  it('never lets an ungated row change the verdict', () => {
    const v = verdictOf({ ...HEALTHY, cpu_pct: 99, redis_memory_pct: 99.9 });
    expect(v.verdict).toBe('GO');
    expect(v.rows.find((r) => r.id === 'cpu_pct')).toMatchObject({ observed: 99, status: 'not_measured', gated: false });
  });

  it('is INCONCLUSIVE, marked aborted, when the operator interrupts an otherwise healthy run', () => {
    const v = verdictOf(HEALTHY, { aborted: false, interrupted: true });
    expect(v.verdict).toBe('INCONCLUSIVE');
    expect(v.aborted).toBe(true);
    expect(v.reasons[0]).toMatch(/interrupted/);
  });

  it('is still NO_GO when an interrupted run had already crossed a critical', () => {
    const v = verdictOf({ ...HEALTHY, api_p95_ms: 900 }, { aborted: false, interrupted: true });
    expect(v.verdict).toBe('NO_GO');
  });

  it('is NO_GO when the run was aborted, even if every row looks fine', () => {
    const v = verdictOf(HEALTHY, { aborted: true, abortReason: 'http_req_duration{scenario:api} p(95)<=500 crossed at 34 s' });
    expect(v.verdict).toBe('NO_GO');
    expect(v.aborted).toBe(true);
    expect(v.reasons).toContain('run aborted: http_req_duration{scenario:api} p(95)<=500 crossed at 34 s');
  });

  it('is INCONCLUSIVE when the generator was saturated, unless something failed', () => {
    const saturated: RunFacts = { aborted: false, generatorSaturated: { reason: 'api scenario dropped 59 of 100' } };
    expect(verdictOf(HEALTHY, saturated).verdict).toBe('INCONCLUSIVE');
    expect(verdictOf({ ...HEALTHY, api_p95_ms: 300 }, saturated).verdict).toBe('INCONCLUSIVE');
    expect(verdictOf({ ...HEALTHY, api_p95_ms: 900 }, saturated).verdict).toBe('NO_GO');
  });

  it('is INCONCLUSIVE when the profile gates nothing', () => {
    const v = verdictOf(HEALTHY, NOT_ABORTED, []);
    expect(v.verdict).toBe('INCONCLUSIVE');
    expect(v.reasons).toEqual(['no row is gated by this profile']);
  });

  it('keeps where and note from the observer', () => {
    const v = buildVerdict({
      rows: ROWS,
      gates: GATES,
      observations: new Map([...observations(HEALTHY), ['api_p95_ms', { observed: 40, note: '1,200 samples', where: 'meeting-service' }]]),
      facts: NOT_ABORTED,
      meta: META,
    });
    expect(v.rows.find((r) => r.id === 'api_p95_ms')).toMatchObject({ note: '1,200 samples', where: 'meeting-service' });
  });

  it('refuses a partial table or a gate outside it', () => {
    const partial = ROWS.filter((r) => r.id !== 'cpu_pct');
    expect(() => buildVerdict({ rows: partial, gates: GATES, observations: new Map(), facts: NOT_ABORTED, meta: META })).toThrow(/cpu_pct/);
    const noApi = ROWS.filter((r) => r.id !== 'api_error_rate_pct');
    expect(() => buildVerdict({ rows: noApi, gates: GATES, observations: new Map(), facts: NOT_ABORTED, meta: META })).toThrow(/api_error_rate_pct/);
  });
});

describe('exitCodeFor', () => {
  it.each([
    ['GO', 'normal', EXIT.go],
    ['GO', 'strict', EXIT.go],
    ['WARN', 'normal', EXIT.go],
    ['WARN', 'strict', EXIT.noGo],
    ['NO_GO', 'normal', EXIT.noGo],
    ['NO_GO', 'strict', EXIT.noGo],
    ['INCONCLUSIVE', 'normal', EXIT.inconclusive],
    ['INCONCLUSIVE', 'strict', EXIT.inconclusive],
  ] as const)('%s under %s gate → %i', (verdict, gate, code) => {
    expect(exitCodeFor(verdict, gate)).toBe(code);
  });

  it('accepts the verdict object', () => {
    expect(exitCodeFor(verdictOf({ ...HEALTHY, api_p95_ms: 900 }), 'normal')).toBe(1);
  });
});

describe('verdict properties', () => {
  const RANK: Record<VerdictName, number> = { GO: 0, WARN: 1, INCONCLUSIVE: 2, NO_GO: 3 };
  const gatedRows = ROWS.filter((r) => GATES.includes(r.id));
  const value = (id: string) =>
    fc.oneof(
      fc.constant(null),
      fc.constantFrom(HEALTHY[id]!, WARN_VALUE[id]!, FAIL_VALUE[id]!),
      fc.double({ min: 0, max: FAIL_VALUE[id]! * 2 + 1, noNaN: true, noDefaultInfinity: true }),
    );
  const valuesArb = fc.record(Object.fromEntries(gatedRows.map((r) => [r.id, value(r.id)])) as Record<string, fc.Arbitrary<number | null>>);
  const factsArb = fc.record({
    aborted: fc.boolean(),
    generatorSaturated: fc.option(fc.constant({ reason: 'dropped' }), { nil: undefined }),
  });

  it('making an observed value worse never improves the verdict', () => {
    fc.assert(
      fc.property(valuesArb, factsArb, fc.constantFrom(...gatedRows), fc.double({ min: 0, max: 1000, noNaN: true }), (values, facts, row, delta) => {
        const before = values[row.id];
        fc.pre(before != null);
        const worse = row.direction === 'lower' ? before + delta : Math.max(0, before - delta);
        const a = verdictOf(values, facts).verdict;
        const b = verdictOf({ ...values, [row.id]: worse }, facts).verdict;
        expect(RANK[b]).toBeGreaterThanOrEqual(RANK[a]);
      }),
      { numRuns: 500 },
    );
  });

  it('a gated row without data never yields GO or WARN', () => {
    fc.assert(
      fc.property(valuesArb, factsArb, fc.constantFrom(...gatedRows), (values, facts, row) => {
        const v = verdictOf({ ...values, [row.id]: null }, facts).verdict;
        expect(['INCONCLUSIVE', 'NO_GO']).toContain(v);
      }),
      { numRuns: 300 },
    );
  });

  it('ungated rows never change the verdict, whatever they observe', () => {
    const ungated = ROWS.filter((r) => !GATES.includes(r.id));
    fc.assert(
      fc.property(valuesArb, factsArb, fc.array(fc.tuple(fc.constantFrom(...ungated), fc.option(fc.double(), { nil: null }))), (values, facts, extra) => {
        const withExtra = { ...values, ...Object.fromEntries(extra.map(([r, v]) => [r.id, v])) };
        expect(verdictOf(withExtra, facts).verdict).toBe(verdictOf(values, facts).verdict);
      }),
      { numRuns: 300 },
    );
  });

  it('an aborted run is always NO_GO', () => {
    fc.assert(
      fc.property(valuesArb, (values) => {
        expect(verdictOf(values, { aborted: true }).verdict).toBe('NO_GO');
      }),
    );
  });
});
