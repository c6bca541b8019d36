import { describe, expect, it } from 'vitest';
import { classify, compareRuns, DEFAULT_NOISE_FLOORS, type RunRecord } from '../../../reports/compare.ts';
import { regressionsOf } from '../../../reports/compare-regressions.ts';
import type { RunSeries, SeriesPoint, SteadyMetrics } from '../../../reports/series.ts';
import { applyRegressions, buildVerdict, type Verdict } from '../../../reports/verdict.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { rowById, THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';

const GATES: RowId[] = ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct', 'cpu_pct'];
const ROWS = effectiveRows(THRESHOLD_TABLE, { gates: GATES, plannedConnections: 500 });
const START = 1_800_000_000_000;
const END = START + 90_000;

interface RunShape {
  runId: string;
  observed: Partial<Record<RowId, number>>;
  steady?: Partial<Record<RowId, SteadyMetrics['metrics']>>;
  points?: Partial<Record<RowId, SeriesPoint[]>>;
  profile?: string;
}

function run(shape: RunShape): RunRecord {
  const verdict = buildVerdict({
    rows: ROWS,
    gates: GATES,
    observations: new Map(Object.entries(shape.observed).map(([id, v]) => [id as RowId, { observed: v }])),
    facts: { aborted: false },
    meta: { profile: shape.profile ?? 'smoke', target: 'local', runId: shape.runId, startedAt: new Date(START).toISOString(), endedAt: new Date(END).toISOString() },
  });
  const series: RunSeries = {
    runId: shape.runId,
    window: { startMs: START, endMs: END },
    bucketSec: 5,
    rows: Object.entries(shape.points ?? {}).map(([rowId, points]) => ({ rowId: rowId as RowId, points: points! })),
    load: [],
    ...(shape.steady
      ? {
          steady: Object.entries(shape.steady).map(([rowId, metrics]) => ({
            rowId: rowId as RowId,
            fromMs: START + rowById(rowId as RowId).warmupSec * 1000,
            toMs: END,
            metrics: metrics!,
            samples: 1000,
          })),
        }
      : {}),
  };
  return { verdict, series };
}

const healthy = { ws_connections: 500, ws_connect_success_pct: 100, api_p95_ms: 12, api_error_rate_pct: 0, cpu_pct: 40 };

/** Buckets every 5 s over the run with `ramp` during the first `rampSec` and `level` after. */
function buckets(ramp: number, level: number, rampSec = 20): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let t = START; t < END; t += 5000) out.push([t, t - START < rampSec * 1000 ? ramp : level]);
  return out;
}

describe('compareRuns', () => {
  const base = run({
    runId: 'base-1',
    observed: healthy,
    steady: { api_p95_ms: { p50: 8, p95: 12, p99: 20, mean: 9, max: 40 }, api_error_rate_pct: { rate: 0 }, ws_connect_success_pct: { rate: 100 } },
    points: { cpu_pct: buckets(90, 40) },
  });
  const slowed = run({
    runId: 'new-2',
    observed: { ...healthy, api_p95_ms: 165, cpu_pct: 30 },
    steady: { api_p95_ms: { p50: 152, p95: 165, p99: 180, mean: 153, max: 190 }, api_error_rate_pct: { rate: 0.02 }, ws_connect_success_pct: { rate: 99 } },
    points: { cpu_pct: buckets(99, 30) },
  });
  const c = compareRuns(base, slowed);

  it('labels both runs and lists the slowed API p95 under worsened, worsened before improved', () => {
    expect(c.base.runId).toBe('base-1');
    expect(c.next.runId).toBe('new-2');
    const p95 = c.changed.find((d) => d.rowId === 'api_p95_ms' && d.metric === 'p95')!;
    expect(p95).toMatchObject({ change: 'worsened', primary: true, source: 'steady', base: 12, next: 165, delta: 153, deltaPct: 1275 });
    const firstImproved = c.changed.findIndex((d) => d.change === 'improved');
    const lastWorsened = c.changed.map((d) => d.change).lastIndexOf('worsened');
    expect(firstImproved).toBeGreaterThan(lastWorsened);
    // Largest relative change first within a group.
    const worsenedPcts = c.changed.filter((d) => d.change === 'worsened' && d.deltaPct !== null).map((d) => Math.abs(d.deltaPct!));
    expect(worsenedPcts).toEqual([...worsenedPcts].sort((a, b) => b - a));
  });

  it('uses the steady window only: a worse ramp with the same steady level is no change', () => {
    const cpu = c.changed.filter((d) => d.rowId === 'cpu_pct');
    // Ramp buckets went 90 → 99 (worse) but the steady level 40 → 30 improved: only the latter counts.
    expect(cpu.map((d) => [d.metric, d.change, d.source])).toEqual([
      ['median bucket', 'improved', 'buckets'],
      ['worst bucket', 'improved', 'buckets'],
    ]);
    expect(cpu[0]).toMatchObject({ base: 40, next: 30 });
  });

  it('hides changes under the noise floor, judges rates on percentage points', () => {
    const errors = [...c.changed, ...c.unchanged].find((d) => d.rowId === 'api_error_rate_pct')!;
    expect(errors.change).toBe('unchanged'); // 0 → 0.02 pp is under 0.1 pp
    const connect = c.changed.find((d) => d.rowId === 'ws_connect_success_pct')!;
    expect(connect).toMatchObject({ change: 'worsened', delta: -1 }); // higher is better: 100 → 99 % is worse
    expect(classify('lower', 100, 104, DEFAULT_NOISE_FLOORS.ms)).toBe('unchanged'); // 4 ms < 5 ms
    expect(classify('lower', 100, 106, DEFAULT_NOISE_FLOORS.ms)).toBe('worsened');
    expect(classify('lower', 1000, 1040, DEFAULT_NOISE_FLOORS.ms)).toBe('unchanged'); // 4 % < 5 %
    expect(compareRuns(base, slowed, { noiseFloors: { ms: { abs: 1000, pct: 0 } } }).changed.some((d) => d.unit === 'ms')).toBe(false);
  });

  it('falls back to the whole-run value, labelled, when neither run has a series for a row', () => {
    const ws = [...c.changed, ...c.unchanged].find((d) => d.rowId === 'ws_connections')!;
    expect(ws).toMatchObject({ source: 'run', metric: 'whole run', change: 'unchanged' });
    expect(c.notes.some((n) => n.startsWith('WebSocket connections: no series in both runs'))).toBe(true);
  });

  it('notes a row one run has no figure for, and runs that are not like for like', () => {
    const nothing = run({ runId: 'empty', observed: {}, profile: 'nightly' });
    const x = compareRuns(nothing, slowed);
    expect(x.notes).toContain('profiles differ (nightly vs smoke): figures are not like for like');
    expect(x.notes.some((n) => n.includes('no figures in base run empty'))).toBe(true);
    expect(x.changed).toEqual([]);
  });
});

