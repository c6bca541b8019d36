import { describe, expect, it } from 'vitest';
import { FAULTS, MATRIX_GATES, checkFaultTable, type Fault } from '../../../bench/verdict-matrix/faults.ts';
import { refuses } from '../../../bench/verdict-matrix/http-5xx-proxy.ts';
import { crosses, detectionTime, matchVerdict, summarize } from '../../../bench/verdict-matrix/match.ts';
import { matrixProfile } from '../../../bench/verdict-matrix/profile.ts';
import { summaryLine } from '../../../bench/verdict-matrix/results.ts';
import type { RowStatus, Verdict } from '../../../reports/verdict.ts';
import { THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';

const fault = (id: string): Fault => FAULTS.find((f) => f.id === id)!;

/** A verdict whose gated rows pass except the given ones. */
function verdictWith(name: Verdict['verdict'], moved: Partial<Record<RowId, [RowStatus, number | null]>> = {}, aborted = false): Pick<Verdict, 'verdict' | 'aborted' | 'rows'> {
  return {
    verdict: name,
    aborted,
    rows: THRESHOLD_TABLE.map((r) => {
      const gated = MATRIX_GATES.includes(r.id);
      const [status, observed] = moved[r.id] ?? (gated ? ['pass', 1] : ['not_measured', null]);
      return { id: r.id, title: r.title, unit: r.unit, direction: r.direction, target: r.target, critical: r.critical, observed, status, gated, origin: r.origin };
    }),
  };
}

describe('fault table', () => {
  it('is consistent: unique ids, gated rows only, verdicts its rows can produce', () => {
    expect(checkFaultTable(FAULTS)).toEqual([]);
  });
  it('covers what the issue asks for', () => {
    const ids = FAULTS.map((f) => f.id);
    for (const id of ['healthy', 'api-latency-50', 'api-latency-300', 'api-latency-600', 'api-5xx-3pct', 'api-5xx-burst', 'signaling-cap', 'signaling-reset', 'postgres-down', 'redis-down', 'api-restart']) {
      expect(ids).toContain(id);
    }
    expect(fault('healthy').expected.verdict).toBe('GO');
    expect(fault('api-latency-300').expected.rows.api_p95_ms?.status).toEqual(['warn']);
    expect(fault('api-latency-600').expected).toMatchObject({ verdict: 'NO_GO', aborted: true, rows: { api_p95_ms: { status: ['fail'] } } });
  });
  it('latency faults sit where the table says: below target, between target and critical, above critical', () => {
    const api = THRESHOLD_TABLE.find((r) => r.id === 'api_p95_ms')!;
    const ms = (id: string) => (fault(id).injection as { latencyMs: number }).latencyMs;
    expect(ms('api-latency-50')).toBeLessThan(api.target);
    expect(ms('api-latency-300')).toBeGreaterThan(api.target);
    expect(ms('api-latency-300')).toBeLessThan(api.critical);
    expect(ms('api-latency-600')).toBeGreaterThan(api.critical);
  });
  it('the signaling cap is below the critical share of the planned sessions', () => {
    const planned = matrixProfile().websocket.connections;
    const inj = fault('signaling-cap').injection as { limit: number };
    expect(inj.limit).toBeLessThan(planned * 0.9);
  });
  it('finds inconsistencies', () => {
    const bad: Fault[] = [
      { ...fault('healthy'), expected: { verdict: 'GO', rows: { api_p95_ms: { status: ['warn'] } } } },
      { ...fault('api-latency-300'), id: 'w', expected: { verdict: 'WARN', rows: { api_p95_ms: { status: ['fail'] } } } },
      { ...fault('api-latency-300'), id: 'w', expected: { verdict: 'WARN', rows: { video_latency_ms: { status: ['warn'] } } } },
      { ...fault('healthy'), id: 'n', expected: { verdict: 'NO_GO', rows: {} } },
    ];
    const problems = checkFaultTable(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'healthy: GO but rows expected to move',
        'w: WARN needs a row that must warn',
        'w: WARN with a row that may fail or be missing',
        'w: duplicate id',
        'w: row video_latency_ms is not gated by the matrix profile',
        'n: NO_GO needs a row that may fail, or an abort',
      ]),
    );
  });
  it('the matrix profile gates the client and server rows, no media row, and is short', () => {
    const p = matrixProfile();
    expect(p.gates).toEqual([...MATRIX_GATES]);
    expect(p.gates.some((g) => ['video_latency_ms', 'sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms'].includes(g))).toBe(false);
    expect(p.api.rampSec + p.api.steadySec).toBeLessThanOrEqual(60);
    expect(p.websocket.rampSec + p.websocket.holdSec).toBeLessThanOrEqual(60);
  });
});

