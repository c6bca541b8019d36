/**
 * Observations of the server-side rows (source `prometheus`: database p95, Redis memory, CPU,
 * memory) from Prometheus over the run window, with the queries of thresholds/queries.ts (or the
 * target's overrides), and the servers' context signals (thresholds/context-queries.ts).
 *
 *   observeFromPrometheus(promUrl, { startMs, endMs, rows, gates, overrides })   → Observations
 *   evaluateCriticalServerRows(promUrl, { sinceMs, rows, gates, overrides })      → for the abort watcher
 *   serverContextFromPrometheus(promUrl, { startMs, endMs })                      → ContextSignal[]
 *
 * Each row is judged over [load start + its warm-up, load end]. Missing data is never a pass:
 *   - Prometheus unreachable → every row null, the note says so (a gated row → INCONCLUSIVE)
 *   - a query Prometheus refuses (a bad override) → that row null with Prometheus's complaint
 *   - no series, or only NaN (0/0) → null, the note says which
 *   - a configuration finding (Redis without maxmemory) → null, the note is the finding
 * Notes carry no secrets: a URL is shown without its user info.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PromQueryError, promQueryInstant } from '../scripts/clients/prometheus.ts';
import { CONTEXT_QUERIES, type ContextQuery } from '../thresholds/context-queries.ts';
import { crossesCritical } from '../thresholds/boundaries.ts';
import { isPrometheusRowId, serverQuery, type QueryOverrides, type ServerQuery } from '../thresholds/queries.ts';
import type { RowId, ThresholdRow } from '../thresholds/table.ts';
import { formatValue } from './format.ts';
import type { Observation } from './observation.ts';
import type { CriticalEvaluation } from './observe-influx.ts';
import { evaluateWindow, whereOf, type WindowAnswer } from './prometheus-window.ts';

/** rate() window of `max` queries: four 5 s scrapes of the local stack. */
export const DEFAULT_RATE_SEC = 20;
/** Evaluation step of `max` queries: the local stack's scrape interval. */
export const DEFAULT_STEP_SEC = 5;
/** After the load ends, Prometheus needs one scrape (5 s) to hold its last samples. */
export const DEFAULT_SETTLE_MS = 6_000;

export interface PrometheusObserveInput {
  /** When the load started and ended, Unix ms. */
  startMs: number;
  endMs: number;
  /** Effective rows (thresholds/effective.ts); the `prometheus`-source ones are observed. */
  rows: readonly ThresholdRow[];
  /** When given, only these rows are observed (default: every server row of `rows`, gated or not,
   *  so a report shows the servers' numbers even where a profile does not judge them). */
  gates?: readonly RowId[];
  /** The target's `prometheus.queries` (lib/config/target.ts). */
  overrides?: QueryOverrides;
  /** rate() window of `max` queries, whole seconds; default 20. */
  rateSec?: number;
  /** Evaluation step of `max` queries, seconds; default 5. */
  stepSec?: number;
  /** Prometheus's scrape interval, seconds; default `stepSec` (see prometheus-window.ts). */
  scrapeSec?: number;
  /** Wait until this long after `endMs` before querying (the last scrape); default 6000 ms. */
  settleMs?: number;
  /** Per query, ms; default 15000. */
  timeoutMs?: number;
}

export async function observeFromPrometheus(promUrl: string, input: PrometheusObserveInput): Promise<Map<RowId, Observation>> {
  const observations = new Map<RowId, Observation>();
  const rows = input.rows.filter((r) => r.source.kind === 'prometheus' && (!input.gates || input.gates.includes(r.id)));
  if (rows.length === 0) return observations;
  await settle(input.endMs, input.settleMs);

  let unreachable: string | null = null;
  for (const row of rows) {
    if (unreachable) {
      observations.set(row.id, { observed: null, note: unreachable });
      continue;
    }
    const id = row.source.kind === 'prometheus' ? row.source.queryId : row.id;
    if (!isPrometheusRowId(id)) {
      observations.set(row.id, { observed: null, note: `no query named ${id} in thresholds/queries.ts` });
      continue;
    }
    const query = serverQuery(id, input.overrides);
    try {
      observations.set(row.id, await observeRow(promUrl, row, query, input));
    } catch (err) {
      if (err instanceof PromQueryError) {
        observations.set(row.id, { observed: null, note: `${err.message}${query.overridden ? ' (the target’s query)' : ''}` });
      } else {
        unreachable = unreachableNote(promUrl, err);
        observations.set(row.id, { observed: null, note: unreachable });
      }
    }
  }
  return observations;
}

