import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import { crossesCritical, meetsTarget } from '../../../thresholds/boundaries.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { API_DROPPED_ITERATIONS, k6Number, k6Thresholds, type K6ThresholdCondition } from '../../../thresholds/k6.ts';
import { rowById, THRESHOLD_TABLE, type RowId, type ThresholdRow } from '../../../thresholds/table.ts';

const smoke = { gates: PROFILES.smoke.gates, plannedConnections: 500 };

/** Evaluates a k6 threshold expression (`stat op number`) the way k6 does, for one stat value. */
function holds(expression: string, value: number): boolean {
  const m = /^([a-z()0-9]+)(<=|>=|<|>)(-?[0-9.]+)$/.exec(expression);
  if (!m) throw new Error(`not a k6 expression: ${expression}`);
  const bound = Number(m[3]);
  switch (m[2]) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    default:
      return value >= bound;
  }
}
const expr = (c: K6ThresholdCondition) => (typeof c === 'string' ? c : c.threshold);

describe('k6Thresholds', () => {
  it('puts target and critical of one metric in one array, for gated k6 rows only', () => {
    const t = k6Thresholds(THRESHOLD_TABLE, smoke);
    expect(Object.keys(t).sort()).toEqual(
      [
        'gomeet_ws_sessions_held',
        'gomeet_ws_connect_success',
        'http_req_duration{scenario:api}',
        'http_req_failed{scenario:api}',
        API_DROPPED_ITERATIONS,
      ].sort(),
    );
    expect(t['http_req_duration{scenario:api}']).toEqual([
      'p(95)<200',
      { threshold: 'p(95)<=500', abortOnFail: true, delayAbortEval: '20s' },
    ]);
  });

  it('keeps every condition when two gated rows name the same metric', () => {
    // Two rows on one metric: an object literal would keep only the last key's conditions.
    const twin: ThresholdRow = { ...rowById('api_p95_ms'), id: 'db_query_p95_ms', source: { kind: 'k6', metric: 'http_req_duration{scenario:api}', stat: 'max' }, target: 900, critical: 1500 };
    const t = k6Thresholds([rowById('api_p95_ms'), twin], { gates: ['api_p95_ms', 'db_query_p95_ms'], plannedConnections: 1 });
    expect(t['http_req_duration{scenario:api}']!.map(expr)).toEqual(['p(95)<200', 'p(95)<=500', 'max<900', 'max<=1500']);
  });

  it('converts pct rows to k6 rates and keeps decimals exact', () => {
    const t = k6Thresholds(THRESHOLD_TABLE, smoke);
    expect(t['http_req_failed{scenario:api}']!.map(expr)).toEqual(['rate<0.01', 'rate<=0.05']);
    // 99.9 / 100 is 0.9990000000000001 in binary floating point.
    expect(t['gomeet_ws_connect_success']!.map(expr)).toEqual(['rate>=0.999', 'rate>=0.99']);
  });

  it('scales connection rows to the planned connections and never aborts on them', () => {
    const t = k6Thresholds(THRESHOLD_TABLE, smoke);
    expect(t['gomeet_ws_sessions_held']).toEqual([
      'count>=500',
      { threshold: 'count>=450', abortOnFail: false, delayAbortEval: '0s' },
    ]);
  });

  it('takes abort settings from the row', () => {
    const t = k6Thresholds(THRESHOLD_TABLE, smoke);
    for (const id of smoke.gates) {
      const row = rowById(id);
      if (row.source.kind !== 'k6') continue;
      const critical = t[row.source.metric]!.find((c) => typeof c !== 'string');
      expect(critical).toMatchObject({ abortOnFail: row.abortOnCritical, delayAbortEval: `${row.warmupSec}s` });
    }
  });

  it('ignores ungated rows and rows measured outside k6', () => {
    const t = k6Thresholds(THRESHOLD_TABLE, { gates: ['cpu_pct', 'video_latency_ms'], plannedConnections: 10 });
    expect(Object.keys(t)).toEqual([API_DROPPED_ITERATIONS]);
  });

  it('always names the api dropped-iterations submetric with a condition that cannot fail', () => {
    const t = k6Thresholds(THRESHOLD_TABLE, smoke);
    expect(t[API_DROPPED_ITERATIONS]).toEqual(['count>=0']);
  });

  it('agrees with the verdict boundaries for every value (k6 and Node judge alike)', () => {
    const gated: RowId[] = ['api_p95_ms', 'ws_connections', 'ws_connect_success_pct', 'api_error_rate_pct'];
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: gated, plannedConnections: 500 });
    const t = k6Thresholds(THRESHOLD_TABLE, { gates: gated, plannedConnections: 500 });
    for (const row of rows.filter((r) => gated.includes(r.id))) {
      if (row.source.kind !== 'k6') continue;
      const [target, critical] = t[row.source.metric]!.map(expr);
      const factor = row.source.factor ?? 1;
      const boundaries = [row.target, row.critical];
      fc.assert(
        fc.property(
          fc.oneof(fc.double({ min: 0, max: row.target * 3, noNaN: true }), fc.constantFrom(...boundaries)),
          (observed) => {
            // observed is in row units; k6 sees it divided by the factor.
            const inK6 = observed / factor;
            expect(holds(target!, inK6)).toBe(meetsTarget(row, observed));
            expect(holds(critical!, inK6)).toBe(!crossesCritical(row, observed));
          },
        ),
      );
    }
  });
});

describe('effectiveRows', () => {
  it('scales ws_connections to the plan: target = planned, critical = 90 % rounded up', () => {
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: ['ws_connections'], plannedConnections: 333 });
    const ws = rows.find((r) => r.id === 'ws_connections')!;
    expect([ws.target, ws.critical]).toEqual([333, 300]); // 299.7 → 300: held 299 fails either way
    expect(ws.scale).toBeUndefined();
  });

  it('keeps the seed values at the seed scale and leaves other rows alone', () => {
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: [], plannedConnections: 50_000 });
    expect(rows.find((r) => r.id === 'ws_connections')).toMatchObject({ target: 50_000, critical: 45_000 });
    expect(rows.filter((r) => r.id !== 'ws_connections')).toEqual(THRESHOLD_TABLE.filter((r) => r.id !== 'ws_connections'));
  });

  it('does not scale twice', () => {
    const plan = { gates: ['ws_connections'] as RowId[], plannedConnections: 500 };
    expect(effectiveRows(effectiveRows(THRESHOLD_TABLE, plan), plan)).toEqual(effectiveRows(THRESHOLD_TABLE, plan));
  });

  it('refuses a gated connection row with nothing planned, and nonsense plans', () => {
    expect(() => effectiveRows(THRESHOLD_TABLE, { gates: ['ws_connections'], plannedConnections: 0 })).toThrow(/0 connections/);
    expect(() => effectiveRows(THRESHOLD_TABLE, { gates: [], plannedConnections: Number.NaN })).toThrow(/plannedConnections/);
    expect(() => effectiveRows(THRESHOLD_TABLE, { gates: [], plannedConnections: 0 })).not.toThrow();
  });
});

describe('k6Number', () => {
  it('never writes exponent notation, which k6 cannot parse', () => {
    expect(k6Number(0.0000001)).toBe('0.0000001');
    expect(k6Number(0.1 + 0.2)).toBe('0.3');
    expect(k6Number(45000)).toBe('45000');
    expect(() => k6Number(Number.POSITIVE_INFINITY)).toThrow();
  });
});
