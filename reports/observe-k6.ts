/**
 * Observations from k6's handleSummary data (one runner's `JSON.stringify(data)`).
 *
 * k6 happily writes numbers that are not measurements, and passes thresholds on them (see
 * test/fixtures/k6/README.md): an empty Trend is all zeros, refused requests are timed 0 ms, a
 * never-incremented Counter is `count: 0`. Each of those becomes `observed: null` with a note —
 * except a zero count on a higher-is-better row, which can only fail and so is reported as 0.
 *
 * Client-side rows over several runners come from InfluxDB instead (observe-influx.ts); both
 * produce the same Observation type.
 */
import { z } from 'zod';
import type { ApiLoad } from '../lib/profiles.ts';
import { API_DROPPED_ITERATIONS } from '../thresholds/k6.ts';
import { roundNoise } from '../thresholds/effective.ts';
import type { RowId, ThresholdRow } from '../thresholds/table.ts';
import type { Observation } from './observation.ts';

const MetricSchema = z.object({
  type: z.enum(['counter', 'gauge', 'rate', 'trend']),
  contains: z.string().optional(),
  values: z.record(z.string(), z.number()),
});
type SummaryMetric = z.infer<typeof MetricSchema>;

const SummarySchema = z.object({
  metrics: z.record(z.string(), MetricSchema),
  state: z.object({ testRunDurationMs: z.number().optional() }).optional(),
});
export type K6Summary = z.infer<typeof SummarySchema>;

/** Share of the planned api iterations k6 may drop before the run says nothing about the server. */
export const MAX_DROPPED_SHARE = 0.01;

export function observeFromK6Summary(
  summary: unknown,
  rows: readonly ThresholdRow[],
  gates: readonly RowId[],
): Map<RowId, Observation> {
  const observations = new Map<RowId, Observation>();
  const parsed = SummarySchema.safeParse(summary);
  for (const row of rows) {
    if (!gates.includes(row.id) || row.source.kind !== 'k6') continue;
    if (!parsed.success) {
      observations.set(row.id, { observed: null, note: `k6 summary unreadable (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})` });
      continue;
    }
    const { metric, stat } = row.source;
    observations.set(row.id, observeMetric(parsed.data.metrics[metric], metric, stat, row.source.factor ?? 1, row));
  }
  return observations;
}

function observeMetric(
  m: SummaryMetric | undefined,
  key: string,
  stat: string,
  factor: number,
  row: ThresholdRow,
): Observation {
  if (!m) return { observed: null, note: `${key} is not in the k6 summary (no samples, or no threshold names this submetric)` };
  const samples = sampleCount(m);
  if (samples === 0) {
    if (m.type === 'counter' && row.direction === 'higher') {
      return { observed: 0, note: `${key} was never incremented` };
    }
    return { observed: null, note: `${key} has no samples` };
  }
  if (m.type === 'trend' && samples === undefined && Object.values(m.values).every((v) => v === 0)) {
    return { observed: null, note: `${key} is all zeros without a sample count: k6 writes that for an empty Trend (add 'count' to summaryTrendStats)` };
  }
  if (m.type === 'trend' && m.contains === 'time' && m.values.max === 0) {
    // k6 times requests that never got a response (refused, reset) as 0 ms: that is no latency.
    return { observed: null, note: `every sample of ${key}${samples ? ` (${samples})` : ''} is 0 ms: no request got a response` };
  }
  const value = m.values[stat];
  if (value === undefined) return { observed: null, note: `${key} has no '${stat}' in the k6 summary (summaryTrendStats must include it)` };
  return { observed: roundNoise(value * factor), ...(samples !== undefined ? { note: `${samples.toLocaleString('en-US')} samples` } : {}) };
}

/** Samples behind a metric, when k6 says: Rate passes + fails, Counter count, Trend `count` stat. */
function sampleCount(m: SummaryMetric): number | undefined {
  switch (m.type) {
    case 'rate':
      return m.values.passes !== undefined && m.values.fails !== undefined ? m.values.passes + m.values.fails : undefined;
    case 'counter':
    case 'trend':
      return m.values.count;
    case 'gauge':
      return undefined;
  }
}

/** What the summary's runner was asked to do in the api scenario. */
export interface SaturationPlan {
  /** The profile (only its api load shape is read). */
  profile: { api: Pick<ApiLoad, 'ratePerSec' | 'rampSec' | 'steadySec' | 'maxVUs'> };
  /** Share of the api load this summary's runner carried (execution segment), 0..1; default 1. */
  share?: number;
}

/** Iterations the api scenario plans: a linear ramp from 0 to the rate, then the steady state. */
export function plannedApiIterations(plan: SaturationPlan): number {
  const { ratePerSec, rampSec, steadySec } = plan.profile.api;
  return ratePerSec * (rampSec / 2 + steadySec) * (plan.share ?? 1);
}

/**
 * An open-model scenario that drops iterations did not send the planned load: the generator (CPU,
 * or maxVUs at the observed latency) was the bottleneck, so the server was not tested at the
 * profile's rate. Beyond MAX_DROPPED_SHARE of the plan the run cannot say GO.
 */
export function generatorSaturation(summary: unknown, plan: SaturationPlan): { reason: string } | undefined {
  const parsed = SummarySchema.safeParse(summary);
  if (!parsed.success) return undefined; // observeFromK6Summary already makes every k6 row "no data"
  const metrics = parsed.data.metrics;
  // Without the api submetric, the all-scenario count is an upper bound: still worth flagging.
  const scope = metrics[API_DROPPED_ITERATIONS] ? 'api' : 'all';
  const dropped = metrics[scope === 'api' ? API_DROPPED_ITERATIONS : 'dropped_iterations']?.values.count ?? 0;
  return saturationOf(dropped, scope, plan);
}

/** The saturation judgement for a count of dropped iterations, wherever it was counted (one k6
 *  summary here, every runner's samples in observe-influx.ts). `scope`: whether the count is the
 *  api scenario's own or k6's total over all scenarios. */
export function saturationOf(dropped: number, scope: 'api' | 'all', plan: SaturationPlan): { reason: string } | undefined {
  const planned = plannedApiIterations(plan);
  if (planned <= 0 || dropped <= planned * MAX_DROPPED_SHARE) return undefined;
  const { ratePerSec, maxVUs } = plan.profile.api;
  const pct = ((dropped / planned) * 100).toLocaleString('en-US', { maximumFractionDigits: 1 });
  return {
    reason:
      `${scope === 'api' ? 'api scenario' : 'k6 (all scenarios)'} dropped ${dropped.toLocaleString('en-US')} of ` +
      `${Math.round(planned).toLocaleString('en-US')} planned iterations (${pct} %): the generator or maxVUs (${maxVUs}) ` +
      `could not hold ${ratePerSec} req/s`,
  };
}
