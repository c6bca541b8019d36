/**
 * Two runs side by side, the way mattermost-load-test-ng compares: both runs labelled, only the
 * steady-state window (each row after its warm-up — the ramp is excluded), delta and delta %,
 * changes under a noise floor hidden, worsened before improved. k6's own summary has no run
 * comparison (grafana/k6 #1843).
 *
 * Key metrics of a row, best source first (both runs must have the metric):
 *   steady   exact figures over the steady window from the raw samples (series.json `steady`:
 *            p50/p95/p99/mean/max for latency, rate, count) — InfluxDB rows
 *   buckets  derived from the row's series points in the steady window: the median bucket (the
 *            steady level) and the worst bucket — rows that only have series (Prometheus)
 *   run      the verdict's observed value over the whole run, only when neither run has a series
 *            for the row (labelled, since it includes the ramp)
 * The row's primary metric (the statistic the row is judged on, e.g. p95) is what regressions are
 * judged on (compare-regressions.ts).
 */
import { THRESHOLD_TABLE, type Direction, type RowId, type ThresholdRow, type Unit } from '../thresholds/table.ts';
import { roundNoise } from '../thresholds/effective.ts';
import type { KeyMetric, RunSeries } from './series.ts';
import type { Verdict, VerdictName, VerdictRow } from './verdict.ts';

/** One run as compare reads it: OUT/verdict.json and, when written, OUT/series.json. */
export interface RunRecord {
  verdict: Verdict;
  series?: RunSeries;
}

/** A change counts only if it is at least `abs` (row unit) AND at least `pct` % of the base. */
export interface NoiseFloor {
  /** Absolute change in the row's unit (ms, percentage points, count, Gbps). */
  abs: number;
  /** Relative change in % of the base value; 0 to judge on `abs` alone. */
  pct: number;
}

export type NoiseFloors = Record<Unit, NoiseFloor>;

/**
 * Defaults: what run-to-run noise on the local stack looks like. Rates (pct rows) are judged on
 * percentage points only: 99.9 → 98 % is −1.9 % relative, but a real loss of sessions.
 */
export const DEFAULT_NOISE_FLOORS: NoiseFloors = {
  ms: { abs: 5, pct: 5 },
  pct: { abs: 0.1, pct: 0 },
  count: { abs: 1, pct: 1 },
  gbps: { abs: 0.05, pct: 5 },
};

export type Change = 'worsened' | 'improved' | 'unchanged';
/** Where a compared figure came from (see the header). */
export type MetricSource = 'steady' | 'buckets' | 'run';

export interface MetricDelta {
  rowId: RowId;
  title: string;
  unit: Unit;
  direction: Direction;
  /** e.g. `p95`, `rate`, `median bucket`, `worst bucket`, `whole run`. */
  metric: string;
  /** The statistic the row is judged on. */
  primary: boolean;
  source: MetricSource;
  base: number;
  next: number;
  /** next − base, in the row's unit. */
  delta: number;
  /** delta as % of base; null when base is 0. */
  deltaPct: number | null;
  change: Change;
}

export interface RunLabel {
  runId: string;
  profile: string;
  target: string;
  verdict: VerdictName;
  startedAt: string;
}

export interface Comparison {
  base: RunLabel;
  next: RunLabel;
  /** Worsened (largest relative change first), then improved. */
  changed: MetricDelta[];
  /** Under the noise floor: not shown by the renderers, kept for regression checks and JSON. */
  unchanged: MetricDelta[];
  /** What could not be compared, and like-for-like warnings. */
  notes: string[];
}

export interface CompareOptions {
  /** Per unit; missing units take DEFAULT_NOISE_FLOORS. */
  noiseFloors?: Partial<NoiseFloors>;
  /** Rows (with warm-ups) to read; default the table. */
  table?: readonly ThresholdRow[];
}

