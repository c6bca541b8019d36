/**
 * Regressions: a gated row's primary metric (the statistic it is judged on, e.g. p95) worse than
 * the baseline by more than a tolerance — flagged even when every target still passes, so a slow
 * drift shows up in nightly runs long before it turns into a NO-GO. verdict.ts applyRegressions()
 * turns them into the verdict's `regressions` fact (GO → WARN).
 *
 * A tolerance is per unit: the change must exceed BOTH its absolute and its relative part (a p95
 * going 3 → 5 ms is +67 % but no regression; 900 → 925 ms is +25 ms but only +2.8 %).
 */
import type { Unit } from '../thresholds/table.ts';
import { formatValue } from './format.ts';
import type { Comparison } from './compare.ts';
import type { Regression } from './verdict.ts';

export interface Tolerance {
  /** Absolute worsening allowed, in the row's unit (ms, percentage points, count, Gbps). */
  abs: number;
  /** Relative worsening allowed, in % of the base; 0 to judge on `abs` alone. */
  pct: number;
}

export type Tolerances = Record<Unit, Tolerance>;

/** +20 ms and +20 % for latency; rates by half a percentage point; counts by 5 %. */
export const DEFAULT_TOLERANCES: Tolerances = {
  ms: { abs: 20, pct: 20 },
  pct: { abs: 0.5, pct: 0 },
  count: { abs: 1, pct: 5 },
  gbps: { abs: 0.25, pct: 20 },
};

/** The comparison's worsened primary metrics of gated rows that exceed their unit's tolerance. */
export function regressionsOf(comparison: Comparison, gatedRows: ReadonlySet<string>, tolerances: Partial<Tolerances> = {}): Regression[] {
  const tol = { ...DEFAULT_TOLERANCES, ...tolerances };
  const out: Regression[] = [];
  for (const d of comparison.changed) {
    if (d.change !== 'worsened' || !d.primary || !gatedRows.has(d.rowId)) continue;
    const t = tol[d.unit];
    const worseBy = Math.abs(d.delta);
    const worsePct = d.deltaPct === null ? Number.POSITIVE_INFINITY : Math.abs(d.deltaPct);
    if (worseBy <= t.abs || worsePct <= t.pct) continue;
    out.push({
      rowId: d.rowId,
      title: d.title,
      unit: d.unit,
      metric: d.metric,
      base: d.base,
      next: d.next,
      delta: d.delta,
      deltaPct: d.deltaPct,
      tolerance: toleranceText(d.unit, t),
    });
  }
  return out;
}

export function toleranceText(unit: Unit, t: Tolerance): string {
  const abs = formatValue(unit, t.abs).replace(/ %$/, ' pp');
  return t.pct > 0 ? `${abs} and ${t.pct} %` : abs;
}