describe('matching expected vs got', () => {
  it('healthy GO with every row passing matches', () => {
    const m = matchVerdict(fault('healthy'), verdictWith('GO'), MATRIX_GATES);
    expect(m.matched).toBe(true);
    expect(m.rows).toHaveLength(MATRIX_GATES.length);
  });
  it('a row that moved when it should not is a mismatch, even with the right verdict', () => {
    const m = matchVerdict(fault('api-latency-300'), verdictWith('WARN', { api_p95_ms: ['warn', 320], cpu_pct: ['warn', 75] }), MATRIX_GATES);
    expect(m.matched).toBe(false);
    expect(m.mismatches).toEqual(['cpu_pct warn (75), expected pass']);
  });
  it('the wrong verdict, the wrong status and a missing abort are each named', () => {
    const m = matchVerdict(fault('api-latency-600'), verdictWith('WARN', { api_p95_ms: ['warn', 450] }), MATRIX_GATES);
    expect(m.mismatches).toEqual(['verdict WARN, expected NO_GO', 'the run was not aborted, expected an abort', 'api_p95_ms warn (450), expected fail']);
  });
  it('a row allowed several statuses matches any of them', () => {
    const got = verdictWith('NO_GO', { api_p95_ms: ['fail', 1300], db_query_p95_ms: ['not_measured', null] }, true);
    expect(matchVerdict(fault('postgres-down'), got, MATRIX_GATES).matched).toBe(true);
  });
  it('a gated row with no data where a pass is expected is a mismatch', () => {
    const m = matchVerdict(fault('healthy'), verdictWith('INCONCLUSIVE', { redis_memory_pct: ['not_measured', null] }), MATRIX_GATES);
    expect(m.mismatches).toEqual(['verdict INCONCLUSIVE, expected GO', 'redis_memory_pct not_measured, expected pass']);
  });
});

describe('detection time', () => {
  const api = { id: 'api_p95_ms' as const, direction: 'lower' as const, target: 200, critical: 500 };
  it('the watcher abort wins', () => {
    expect(detectionTime({ faultAtMs: 10_000, abortSeenAtMs: 23_400, bucketSec: 5, rows: [] })).toEqual({ sec: 13.4, how: 'watcher abort' });
  });
  it('otherwise the end of the first bucket, after the fault, in which the row crossed the level it ended at', () => {
    const points: [number, number][] = [
      [0, 120],
      [5_000, 350], // before the fault ended... bucket ends at 10 s, before the fault (12 s): ignored
      [10_000, 150], // ends 15 s, not crossing
      [15_000, 330], // ends 20 s: first crossing
      [20_000, 340],
    ];
    const d = detectionTime({ faultAtMs: 12_000, bucketSec: 5, rows: [{ ...api, status: 'warn', points }] });
    expect(d).toEqual({ sec: 8, how: 'api_p95_ms series crossed its target' });
  });
  it('a row judged only at the end is detected at the load end; nothing moved → null', () => {
    const held = { id: 'ws_connections' as const, direction: 'higher' as const, target: 200, critical: 180, status: 'fail' as RowStatus, points: [] };
    expect(detectionTime({ faultAtMs: 1_000, bucketSec: 5, rows: [held], loadEndMs: 41_000 })).toEqual({ sec: 40, how: "ws_connections judged at the load's end" });
    expect(detectionTime({ faultAtMs: 1_000, bucketSec: 5, rows: [{ ...api, status: 'pass', points: [[0, 900]] }] })).toEqual({ sec: null, how: 'no row moved' });
  });
  it('crosses() follows the direction and a value on the critical has not crossed it', () => {
    expect(crosses(500, api, 'fail')).toBe(false);
    expect(crosses(501, api, 'fail')).toBe(true);
    expect(crosses(200, api, 'warn')).toBe(true);
    const ws = { direction: 'higher' as const, target: 99.9, critical: 99 };
    expect(crosses(99.5, ws, 'warn')).toBe(true);
    expect(crosses(99, ws, 'fail')).toBe(false);
  });
});

describe('results summary and the 503 rule', () => {
  it('summarizes per repeat', () => {
    const s = summarize([
      { repeat: 1, matched: true },
      { repeat: 1, matched: true },
      { repeat: 2, matched: true },
      { repeat: 2, matched: false },
    ]);
    expect(s).toEqual([
      { repeat: 1, matched: 2, total: 2 },
      { repeat: 2, matched: 1, total: 2 },
    ]);
    expect(summaryLine(s)).toBe('matched per repeat: repeat 1: 2/2, repeat 2: 1/2');
    expect(summaryLine([s[0]!, { repeat: 2, matched: 2, total: 2 }])).toBe('2/2 matched in each of 2 repeats');
  });
  it('503 share: exactly every Nth; bursts: the first burstSec of every period', () => {
    const share = { kind: 'share' as const, everyNth: 33 };
    expect(Array.from({ length: 330 }, (_, i) => refuses(share, i + 1, 0)).filter(Boolean)).toHaveLength(10);
    const burst = { kind: 'burst' as const, burstSec: 3, periodSec: 10, sinceMs: 1_000 };
    expect([1_000, 3_900, 4_100, 10_999, 11_000, 14_500].map((t) => refuses(burst, 1, t))).toEqual([true, true, false, false, true, false]);
    expect(refuses(null, 33, 0)).toBe(false);
  });
});

describe('oneFails', () => {
  it('PostgreSQL down matches when either API row fails, not when neither does', () => {
    const pg = fault('postgres-down');
    expect(matchVerdict(pg, verdictWith('NO_GO', { api_error_rate_pct: ['fail', 33], db_query_p95_ms: ['not_measured', null] }, true), MATRIX_GATES).matched).toBe(true);
    expect(matchVerdict(pg, verdictWith('NO_GO', { api_p95_ms: ['fail', 1300] }, true), MATRIX_GATES).matched).toBe(true);
    const neither = matchVerdict(pg, verdictWith('NO_GO', { api_p95_ms: ['warn', 300] }, true), MATRIX_GATES);
    expect(neither.mismatches).toEqual(['none of api_p95_ms, api_error_rate_pct failed, expected one to']);
  });
});