async function observeRow(url: string, row: ThresholdRow, query: ServerQuery & { overridden: boolean }, input: PrometheusObserveInput): Promise<Observation> {
  if (query.aggregate === 'max' && row.direction !== 'lower') {
    throw new Error(`row ${row.id}: a 'max' query only fits a lower-is-better row`);
  }
  const fromMs = input.startMs + query.warmupSec * 1000;
  const toMs = input.endMs;
  const origin = query.overridden ? ' (the target’s query)' : '';
  if (fromMs >= toMs) {
    return { observed: null, note: `the run (${seconds(toMs - input.startMs)}) ended within the ${query.warmupSec} s warm-up: nothing to judge` };
  }
  for (const finding of query.findings ?? []) {
    const hits = await promQueryInstant(url, finding.promql, toMs, input.timeoutMs);
    if (hits.length > 0) return { observed: null, note: finding.note, where: whereOf(hits[0]!.labels) };
  }

  const answer = await evaluateWindow(url, query, {
    fromMs,
    toMs,
    rateSec: input.rateSec ?? DEFAULT_RATE_SEC,
    stepSec: input.stepSec ?? DEFAULT_STEP_SEC,
    scrapeSec: input.scrapeSec,
    timeoutMs: input.timeoutMs,
  });
  const worst = answer.values[0];
  if (!worst) return { observed: null, note: `${query.whenEmpty ?? emptyReason(answer)}${origin}` };
  return { observed: worst.value, where: worst.where, note: `${describe(row, answer, input.startMs, query.warmupSec)}${origin}` };
}

function describe(row: ThresholdRow, a: WindowAnswer, startMs: number, warmupSec: number): string {
  const span = `+${seconds(a.evaluatedFromMs - startMs)}`;
  const end = `+${seconds(a.evaluatedToMs - startMs)}`;
  if (a.evaluations === 1 && a.stepSec === 0) {
    return `over +${warmupSec} s … ${end} of the run${seriesCount(a)}`;
  }
  const others = a.values
    .slice(1, 4)
    .map((v) => `${v.where} ${formatValue(row.unit, v.value)}`)
    .join(', ');
  return (
    `highest of ${a.values.length} series, evaluated every ${a.stepSec} s from ${span} to ${end} (worst at +${seconds(a.values[0]!.atMs - startMs)})` +
    (others ? `; next: ${others}` : '')
  );
}

function seriesCount(a: WindowAnswer): string {
  return a.values.length > 1 ? `; worst of ${a.values.length} series` : '';
}

function emptyReason(a: WindowAnswer): string {
  return a.emptySeries > 0
    ? `Prometheus answered ${a.emptySeries} series with no value over the window (nothing to divide: no samples in it?)`
    : 'Prometheus has no series for this query over the window (exporter not scraped, or labels differ: see thresholds/queries.ts)';
}

// ---- critical rows while the load runs ----------------------------------------------------------

export interface CriticalServerInput {
  /** When the load started (Unix ms); a row's warm-up counts from here. */
  sinceMs: number;
  /** Effective rows of the whole run. */
  rows: readonly ThresholdRow[];
  gates: readonly RowId[];
  overrides?: QueryOverrides;
  /** "Now" (Unix ms); default Date.now(). */
  nowMs?: number;
  rateSec?: number;
  stepSec?: number;
  timeoutMs?: number;
}

/**
 * Which gated server rows that may abort (`abortOnCritical`) have crossed their critical so far —
 * the Prometheus twin of observe-influx.ts evaluateCriticalRows, same result shape, for the run's
 * global-abort watcher. A row is judged once its warm-up has passed, over [start + warm-up, now]
 * exactly as the verdict will judge it. A row without a value (or with a configuration finding) is
 * not crossed: the verdict deals with missing data. Errors are thrown: the watcher retries.
 */
