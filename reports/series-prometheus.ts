/**
 * The server rows over the whole run, for report.html's charts (reports/series.ts RowSeries):
 * one point per bucket (5 s, aligned on the run start like the InfluxDB series), each the WORST
 * series at that moment — the line the verdict's value is the peak of — and `where` naming the
 * series that reached the run's worst point. The warm-up is drawn, not skipped: the chart shows
 * it shaded and the verdict ignores it.
 *
 *   max rows      the query evaluated at each bucket's end ($rate = 20 s trailing average)
 *   window rows   the query with $window = the trailing 20 s (a p95 per bucket would hold one
 *                 5 s scrape, too few for increase()), evaluated at each bucket's end
 *
 * A point at `t` is the bucket [t, t + bucketSec): its value is evaluated at the bucket's end.
 * Rows without any value (unreachable Prometheus, a configuration finding) are left out; the
 * verdict says why.
 */
import { promQueryRange } from '../scripts/clients/prometheus.ts';
import { roundNoise } from '../thresholds/effective.ts';
import { fillPlaceholders, isPrometheusRowId, serverQuery, type QueryOverrides } from '../thresholds/queries.ts';
import type { RowId, ThresholdRow } from '../thresholds/table.ts';
import { DEFAULT_RATE_SEC } from './observe-prometheus.ts';
import { whereOf } from './prometheus-window.ts';
import { DEFAULT_BUCKET_SEC, type RowSeries, type SeriesPoint } from './series.ts';

export interface PrometheusSeriesInput {
  startMs: number;
  endMs: number;
  rows: readonly ThresholdRow[];
  /** When given, only these rows (default: every server row of `rows`). */
  gates?: readonly RowId[];
  overrides?: QueryOverrides;
  /** Whole seconds; default 5 (the InfluxDB series' width, so charts line up). */
  bucketSec?: number;
  /** Trailing window of each point, whole seconds; default 20. */
  rateSec?: number;
  timeoutMs?: number;
}

export async function seriesFromPrometheus(promUrl: string, input: PrometheusSeriesInput): Promise<RowSeries[]> {
  const bucketSec = input.bucketSec ?? DEFAULT_BUCKET_SEC;
  const trailingSec = Math.max(input.rateSec ?? DEFAULT_RATE_SEC, bucketSec);
  const bucketMs = bucketSec * 1000;
  if (!(input.endMs - input.startMs >= bucketMs)) return [];
  const out: RowSeries[] = [];
  for (const row of input.rows) {
    if (row.source.kind !== 'prometheus' || (input.gates && !input.gates.includes(row.id))) continue;
    if (!isPrometheusRowId(row.source.queryId)) continue;
    const query = serverQuery(row.source.queryId, input.overrides);
    // A window query reaches one bucket further back for its baseline sample (prometheus-window.ts).
    const promql = fillPlaceholders(query.promql, { windowMs: (trailingSec + bucketSec) * 1000, rateSec: trailingSec });
    // Bucket ends: the first bucket ends one width after the start; the last one may end after endMs.
    const lastEnd = input.startMs + Math.ceil((input.endMs - input.startMs) / bucketMs) * bucketMs;
    const series = await promQueryRange(promUrl, promql, { startMs: input.startMs + bucketMs, endMs: lastEnd, stepSec: bucketSec }, input.timeoutMs);
    const worst = worstPerBucket(series, query.factor, bucketMs);
    if (worst.points.length === 0) continue;
    out.push({
      rowId: row.id,
      points: worst.points,
      statistic:
        query.aggregate === 'window'
          ? `over the trailing ${trailingSec} s, every ${bucketSec} s`
          : `worst of ${series.length} series${/\$rate\b/.test(query.promql) ? `, ${trailingSec} s averages` : ''}, every ${bucketSec} s`,
      ...(worst.where ? { where: worst.where } : {}),
    });
  }
  return out;
}

/** The highest value across series per evaluation time, shifted back to its bucket's start. */
export function worstPerBucket(
  series: readonly { labels: Record<string, string>; points: [number, number][] }[],
  factor: number,
  bucketMs: number,
): { points: SeriesPoint[]; where?: string } {
  const byTime = new Map<number, { value: number; where: string }>();
  let peak: { value: number; where: string } | undefined;
  for (const s of series) {
    const where = whereOf(s.labels);
    for (const [t, v] of s.points) {
      const value = roundNoise(v * factor);
      const seen = byTime.get(t);
      if (!seen || value > seen.value) byTime.set(t, { value, where });
      if (!peak || value > peak.value) peak = { value, where };
    }
  }
  const points = [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, { value }]): SeriesPoint => [t - bucketMs, value]);
  return peak ? { points, where: peak.where } : { points };
}
