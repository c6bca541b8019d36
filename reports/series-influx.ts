/**
 * A run's time series from k6's samples in InfluxDB, over all runners (reports/series.ts types):
 *
 *   rows    per gated k6 row, per bucket (5 s, aligned on the run start): the row's statistic —
 *           p95 per bucket for latency rows, rate per bucket for rate rows, cumulative count for
 *           count rows — in the row's unit
 *   load    VUs (each runner's peak in the bucket, summed), open signaling sockets (k6/websockets
 *           sockets opened minus closed, cumulative), api requests per second
 *   steady  per gated k6 row, its key metrics over its steady-state window (run start + warm-up to
 *           run end), exact from the raw samples: p50/p95/p99/mean for latency, rate, count
 */
import type { K6Stat, RowId, ThresholdRow } from '../thresholds/table.ts';
import { roundNoise } from '../thresholds/effective.ts';
import { aggregateOf, ident, parseMetricKey, timeBuckets, timeLiteral, whereClause, type SampleFilter } from './influxql.ts';
import type { InfluxReader } from './observe-influx.ts';
import {
  DEFAULT_BUCKET_SEC,
  type KeyMetric,
  type LoadSeries,
  type RowSeries,
  type RunWindow,
  type SeriesPoint,
  type SteadyMetrics,
} from './series.ts';

export interface InfluxSeriesInput {
  runId: string;
  window: RunWindow;
  /** Effective rows of the whole run. */
  rows: readonly ThresholdRow[];
  gates: readonly RowId[];
  /** Bucket width in whole seconds; default 5. */
  bucketSec?: number;
}

export interface InfluxSeries {
  rows: RowSeries[];
  load: LoadSeries[];
  steady: SteadyMetrics[];
}

export async function seriesFromInflux(client: InfluxReader, input: InfluxSeriesInput): Promise<InfluxSeries> {
  const bucketSec = input.bucketSec ?? DEFAULT_BUCKET_SEC;
  const range: SampleFilter = { runId: input.runId, fromMs: input.window.startMs, toMs: input.window.endMs };
  const buckets = timeBuckets(bucketSec, input.window.startMs);
  const group = `GROUP BY ${buckets} fill(none)`;
  const k6Rows = input.rows.filter((r) => input.gates.includes(r.id) && r.source.kind === 'k6');

  const rows: RowSeries[] = [];
  const steady: SteadyMetrics[] = [];
  for (const row of k6Rows) {
    if (row.source.kind !== 'k6') continue;
    const key = parseMetricKey(row.source.metric);
    const factor = row.source.factor ?? 1;
    const where = whereClause({ ...range, tags: key.tags });
    const from = `FROM ${ident(key.measurement)} ${where.text} ${group}`;
    const cumulative = row.source.stat === 'count';
    const select = cumulative ? `CUMULATIVE_SUM(${aggregateOf('count')})` : aggregateOf(row.source.stat);
    const points = await bucketed(client, `SELECT ${select} AS "v" ${from}`, where.placeholders, factor);
    rows.push({ rowId: row.id, points, statistic: statisticText(row.source.stat, bucketSec) });
    steady.push(await steadyOf(client, row, key, range));
  }

  return { rows, load: await loadSeries(client, range, buckets, bucketSec), steady };
}

function statisticText(stat: K6Stat, bucketSec: number): string {
  if (stat === 'count') return 'cumulative count';
  return `${stat === 'rate' ? 'rate' : stat.replace(/^p\((\d+)\)$/, 'p$1')} per ${bucketSec} s`;
}

