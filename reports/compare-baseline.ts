/**
 * A finished run against its baseline, in one call: compare (steady state, noise floors), find the
 * regressions of gated rows beyond their tolerance, and put them in the verdict (GO → WARN). Used by
 * `run --baseline DIR|last-go` at the end of a run and by `report render --baseline`.
 *
 * Resolve the baseline (history.ts resolveBaseline) BEFORE sending load, so a missing baseline is a
 * usage error (exit 2), not a surprise after ten minutes of load.
 */
import { compareRuns, type Comparison, type NoiseFloors } from './compare.ts';
import { regressionsOf, type Tolerances } from './compare-regressions.ts';
import { loadRunRecord } from './history.ts';
import type { RunSeries } from './series.ts';
import { applyRegressions, type Verdict } from './verdict.ts';

export interface BaselineInput {
  /** The baseline run's output directory (resolveBaseline's answer). */
  baselineDir: string;
  /** The new run's verdict (before regressions) and series. */
  verdict: Verdict;
  series?: RunSeries;
  noiseFloors?: Partial<NoiseFloors>;
  tolerances?: Partial<Tolerances>;
}

export async function compareWithBaseline(input: BaselineInput): Promise<{ verdict: Verdict; comparison: Comparison }> {
  const base = await loadRunRecord(input.baselineDir);
  const comparison = compareRuns(base, { verdict: input.verdict, ...(input.series ? { series: input.series } : {}) }, { noiseFloors: input.noiseFloors });
  const gated = new Set<string>(input.verdict.rows.filter((r) => r.gated).map((r) => r.id));
  const regressions = regressionsOf(comparison, gated, input.tolerances);
  return { comparison, verdict: applyRegressions(input.verdict, regressions, { runId: base.verdict.runId, path: input.baselineDir }) };
}
