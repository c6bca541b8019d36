/**
 * Observations of the client-side (k6-source) rows over ALL runners' samples in InfluxDB — the
 * same code path for one runner or fifty. Each k6 runner only sees its own execution segment, and
 * percentiles do not add up: the p95 of the union has to be computed from the samples themselves,
 * which is what the store holds (reports/influxql.ts says how each statistic is computed).
 *
 *   observeFromInflux(client, { runId, window, rows, gates })        the verdict's observations
 *   evaluateCriticalRows(client, { runId, sinceMs, rows, gates })    for the global-abort watcher
 *   generatorSaturationFromInflux(client, { runId, window, profile }) dropped api iterations, all runners
 *
 * Same Observation type and notes as observe-k6.ts, and the same refusals: no samples → null with
 * a note; a time Trend whose every sample is 0 ms (refused requests) → null; a Counter never
 * incremented on a higher-is-better row → 0 (it can only fail), but only when the run did write
 * samples — a store without any sample of the run is missing data, never a zero.
 */
import type { InfluxDB } from 'influx';
import { crossesCritical } from '../thresholds/boundaries.ts';
import { roundNoise } from '../thresholds/effective.ts';
import type { RowId, ThresholdRow } from '../thresholds/table.ts';
import { aggregateOf, ident, parseMetricKey, whereClause, type SampleFilter } from './influxql.ts';
import type { Observation } from './observation.ts';
import { saturationOf, type SaturationPlan } from './observe-k6.ts';
import type { RunWindow } from './series.ts';

/** What the observers need of the `influx` client (scripts/clients/influx.ts influxReader()). */
export type InfluxReader = Pick<InfluxDB, 'query'>;

export interface InfluxObserveInput {
  /** The run's id: the `run_id` tag every sample carries (lib/k6/options.ts). */
  runId: string;
  /** Load start to load end, Unix ms. */
  window: RunWindow;
  /** Effective rows (thresholds/effective.ts) for the whole run, not one runner's share. */
  rows: readonly ThresholdRow[];
  gates: readonly RowId[];
}

/** One row's statistic over a time range, straight from the store (k6 units, before `factor`). */
interface RowStat {
  stat: number | null;
  samples: number;
  max: number | null;
}

/** The run as the store sees it: which runners wrote samples (k6 writes `vus` every second). */
interface RunPresence {
  runners: string[];
}

export async function observeFromInflux(client: InfluxReader, input: InfluxObserveInput): Promise<Map<RowId, Observation>> {
  const observations = new Map<RowId, Observation>();
  const rows = k6Rows(input.rows, input.gates);
  if (rows.length === 0) return observations;
  const range = { runId: input.runId, fromMs: input.window.startMs, toMs: input.window.endMs };

  let presence: RunPresence;
  try {
    presence = await runPresence(client, range);
  } catch (err) {
    for (const row of rows) observations.set(row.id, { observed: null, note: `InfluxDB unreadable: ${message(err)}` });
    return observations;
  }
  for (const row of rows) {
    try {
      observations.set(row.id, toObservation(row, await queryRowStat(client, row, range), presence, input.runId));
    } catch (err) {
      observations.set(row.id, { observed: null, note: `InfluxDB query failed: ${message(err)}` });
    }
  }
  return observations;
}

/** A critical row crossed on the aggregate of every runner's samples. */
export interface CriticalCrossing {
  rowId: RowId;
  title: string;
  /** In the row's unit. */
  observed: number;
  critical: number;
  samples: number;
}

export interface CriticalEvaluation {
  crossed: CriticalCrossing[];
  /** Rows judged this time (past their warm-up, with samples). */
  evaluated: RowId[];
  /** Rows still inside their warm-up: not judged yet. */
  warmingUp: RowId[];
}

export interface CriticalInput {
  runId: string;
  /** When the load started (Unix ms); a row's warm-up counts from here. */
  sinceMs: number;
  /** Effective rows of the whole run. */
  rows: readonly ThresholdRow[];
  gates: readonly RowId[];
  /** "Now" (Unix ms); default Date.now(). */
  nowMs?: number;
}

/**
 * Which critical rows the run has crossed so far, on the aggregate of all runners — what each
 * runner's own `abortOnFail` cannot see. Same semantics as k6's `delayAbortEval`: a row is judged
 * only once its warm-up has passed, over every sample since the load started. Only rows that may
 * abort (`abortOnCritical`) are judged; a row without samples is not crossed (the verdict, not the
 * watcher, deals with missing data). Query errors are thrown: the watcher decides whether to retry.
 */
