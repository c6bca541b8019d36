/**
 * One PromQL query over one time window → one value per series, the way thresholds/queries.ts
 * says (`max`: the highest of an instant level evaluated every step; `window`: one evaluation at
 * the window's end of a query that aggregates over `$window` itself). Shared by the row observer
 * and the context signals (observe-prometheus.ts). Errors are thrown: the caller knows whether a
 * refused query or an unreachable Prometheus is at stake (scripts/clients/prometheus.ts).
 */
import { promQueryInstant, promQueryRange, type PromSeries } from '../scripts/clients/prometheus.ts';
import { roundNoise } from '../thresholds/effective.ts';
import { fillPlaceholders, type WindowAggregate } from '../thresholds/queries.ts';

/** Prometheus answers at most 11,000 points per series; stay well under it on long runs. */
const MAX_POINTS_PER_SERIES = 10_000;

export interface WindowQuery {
  promql: string;
  aggregate: WindowAggregate;
  /** Query answer × factor = the value's unit. */
  factor: number;
}

export interface WindowSpec {
  /** The judged window, Unix ms. */
  fromMs: number;
  toMs: number;
  /** rate() window of `max` queries, whole seconds. */
  rateSec: number;
  /** Evaluation step of `max` queries, seconds (raised on long windows to stay under Prometheus's point limit). */
  stepSec: number;
  /** The scrape interval, seconds; default `stepSec`. A `window` query reaches this much further
   *  back: increase() only sees samples inside its range, so without the last sample before the
   *  window as a baseline, what happened between it and the first sample inside would be lost. */
  scrapeSec?: number;
  timeoutMs?: number;
}

export interface SeriesValue {
  /** The series' `where` label, else its labels. */
  where: string;
  /** In the query's unit × factor. */
  value: number;
  /** When this value was seen (Unix ms): the evaluation time. */
  atMs: number;
}

export interface WindowAnswer {
  /** One value per series that had a finite one, highest first. */
  values: SeriesValue[];
  /** Series Prometheus returned without any finite value (0/0 = NaN: e.g. no sample in the window). */
  emptySeries: number;
  /** Evaluations made (1 for `window`). */
  evaluations: number;
  /** Where the evaluations ran, Unix ms (`max`: from the first to the last step). */
  evaluatedFromMs: number;
  evaluatedToMs: number;
  stepSec: number;
}

/** How a series is named in reports: its `where` label, else `k=v, …` without the metric name. */
export function whereOf(labels: Record<string, string>): string {
  if (labels.where) return labels.where;
  const pairs = Object.entries(labels).filter(([k]) => k !== '__name__');
  return pairs.length > 0 ? pairs.map(([k, v]) => `${k}=${v}`).join(', ') : '(all series summed)';
}

export async function evaluateWindow(url: string, query: WindowQuery, spec: WindowSpec): Promise<WindowAnswer> {
  const windowMs = spec.toMs - spec.fromMs;
  if (!(windowMs > 0)) throw new Error(`empty window: ${spec.fromMs} → ${spec.toMs}`);

  if (query.aggregate === 'window') {
    const reach = fillPlaceholders(query.promql, { windowMs: windowMs + (spec.scrapeSec ?? spec.stepSec) * 1000, rateSec: spec.rateSec });
    const series = await promQueryInstant(url, reach, spec.toMs, spec.timeoutMs);
    return answer(series, query.factor, { evaluations: 1, evaluatedFromMs: spec.toMs, evaluatedToMs: spec.toMs, stepSec: 0 });
  }

  // A rate() looks back $rate from each evaluation: start that far into the window so no
  // evaluation averages over the warm-up it is meant to skip (a level query needs no such delay).
  const lookBackMs = /\$rate\b/.test(query.promql) ? spec.rateSec * 1000 : 0;
  const startMs = Math.min(spec.fromMs + lookBackMs, spec.toMs);
  const stepSec = Math.max(spec.stepSec, Math.ceil((spec.toMs - startMs) / 1000 / MAX_POINTS_PER_SERIES));
  const promql = fillPlaceholders(query.promql, { windowMs, rateSec: spec.rateSec });
  const series = await promQueryRange(url, promql, { startMs, endMs: spec.toMs, stepSec }, spec.timeoutMs);
  const evaluations = Math.floor((spec.toMs - startMs) / 1000 / stepSec) + 1;
  return answer(series, query.factor, { evaluations, evaluatedFromMs: startMs, evaluatedToMs: spec.toMs, stepSec });
}

function answer(series: PromSeries[], factor: number, facts: Omit<WindowAnswer, 'values' | 'emptySeries'>): WindowAnswer {
  const values: SeriesValue[] = [];
  let emptySeries = 0;
  for (const s of series) {
    let peak: [number, number] | undefined;
    for (const p of s.points) if (!peak || p[1] > peak[1]) peak = p;
    if (!peak) {
      emptySeries++;
      continue;
    }
    values.push({ where: whereOf(s.labels), value: roundNoise(peak[1] * factor), atMs: peak[0] });
  }
  values.sort((a, b) => b.value - a.value);
  return { values, emptySeries, ...facts };
}