export async function evaluateCriticalServerRows(promUrl: string, input: CriticalServerInput): Promise<CriticalEvaluation> {
  const now = input.nowMs ?? Date.now();
  const result: CriticalEvaluation = { crossed: [], evaluated: [], warmingUp: [] };
  for (const row of input.rows) {
    if (row.source.kind !== 'prometheus' || !row.abortOnCritical || !input.gates.includes(row.id)) continue;
    if (!isPrometheusRowId(row.source.queryId)) continue;
    const query = serverQuery(row.source.queryId, input.overrides);
    if (now - input.sinceMs <= query.warmupSec * 1000) {
      result.warmingUp.push(row.id);
      continue;
    }
    const found = [];
    for (const finding of query.findings ?? []) found.push(...(await promQueryInstant(promUrl, finding.promql, now, input.timeoutMs)));
    if (found.length > 0) continue;
    const answer = await evaluateWindow(promUrl, query, {
      fromMs: input.sinceMs + query.warmupSec * 1000,
      toMs: now,
      rateSec: input.rateSec ?? DEFAULT_RATE_SEC,
      stepSec: input.stepSec ?? DEFAULT_STEP_SEC,
      timeoutMs: input.timeoutMs,
    });
    const worst = answer.values[0];
    if (!worst) continue;
    result.evaluated.push(row.id);
    if (crossesCritical(row, worst.value)) {
      result.crossed.push({ rowId: row.id, title: `${row.title} (${worst.where})`, observed: worst.value, critical: row.critical, samples: answer.evaluations });
    }
  }
  return result;
}

// ---- context ----------------------------------------------------------------------------------

/** One server signal over the run, for the report to print beside the verdict (never gated). */
export interface ContextSignal {
  id: string;
  title: string;
  /** As printed after a value: `ms`, `%`, `/s`, or '' for a count. */
  unit: string;
  /** One per series (e.g. per direction), highest first; empty when there is none. */
  values: { where: string; value: number }[];
  /** Why `values` is empty (none recorded, Prometheus unreachable, ...). */
  note?: string;
  description: string;
}

export interface ContextInput {
  /** The whole run window, Unix ms. */
  startMs: number;
  endMs: number;
  /** Default: thresholds/context-queries.ts. */
  queries?: readonly ContextQuery[];
  /** See PrometheusObserveInput. */
  settleMs?: number;
  stepSec?: number;
  timeoutMs?: number;
}

export async function serverContextFromPrometheus(promUrl: string, input: ContextInput): Promise<ContextSignal[]> {
  const queries = input.queries ?? CONTEXT_QUERIES;
  await settle(input.endMs, input.settleMs);
  const signals: ContextSignal[] = [];
  let unreachable: string | null = null;
  for (const q of queries) {
    const base = { id: q.id, title: q.title, unit: q.unit, description: q.description };
    if (unreachable) {
      signals.push({ ...base, values: [], note: unreachable });
      continue;
    }
    try {
      const a = await evaluateWindow(promUrl, q, {
        fromMs: input.startMs,
        toMs: input.endMs,
        rateSec: DEFAULT_RATE_SEC,
        stepSec: input.stepSec ?? DEFAULT_STEP_SEC,
        timeoutMs: input.timeoutMs,
      });
      const values = a.values.map(({ where, value }) => ({ where, value }));
      signals.push(values.length > 0 ? { ...base, values } : { ...base, values, note: a.emptySeries > 0 ? 'no value (nothing to divide)' : 'none recorded' });
    } catch (err) {
      if (err instanceof PromQueryError) {
        signals.push({ ...base, values: [], note: err.message });
      } else {
        unreachable = unreachableNote(promUrl, err);
        signals.push({ ...base, values: [], note: unreachable });
      }
    }
  }
  return signals;
}

/** `SFU packet loss: 0.2 % (outgoing), 0 % (incoming)` — one line per signal. */
export function contextLines(signals: readonly ContextSignal[]): string[] {
  return signals.map((s) => {
    if (s.values.length === 0) return `${s.title}: ${s.note ?? 'none recorded'}`;
    const unit = s.unit ? (s.unit === '/s' ? '/s' : ` ${s.unit}`) : '';
    const parts = s.values.map((v) => `${v.value.toLocaleString('en-US', { maximumFractionDigits: 3 })}${unit} (${v.where})`);
    return `${s.title}: ${parts.join(', ')}`;
  });
}

// ---- shared -----------------------------------------------------------------------------------

async function settle(endMs: number, settleMs = DEFAULT_SETTLE_MS): Promise<void> {
  const wait = endMs + settleMs - Date.now();
  if (wait > 0) await sleep(wait);
}

/** The URL without user info: what a note may show. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function unreachableNote(url: string, err: unknown): string {
  return `Prometheus unreachable at ${displayUrl(url)}: ${errorText(err)}`;
}

/** fetch() says "fetch failed" and hides the reason in `cause`: ECONNREFUSED, a DNS error, ... */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer within the query timeout';
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  return (cause?.code ?? cause?.message ?? err.message).split('\n')[0]!;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