/** A row's key metrics over [start + warm-up, end]. */
async function steadyOf(client: InfluxReader, row: ThresholdRow, key: ReturnType<typeof parseMetricKey>, range: SampleFilter): Promise<SteadyMetrics> {
  if (row.source.kind !== 'k6') throw new Error(`row ${row.id} is not a k6 row`);
  const fromMs = Math.min(range.fromMs + row.warmupSec * 1000, range.toMs);
  const where = whereClause({ ...range, fromMs, tags: key.tags });
  const factor = row.source.factor ?? 1;
  const stat = row.source.stat;
  const selects: [KeyMetric, string][] =
    stat === 'count'
      ? [['count', 'SUM("value")']]
      : stat === 'rate'
        ? [['rate', 'MEAN("value")']]
        : [
            ['p50', 'PERCENTILE("value", 50)'],
            ['p95', 'PERCENTILE("value", 95)'],
            ['p99', 'PERCENTILE("value", 99)'],
            ['mean', 'MEAN("value")'],
            ['max', 'MAX("value")'],
          ];
  const text = `SELECT ${selects.map(([name, agg]) => `${agg} AS "${name}"`).join(', ')}, COUNT("value") AS "samples" FROM ${ident(key.measurement)} ${where.text}`;
  const result = await client.query<Record<string, number | null>>(text, { placeholders: where.placeholders });
  const first: Record<string, number | null> = result[0] ?? {};
  const metrics: Partial<Record<KeyMetric, number>> = {};
  for (const [name] of selects) {
    const v = first[name];
    if (typeof v === 'number' && Number.isFinite(v)) metrics[name] = roundNoise(v * factor);
  }
  const samples = typeof first.samples === 'number' ? first.samples : 0;
  return { rowId: row.id, fromMs, toMs: range.toMs, metrics: samples > 0 ? metrics : {}, samples };
}

async function loadSeries(client: InfluxReader, range: SampleFilter, buckets: string, bucketSec: number): Promise<LoadSeries[]> {
  const load: LoadSeries[] = [];
  const w = whereClause(range);
  const group = `GROUP BY ${buckets} fill(none)`;
  // k6 writes each runner's `vus` gauge every second: the bucket's peak per runner, summed. The
  // outer query needs its own time range (InfluxDB 1.x would otherwise bucket up to now()).
  const outer = `WHERE time >= ${timeLiteral(range.fromMs)} AND time <= ${timeLiteral(range.toMs)}`;
  const vus = await bucketed(
    client,
    `SELECT SUM("peak") AS "v" FROM (SELECT MAX("value") AS "peak" FROM "vus" ${w.text} GROUP BY ${buckets}, "runner") ${outer} ${group}`,
    w.placeholders,
  );
  if (vus.length > 0) load.push({ kind: 'vus', title: 'VUs (all runners)', points: vus });

  // k6/websockets: `ws_sessions` when a socket opens, `ws_session_duration` when it closes.
  const opened = await bucketed(client, `SELECT COUNT("value") AS "v" FROM "ws_sessions" ${w.text} ${group}`, w.placeholders);
  if (opened.length > 0) {
    const closed = await bucketed(client, `SELECT COUNT("value") AS "v" FROM "ws_session_duration" ${w.text} ${group}`, w.placeholders);
    load.push({ kind: 'open_sockets', title: 'open signaling sockets', points: openOverTime(opened, closed, bucketSec * 1000) });
  }

  const api = whereClause({ ...range, tags: [['scenario', 'api']] });
  const reqs = await bucketed(client, `SELECT COUNT("value") AS "v" FROM "http_reqs" ${api.text} ${group}`, api.placeholders, 1 / bucketSec);
  if (reqs.length > 0) load.push({ kind: 'api_request_rate', title: 'api requests/s', points: reqs });
  return load;
}

/** Sockets open at the end of each bucket: opened so far minus closed so far, for every bucket from
 *  the first open to the last close — a hold without opens or closes is a flat line, not a gap. */
export function openOverTime(opened: readonly SeriesPoint[], closed: readonly SeriesPoint[], bucketMs: number): SeriesPoint[] {
  const times = [...opened, ...closed].map(([t]) => t);
  if (times.length === 0) return [];
  const o = new Map(opened.map(([t, v]) => [t, v]));
  const c = new Map(closed.map(([t, v]) => [t, v]));
  const last = Math.max(...times);
  let open = 0;
  const out: SeriesPoint[] = [];
  for (let t = Math.min(...times); t <= last; t += bucketMs) {
    open += (o.get(t) ?? 0) - (c.get(t) ?? 0);
    out.push([t, open]);
  }
  return out;
}

/** Run a `SELECT ... AS "v" ... GROUP BY time(...)` and return its points × factor. */
async function bucketed(client: InfluxReader, text: string, placeholders: Record<string, string>, factor = 1): Promise<SeriesPoint[]> {
  const result = await client.query<{ v: number | null }>(text, { placeholders, precision: 'ms' });
  const points: SeriesPoint[] = [];
  for (const r of result) {
    if (typeof r.v !== 'number' || !Number.isFinite(r.v)) continue;
    points.push([r.time.getTime(), roundNoise(r.v * factor)]);
  }
  return points;
}
