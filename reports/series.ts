/**
 * Time series of a run, independent of where they came from (InfluxDB for k6's client samples,
 * Prometheus for the servers): what report.html draws, what `report compare` reads back from
 * OUT/series.json, and what a Grafana panel shows live.
 *
 *   RowSeries   one row's statistic per bucket, in the row's unit (p95 per bucket for latency
 *               rows, rate per bucket for rate rows, cumulative count for count rows)
 *   LoadSeries  what was applied over time: VUs, open signaling sockets, participants
 *   SteadyMetrics  a row's key metrics over its steady-state window (after the row's warm-up),
 *               computed from the raw samples where the source allows (exact p50/p95/p99 from
 *               InfluxDB); `report compare` prefers these to bucket-derived figures
 *   RunSeries   the whole file: the run's window, its bucket width, and all of the above
 *
 * A point is `[tMs, value]`: tMs is the bucket's start (Unix ms), value a finite number in the
 * row's unit. Buckets without samples have no point (a gap), never a 0.
 */
import { z } from 'zod';
import { THRESHOLD_TABLE, type RowId } from '../thresholds/table.ts';

/** `[bucket start, Unix ms; value in the series' unit]`. */
export type SeriesPoint = [tMs: number, value: number];

export interface RowSeries {
  rowId: RowId;
  points: SeriesPoint[];
  /** How each point is computed, for people, e.g. `p95 per 5 s`, `rate per 5 s`, `cumulative`. */
  statistic?: string;
  /** Where the values were seen (e.g. the worst service for a Prometheus row). */
  where?: string;
}

/** Kinds of load drawn under the row charts. */
export type LoadKind = 'vus' | 'open_sockets' | 'participants' | 'api_request_rate';

export interface LoadSeries {
  kind: LoadKind;
  /** Axis label, e.g. `VUs (all runners)`. */
  title: string;
  points: SeriesPoint[];
}

/** The run window judged: load start to load end (Unix ms). */
export interface RunWindow {
  startMs: number;
  endMs: number;
}

/** Names of key metrics: percentiles, mean, rate (pct), count, worst value. */
export type KeyMetric = 'p50' | 'p95' | 'p99' | 'mean' | 'rate' | 'count' | 'max';

export interface SteadyMetrics {
  rowId: RowId;
  /** The steady-state window: run start + the row's warm-up, to the run end (Unix ms). */
  fromMs: number;
  toMs: number;
  /** Values in the row's unit. */
  metrics: Partial<Record<KeyMetric, number>>;
  /** Samples behind the metrics. */
  samples: number;
}

/** OUT/series.json. */
export interface RunSeries {
  runId: string;
  window: RunWindow;
  /** Width of one bucket in seconds (default 5). */
  bucketSec: number;
  rows: RowSeries[];
  load: LoadSeries[];
  /** Absent for sources that only give buckets (compare then derives from the points). */
  steady?: SteadyMetrics[];
}

/** Buckets are 5 s wide unless a caller says otherwise: fine enough to see a 20 s warm-up, coarse
 *  enough that a 5 s bucket of a smoke run (20 req/s) still holds ~100 samples for its p95. */
export const DEFAULT_BUCKET_SEC = 5;

export const SERIES_FILE = 'series.json';

// zod 4 numbers are finite already: NaN and ±Infinity are refused.
const PointSchema = z.tuple([z.number(), z.number()]);
const ROW_IDS = THRESHOLD_TABLE.map((r) => r.id) as [RowId, ...RowId[]];

export const RunSeriesSchema = z.object({
  runId: z.string().min(1),
  window: z.object({ startMs: z.number(), endMs: z.number() }),
  bucketSec: z.number().positive(),
  rows: z.array(
    z.object({
      rowId: z.enum(ROW_IDS),
      points: z.array(PointSchema),
      statistic: z.string().optional(),
      where: z.string().optional(),
    }),
  ),
  load: z.array(
    z.object({
      kind: z.enum(['vus', 'open_sockets', 'participants', 'api_request_rate']),
      title: z.string(),
      points: z.array(PointSchema),
    }),
  ),
  steady: z
    .array(
      z.object({
        rowId: z.enum(ROW_IDS),
        fromMs: z.number(),
        toMs: z.number(),
        metrics: z.partialRecord(z.enum(['p50', 'p95', 'p99', 'mean', 'rate', 'count', 'max']), z.number()),
        samples: z.number().int().nonnegative(),
      }),
    )
    .optional(),
});

/** Parse series.json text; throws naming the first bad field. */
export function parseRunSeries(json: unknown): RunSeries {
  const parsed = RunSeriesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`series.json: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Points of `series` inside [fromMs, toMs] (bucket start within the range). */
export function pointsWithin(points: readonly SeriesPoint[], fromMs: number, toMs: number): SeriesPoint[] {
  return points.filter(([t]) => t >= fromMs && t <= toMs);
}