export function compareRuns(base: RunRecord, next: RunRecord, opts: CompareOptions = {}): Comparison {
  const floors = { ...DEFAULT_NOISE_FLOORS, ...opts.noiseFloors };
  const table = opts.table ?? THRESHOLD_TABLE;
  const notes: string[] = [];
  if (base.verdict.profile !== next.verdict.profile) notes.push(`profiles differ (${base.verdict.profile} vs ${next.verdict.profile}): figures are not like for like`);
  if (base.verdict.target !== next.verdict.target) notes.push(`targets differ (${base.verdict.target} vs ${next.verdict.target})`);

  const deltas: MetricDelta[] = [];
  for (const nextRow of next.verdict.rows) {
    const baseRow = base.verdict.rows.find((r) => r.id === nextRow.id);
    const tableRow = table.find((r) => r.id === nextRow.id);
    if (!baseRow || !tableRow || !(nextRow.gated || baseRow.gated)) continue;
    const a = keyMetrics(base, baseRow, tableRow);
    const b = keyMetrics(next, nextRow, tableRow);
    const source = pickSource(a, b);
    if (!source) {
      notes.push(`${nextRow.title}: no figures in ${a.size === 0 ? `base run ${base.verdict.runId}` : `new run ${next.verdict.runId}`}`);
      continue;
    }
    if (source === 'run') notes.push(`${nextRow.title}: no series in both runs, compared on the whole run (ramp included)`);
    for (const [metric, av] of a.get(source)!) {
      const bv = b.get(source)!.get(metric);
      if (!bv) continue;
      deltas.push(delta(nextRow, metric, av.primary, source, av.value, bv.value, floors[nextRow.unit]));
    }
  }

  const rank = (d: MetricDelta) => (d.deltaPct === null ? Number.POSITIVE_INFINITY : Math.abs(d.deltaPct));
  const changed = [
    ...deltas.filter((d) => d.change === 'worsened').sort((x, y) => rank(y) - rank(x)),
    ...deltas.filter((d) => d.change === 'improved').sort((x, y) => rank(y) - rank(x)),
  ];
  return { base: label(base.verdict), next: label(next.verdict), changed, unchanged: deltas.filter((d) => d.change === 'unchanged'), notes };
}

/** Whether moving from base to next is worse, better or within the floor for this row. */
export function classify(direction: Direction, base: number, next: number, floor: NoiseFloor): Change {
  const d = next - base;
  const pct = base !== 0 ? (Math.abs(d) / Math.abs(base)) * 100 : null;
  if (Math.abs(d) < floor.abs || (pct !== null && pct < floor.pct) || d === 0) return 'unchanged';
  const worse = direction === 'lower' ? d > 0 : d < 0;
  return worse ? 'worsened' : 'improved';
}

function delta(row: VerdictRow, metric: string, primary: boolean, source: MetricSource, base: number, next: number, floor: NoiseFloor): MetricDelta {
  const d = roundNoise(next - base);
  return {
    rowId: row.id,
    title: row.title,
    unit: row.unit,
    direction: row.direction,
    metric,
    primary,
    source,
    base,
    next,
    delta: d,
    deltaPct: base !== 0 ? roundNoise((d / Math.abs(base)) * 100) : null,
    change: classify(row.direction, base, next, floor),
  };
}

interface Figure {
  value: number;
  primary: boolean;
}

/** A row's figures per source: source → metric name → value. */
function keyMetrics(run: RunRecord, row: VerdictRow, tableRow: ThresholdRow): Map<MetricSource, Map<string, Figure>> {
  const out = new Map<MetricSource, Map<string, Figure>>();
  const primaryName = primaryMetric(tableRow);
  const steady = run.series?.steady?.find((s) => s.rowId === row.id);
  if (steady && steady.samples > 0) {
    const m = new Map<string, Figure>();
    for (const [name, value] of Object.entries(steady.metrics) as [KeyMetric, number][]) {
      m.set(name, { value, primary: name === primaryName });
    }
    if (m.size > 0) out.set('steady', m);
  }
  const series = run.series?.rows.find((s) => s.rowId === row.id);
  if (run.series && series) {
    const from = run.series.window.startMs + tableRow.warmupSec * 1000;
    const values = series.points.filter(([t]) => t >= from && t <= run.series!.window.endMs).map(([, v]) => v);
    if (values.length > 0) {
      const m = new Map<string, Figure>();
      if (tableRow.source.kind === 'k6' && tableRow.source.stat === 'count') {
        m.set('final count', { value: values.at(-1)!, primary: true });
      } else {
        m.set('median bucket', { value: median(values), primary: true });
        m.set('worst bucket', { value: row.direction === 'lower' ? Math.max(...values) : Math.min(...values), primary: false });
      }
      out.set('buckets', m);
    }
  }
  if (row.observed !== null) out.set('run', new Map([['whole run', { value: row.observed, primary: true }]]));
  return out;
}

/** The first source both runs have, in order of preference. */
function pickSource(a: Map<MetricSource, unknown>, b: Map<MetricSource, unknown>): MetricSource | undefined {
  return (['steady', 'buckets', 'run'] as const).find((s) => a.has(s) && b.has(s));
}

/** The steady-metric name of the statistic the row is judged on. */
export function primaryMetric(row: ThresholdRow): KeyMetric | undefined {
  if (row.source.kind !== 'k6') return undefined;
  const stat = row.source.stat;
  const p = /^p\((\d+)\)$/.exec(stat);
  if (p) return `p${p[1]}` as KeyMetric;
  switch (stat) {
    case 'rate':
      return 'rate';
    case 'count':
      return 'count';
    case 'avg':
      return 'mean';
    case 'max':
      return 'max';
    default:
      return undefined;
  }
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : roundNoise((s[mid - 1]! + s[mid]!) / 2);
}

function label(v: Verdict): RunLabel {
  return { runId: v.runId, profile: v.profile, target: v.target, verdict: v.verdict, startedAt: v.startedAt };
}