export async function evaluateCriticalRows(client: InfluxReader, input: CriticalInput): Promise<CriticalEvaluation> {
  const now = input.nowMs ?? Date.now();
  const result: CriticalEvaluation = { crossed: [], evaluated: [], warmingUp: [] };
  const filter = { runId: input.runId, fromMs: input.sinceMs, toMs: now };
  for (const row of k6Rows(input.rows, input.gates)) {
    if (!row.abortOnCritical) continue;
    if (now - input.sinceMs < row.warmupSec * 1000) {
      result.warmingUp.push(row.id);
      continue;
    }
    const s = await queryRowStat(client, row, filter);
    if (s.stat === null || s.samples === 0 || isEmptyTime(row, s)) continue;
    result.evaluated.push(row.id);
    const observed = inRowUnits(row, s.stat);
    if (crossesCritical(row, observed)) {
      result.crossed.push({ rowId: row.id, title: row.title, observed, critical: row.critical, samples: s.samples });
    }
  }
  return result;
}

/** Dropped api iterations over all runners, judged like observe-k6's generatorSaturation. */
export async function generatorSaturationFromInflux(
  client: InfluxReader,
  input: { runId: string; window: RunWindow; profile: SaturationPlan['profile'] },
): Promise<{ reason: string } | undefined> {
  const where = whereClause({ runId: input.runId, tags: [['scenario', 'api']], fromMs: input.window.startMs, toMs: input.window.endMs });
  const rows = await client.query<{ dropped: number | null }>(`SELECT SUM("value") AS "dropped" FROM "dropped_iterations" ${where.text}`, {
    placeholders: where.placeholders,
  });
  return saturationOf(rows[0]?.dropped ?? 0, 'api', { profile: input.profile });
}

function k6Rows(rows: readonly ThresholdRow[], gates: readonly RowId[]): ThresholdRow[] {
  return rows.filter((r) => gates.includes(r.id) && r.source.kind === 'k6');
}

async function runPresence(client: InfluxReader, range: SampleFilter): Promise<RunPresence> {
  const where = whereClause(range);
  const result = await client.query<{ samples: number }>(`SELECT COUNT("value") AS "samples" FROM "vus" ${where.text} GROUP BY "runner"`, {
    placeholders: where.placeholders,
  });
  const runners = result.groups().map((g) => String(g.tags.runner ?? ''));
  return { runners: runners.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)) };
}

async function queryRowStat(client: InfluxReader, row: ThresholdRow, range: SampleFilter): Promise<RowStat> {
  if (row.source.kind !== 'k6') throw new Error(`row ${row.id} is not a k6 row`);
  const key = parseMetricKey(row.source.metric);
  const where = whereClause({ ...range, tags: key.tags });
  const text =
    `SELECT ${aggregateOf(row.source.stat)} AS "stat", COUNT("value") AS "samples", MAX("value") AS "max" ` +
    `FROM ${ident(key.measurement)} ${where.text}`;
  const result = await client.query<{ stat: number | null; samples: number | null; max: number | null }>(text, {
    placeholders: where.placeholders,
  });
  const first = result[0];
  return { stat: first?.stat ?? null, samples: first?.samples ?? 0, max: first?.max ?? null };
}

function toObservation(row: ThresholdRow, s: RowStat, presence: RunPresence, runId: string): Observation {
  const key = row.source.kind === 'k6' ? row.source.metric : row.id;
  if (s.samples === 0 || s.stat === null) {
    if (presence.runners.length === 0) {
      return { observed: null, note: `InfluxDB holds no sample of run ${runId} in the run window (k6 not writing with --out influxdb and tag run_id?)` };
    }
    if (row.source.kind === 'k6' && row.source.stat === 'count' && row.direction === 'higher') {
      return { observed: 0, note: `${key} was never incremented (${runnersText(presence)} wrote samples)` };
    }
    return { observed: null, note: `${key} has no samples` };
  }
  if (isEmptyTime(row, s)) {
    // k6 times requests that never got a response (refused, reset) as 0 ms: that is no latency.
    return { observed: null, note: `every sample of ${key} (${s.samples}) is 0 ms: no request got a response` };
  }
  return { observed: inRowUnits(row, s.stat), note: `${s.samples.toLocaleString('en-US')} samples from ${runnersText(presence)}` };
}

function isEmptyTime(row: ThresholdRow, s: RowStat): boolean {
  return row.unit === 'ms' && s.max === 0;
}

function inRowUnits(row: ThresholdRow, stat: number): number {
  const factor = row.source.kind === 'k6' ? (row.source.factor ?? 1) : 1;
  return roundNoise(stat * factor);
}

function runnersText(p: RunPresence): string {
  return p.runners.length === 1 ? '1 runner' : `${p.runners.length} runners`;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
