/**
 * The threshold table's k6 sources as InfluxQL over the samples k6 writes with `--out influxdb`
 * (InfluxDB 1.x). One sample is one point: measurement = metric name, field `value`, tags = k6's
 * tags (run_id, runner, scenario, name, status, ...; k6's default TagsAsFields makes vu, iter and
 * url fields instead). So, over every runner's samples at once:
 *
 *   Trend   p(95)  → PERCENTILE("value", 95)   (nearest rank; k6 interpolates — equal within a sample)
 *   Rate    rate   → MEAN("value")             (a Rate's samples are 0 or 1: their mean is the rate)
 *   Counter count  → SUM("value")              (k6's `count` of a Counter is the sum of its increments)
 *           avg → MEAN, max → MAX, value (Gauge) → LAST
 *
 * A submetric key `http_req_duration{scenario:api}` becomes `WHERE "scenario" = $t0`. Values that
 * come from outside (run id, tag values) travel as bind parameters, never spliced into the text.
 * Pure: no client here; reports/observe-influx.ts and reports/series-influx.ts run these.
 */
import type { K6Stat } from '../thresholds/table.ts';

/** A k6 metric key split into InfluxDB terms. */
export interface K6MetricKey {
  measurement: string;
  /** Tag filters of the submetric, `[key, value]`, in the key's order. */
  tags: [string, string][];
}

/** `metric{tag:value,tag2:value2}` → measurement + tag filters (k6's submetric syntax). */
export function parseMetricKey(key: string): K6MetricKey {
  const m = /^([A-Za-z0-9_]+)(?:\{(.*)\})?$/.exec(key.trim());
  if (!m) throw new Error(`not a k6 metric key: ${key}`);
  const tags: [string, string][] = [];
  for (const part of (m[2] ?? '').split(',').filter((p) => p.trim() !== '')) {
    const at = part.indexOf(':');
    if (at <= 0) throw new Error(`bad tag filter '${part}' in ${key}`);
    tags.push([part.slice(0, at).trim(), part.slice(at + 1).trim()]);
  }
  return { measurement: m[1]!, tags };
}

/** An identifier (measurement, tag key) double-quoted; only k6-style names are accepted. */
export function ident(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`not a safe InfluxDB identifier: ${name}`);
  return `"${name}"`;
}

/** The aggregate computing a k6 statistic over `"value"`. */
export function aggregateOf(stat: K6Stat): string {
  const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  if (p) return `PERCENTILE("value", ${Number(p[1])})`;
  switch (stat) {
    case 'rate':
    case 'avg':
      return 'MEAN("value")';
    case 'count':
      return 'SUM("value")';
    case 'max':
      return 'MAX("value")';
    case 'value':
      return 'LAST("value")';
  }
  throw new Error(`no InfluxQL aggregate for k6 stat ${stat}`);
}

/** What a statement filters on: the run, the submetric's tags, a time range (Unix ms, inclusive). */
export interface SampleFilter {
  runId: string;
  tags?: readonly [string, string][];
  fromMs: number;
  toMs: number;
}

/** A statement and its bind parameters (the `influx` client's `placeholders`). */
export interface Statement {
  text: string;
  placeholders: Record<string, string>;
}

/** `WHERE "run_id" = $runId AND "tag" = $t0 ... AND time >= Nms AND time <= Mms`. */
export function whereClause(f: SampleFilter): Statement {
  const placeholders: Record<string, string> = { runId: f.runId };
  const terms = ['"run_id" = $runId'];
  (f.tags ?? []).forEach(([key, value], i) => {
    placeholders[`t${i}`] = value;
    terms.push(`${ident(key)} = $t${i}`);
  });
  terms.push(`time >= ${timeLiteral(f.fromMs)}`, `time <= ${timeLiteral(f.toMs)}`);
  return { text: `WHERE ${terms.join(' AND ')}`, placeholders };
}

/** Unix ms as an InfluxQL time literal (integer with a unit suffix). */
export function timeLiteral(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`not a time: ${ms}`);
  return `${Math.round(ms)}ms`;
}

/** `GROUP BY time(5s, <offset>)` with buckets starting at `alignMs` (the run's start), not at epoch
 *  multiples of the bucket: the warm-up boundary then falls on a bucket boundary. */
export function timeBuckets(bucketSec: number, alignMs: number): string {
  if (!Number.isInteger(bucketSec) || bucketSec <= 0) throw new Error(`bucket must be whole seconds, got ${bucketSec}`);
  const offsetMs = Math.round(alignMs) % (bucketSec * 1000);
  return `time(${bucketSec}s, ${offsetMs}ms)`;
}
