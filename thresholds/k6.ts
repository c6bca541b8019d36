/**
 * The table → k6 `options.thresholds`. Pure (no Node, no k6 imports): bundled into the scenarios.
 *
 * For every gated row whose source is a k6 metric:
 *   - the target becomes a plain condition           e.g. `p(95)<200`
 *   - the critical becomes an abort condition         e.g. `{ threshold: 'p(95)<=500', abortOnFail, delayAbortEval: '20s' }`
 * both written as conditions that must HOLD (k6 fails a threshold whose expression is false), with
 * the boundary semantics of thresholds/boundaries.ts: 500 ms exactly has not crossed ">500ms".
 * Row values are converted to k6's unit by the source's `factor` (pct row 1 → k6 rate 0.01).
 *
 * Several conditions on one metric go in ONE array under one key: an object literal with a
 * duplicate key silently keeps only the last one. A threshold also makes k6 keep a submetric
 * (`http_req_duration{scenario:api}`) in handleSummary's data, so every gated k6 metric gets one.
 */
import { targetOperator, withinCriticalOperator } from './boundaries.ts';
import { effectiveRows, roundNoise, type ThresholdPlan } from './effective.ts';
import type { ThresholdRow } from './table.ts';

export { effectiveRows, type ThresholdPlan } from './effective.ts';

/** One k6 threshold condition: an expression, or an expression with abort settings. */
export type K6ThresholdCondition =
  | string
  | { threshold: string; abortOnFail: boolean; delayAbortEval: string };

/** k6 `options.thresholds`: metric key (with optional tag filter) → its conditions. */
export type K6Thresholds = Record<string, K6ThresholdCondition[]>;

/** The api scenario's dropped iterations: reports/observe-k6.ts reads it to tell whether the
 *  generator held the open-model rate. k6 only keeps a tagged submetric that a threshold names. */
export const API_DROPPED_ITERATIONS = 'dropped_iterations{scenario:api}';

/** k6 `options.summaryTrendStats` every scenario sets: `count` is what lets reports/observe-k6.ts
 *  tell a Trend with no samples (k6 writes all zeros and passes its thresholds!) from a real one. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

export function k6Thresholds(rows: readonly ThresholdRow[], plan: ThresholdPlan): K6Thresholds {
  const thresholds: K6Thresholds = {};
  const add = (metric: string, condition: K6ThresholdCondition) => {
    (thresholds[metric] ??= []).push(condition);
  };
  for (const row of effectiveRows(rows, plan)) {
    if (!plan.gates.includes(row.id) || row.source.kind !== 'k6') continue;
    const { metric, stat } = row.source;
    const factor = row.source.factor ?? 1;
    const inK6Units = (value: number) => k6Number(value / factor);
    add(metric, `${stat}${targetOperator(row.direction)}${inK6Units(row.target)}`);
    add(metric, {
      threshold: `${stat}${withinCriticalOperator(row.direction)}${inK6Units(row.critical)}`,
      abortOnFail: row.abortOnCritical,
      delayAbortEval: `${row.warmupSec}s`,
    });
  }
  // Always true: it only asks k6 to keep the api scenario's dropped-iteration count in the summary.
  if (!thresholds[API_DROPPED_ITERATIONS]) add(API_DROPPED_ITERATIONS, 'count>=0');
  return thresholds;
}

/** A number as k6's threshold parser accepts it: plain decimal, never exponent notation. */
export function k6Number(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`threshold value must be finite, got ${value}`);
  const rounded = roundNoise(value);
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  return rounded.toFixed(20).replace(/\.?0+$/, '');
}