describe('regressions', () => {
  const gated = new Set<string>(GATES);
  const base = run({ runId: 'base-1', observed: healthy, steady: { api_p95_ms: { p50: 8, p95: 100, p99: 20, mean: 9 } } });
  const at = (p95: number) => run({ runId: 'new', observed: healthy, steady: { api_p95_ms: { p50: 8, p95, p99: 20, mean: 9 } } });

  it('needs both the absolute and the relative tolerance exceeded, on the primary metric', () => {
    expect(regressionsOf(compareRuns(base, at(119)), gated)).toEqual([]); // +19 ms
    expect(regressionsOf(compareRuns(base, at(121)), gated).map((r) => r.rowId)).toEqual(['api_p95_ms']); // +21 ms, +21 %
    const smallBase = run({ runId: 'b', observed: healthy, steady: { api_p95_ms: { p95: 3 } } });
    const smallNew = run({ runId: 'n', observed: healthy, steady: { api_p95_ms: { p95: 15 } } });
    expect(regressionsOf(compareRuns(smallBase, smallNew), gated)).toEqual([]); // +400 % but only +12 ms
    expect(regressionsOf(compareRuns(base, at(200)), new Set())).toEqual([]); // not gated
    expect(regressionsOf(compareRuns(base, at(200)), gated, { ms: { abs: 200, pct: 0 } })).toEqual([]);
  });

  it('turns a GO into WARN with reason regression, and keeps worse verdicts', () => {
    const next = at(200);
    expect(next.verdict.verdict).toBe('GO');
    const regressions = regressionsOf(compareRuns(base, next), gated);
    const warned = applyRegressions(next.verdict, regressions, { runId: 'base-1' });
    expect(warned.verdict).toBe('WARN');
    expect(warned.reasons[0]).toMatch(/^regression: API response time \(p95\) p95 100 ms → 200 ms \(\+100 ms, \+100 %\) vs baseline run base-1/);
    expect(warned.regressions).toHaveLength(1);
    expect(warned.baseline).toEqual({ runId: 'base-1' });
    expect(next.verdict.verdict).toBe('GO'); // not mutated

    const clean = applyRegressions(base.verdict, [], { runId: 'x' });
    expect(clean).toMatchObject({ verdict: 'GO', regressions: [] });
    const noGo: Verdict = { ...next.verdict, verdict: 'NO_GO', reasons: ['x crosses'] };
    const stays = applyRegressions(noGo, regressions, { runId: 'base-1' });
    expect(stays.verdict).toBe('NO_GO');
    expect(stays.reasons[0]).toBe('x crosses');
    expect(stays.reasons[1]).toMatch(/^regression:/);
  });
});
