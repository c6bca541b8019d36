import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import { generatorSaturation, observeFromK6Summary, plannedApiIterations } from '../../../reports/observe-k6.ts';
import { buildVerdict } from '../../../reports/verdict.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { rowById, THRESHOLD_TABLE, type RowId, type ThresholdRow } from '../../../thresholds/table.ts';

/** Recorded by test/fixtures/k6/record.ts: 5 planned sessions, 20 req/s for 5 s. */
function fixture(name: 'healthy' | 'slow' | 'failing'): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/k6/summary-${name}.json`, import.meta.url), 'utf8'));
}
// The k6 rows smoke gates (its media rows are observed from the rooms, scripts/run/media).
const GATES = PROFILES.smoke.gates.filter((id) => rowById(id).source.kind === 'k6');
const ROWS = effectiveRows(THRESHOLD_TABLE, { gates: GATES, plannedConnections: 5 });
/** The fixture script's api load: constant 20 req/s for 5 s, 10 VUs. */
const FIXTURE_PLAN = { profile: { api: { ratePerSec: 20, rampSec: 0, steadySec: 5, maxVUs: 10 } } };

const observed = (summary: unknown, id: RowId, rows: readonly ThresholdRow[] = ROWS, gates: readonly RowId[] = GATES) =>
  observeFromK6Summary(summary, rows, gates).get(id);

describe('observeFromK6Summary on recorded k6 runs', () => {
  it('healthy: reads every gated k6 row in the row unit', () => {
    const s = fixture('healthy');
    const obs = observeFromK6Summary(s, ROWS, GATES);
    expect([...obs.keys()].sort()).toEqual([...GATES].sort());
    expect(obs.get('api_p95_ms')!.observed).toBe(s.metrics['http_req_duration{scenario:api}'].values['p(95)']);
    expect(obs.get('api_p95_ms')!.observed).toBeGreaterThan(0);
    expect(obs.get('api_error_rate_pct')!.observed).toBe(0);
    expect(obs.get('ws_connect_success_pct')!.observed).toBe(100); // k6 rate 1 → 100 %
    expect(obs.get('ws_connections')!.observed).toBe(5);
    expect(obs.get('api_p95_ms')!.note).toMatch(/^\d+ samples$/);
  });

  it('slow: the p95 is the recorded ~700 ms', () => {
    const p95 = observed(fixture('slow'), 'api_p95_ms')!.observed!;
    expect(p95).toBeGreaterThan(500);
    expect(p95).toBeLessThan(1000);
  });

  it('failing: refused requests are an error rate of 100 %, not a 0 ms latency', () => {
    const s = fixture('failing');
    expect(s.metrics['http_req_duration{scenario:api}'].values['p(95)']).toBe(0); // what k6 wrote
    const p95 = observed(s, 'api_p95_ms')!;
    expect(p95.observed).toBeNull();
    expect(p95.note).toMatch(/0 ms: no request got a response/);
    expect(observed(s, 'api_error_rate_pct')!.observed).toBe(100);
    expect(observed(s, 'ws_connect_success_pct')!.observed).toBe(0);
  });

  it('failing: a never-incremented connection counter is 0 held (it can only fail)', () => {
    expect(observed(fixture('failing'), 'ws_connections')).toEqual({ observed: 0, note: 'gomeet_ws_sessions_held was never incremented' });
  });

  it('an empty Trend is no data, although k6 passed its threshold', () => {
    const s = fixture('healthy');
    expect(s.metrics.gomeet_fixture_never_sampled_ms.thresholds['p(95)<100'].ok).toBe(true);
    const row: ThresholdRow = { ...rowById('api_p95_ms'), source: { kind: 'k6', metric: 'gomeet_fixture_never_sampled_ms', stat: 'p(95)' } };
    expect(observed(s, 'api_p95_ms', [row], ['api_p95_ms'])).toEqual({ observed: null, note: 'gomeet_fixture_never_sampled_ms has no samples' });
    // Without `count` in summaryTrendStats, all-zero values are still recognised as empty.
    delete s.metrics.gomeet_fixture_never_sampled_ms.values.count;
    expect(observed(s, 'api_p95_ms', [row], ['api_p95_ms'])!.observed).toBeNull();
  });

  it('a missing submetric is no data with a note saying why', () => {
    const s = fixture('healthy');
    delete s.metrics['http_req_duration{scenario:api}'];
    const obs = observed(s, 'api_p95_ms')!;
    expect(obs.observed).toBeNull();
    expect(obs.note).toMatch(/not in the k6 summary/);
  });

  it('a missing statistic is no data', () => {
    const s = fixture('healthy');
    delete s.metrics['http_req_duration{scenario:api}'].values['p(95)'];
    expect(observed(s, 'api_p95_ms')!.note).toMatch(/no 'p\(95\)'/);
  });

  it('a Rate without samples is no data', () => {
    const s = fixture('healthy');
    Object.assign(s.metrics.gomeet_ws_connect_success.values, { passes: 0, fails: 0, rate: 0 });
    expect(observed(s, 'ws_connect_success_pct')).toEqual({ observed: null, note: 'gomeet_ws_connect_success has no samples' });
  });

  it('an unreadable summary makes every gated k6 row no data instead of throwing', () => {
    for (const bad of [null, 'oops', { metrics: { x: { type: 'nonsense', values: {} } } }]) {
      const obs = observeFromK6Summary(bad, ROWS, GATES);
      expect([...obs.values()].every((o) => o.observed === null && /unreadable/.test(o.note ?? ''))).toBe(true);
      expect(obs.size).toBe(GATES.length);
    }
  });

  it('observes only gated rows whose source is k6', () => {
    const obs = observeFromK6Summary(fixture('healthy'), ROWS, ['api_p95_ms', 'cpu_pct']);
    expect([...obs.keys()]).toEqual(['api_p95_ms']);
  });

  it('feeds the verdict: healthy GO, slow NO_GO, failing NO_GO', () => {
    const verdictOf = (name: 'healthy' | 'slow' | 'failing') => {
      const s = fixture(name);
      return buildVerdict({
        rows: ROWS,
        gates: GATES,
        observations: observeFromK6Summary(s, ROWS, GATES),
        facts: { aborted: false, generatorSaturated: generatorSaturation(s, FIXTURE_PLAN) },
        meta: { profile: 'smoke', target: 'fixture', runId: name, startedAt: '', endedAt: '' },
      }).verdict;
    };
    expect([verdictOf('healthy'), verdictOf('slow'), verdictOf('failing')]).toEqual(['GO', 'NO_GO', 'NO_GO']);
  });
});

describe('generatorSaturation', () => {
  it('plans a linear ramp plus the steady state', () => {
    expect(plannedApiIterations({ profile: PROFILES.smoke })).toBe(20 * (10 / 2 + 50));
    expect(plannedApiIterations({ profile: PROFILES.smoke, share: 0.5 })).toBe(550);
  });

  it('healthy and failing runs held the rate', () => {
    expect(generatorSaturation(fixture('healthy'), FIXTURE_PLAN)).toBeUndefined();
    expect(generatorSaturation(fixture('failing'), FIXTURE_PLAN)).toBeUndefined();
  });

  it('slow: too few VUs for the latency dropped iterations → saturated', () => {
    const s = fixture('slow');
    const dropped = s.metrics['dropped_iterations{scenario:api}'].values.count;
    expect(dropped).toBeGreaterThan(1);
    expect(generatorSaturation(s, FIXTURE_PLAN)!.reason).toMatch(new RegExp(`^api scenario dropped ${dropped} of 100 planned iterations`));
  });

  it('tolerates drops up to 1 % of the plan', () => {
    const s = fixture('slow');
    const dropped = s.metrics['dropped_iterations{scenario:api}'].values.count;
    const steadySec = (dropped * 100) / 20; // exactly 1 % of the plan
    expect(generatorSaturation(s, { profile: { api: { ...FIXTURE_PLAN.profile.api, steadySec } } })).toBeUndefined();
    expect(generatorSaturation(s, { profile: { api: { ...FIXTURE_PLAN.profile.api, steadySec: steadySec - 1 } } })).toBeDefined();
  });

  it('falls back on all scenarios when the api submetric is missing', () => {
    const s = fixture('slow');
    delete s.metrics['dropped_iterations{scenario:api}'];
    expect(generatorSaturation(s, FIXTURE_PLAN)!.reason).toMatch(/^k6 \(all scenarios\) dropped/);
  });
});
