/**
 * A search step as the search keeps it: the run's verdict reduced to what the search decides on
 * (pass / miss / inconclusive) and what its report shows (each gated row's observed value and
 * status). Pure.
 *
 *   GO            pass — every gated row met its target
 *   WARN, NO_GO   miss — a gated row missed its target or crossed its critical, or the run was aborted
 *   INCONCLUSIVE  inconclusive — a gated row had no data, the generator saturated, or the run was
 *                 interrupted: it says nothing about the load, so it is never a pass
 */
import type { Direction, RowId, Unit } from '../../thresholds/table.ts';
import type { RowStatus, Verdict, VerdictName } from '../../reports/verdict.ts';
import type { StepOutcome } from './knee.ts';

/** A gated row of one step's verdict. */
export interface StepRow {
  id: RowId;
  title: string;
  unit: Unit;
  direction: Direction;
  /** The step's effective target and critical (connection rows scale with the load). */
  target: number;
  critical: number;
  observed: number | null;
  status: RowStatus;
}

export interface StepDetail {
  runId: string;
  /** The run's own report directory, relative to the search's output directory. */
  outDir: string;
  verdict: VerdictName;
  /** The verdict's reasons, most serious first. */
  reasons: string[];
  /** Gated rows only, in the table's order. */
  rows: StepRow[];
}

export function outcomeOf(verdict: Pick<Verdict, 'verdict'>): StepOutcome {
  switch (verdict.verdict) {
    case 'GO':
      return 'pass';
    case 'WARN':
    case 'NO_GO':
      return 'miss';
    case 'INCONCLUSIVE':
      return 'inconclusive';
  }
}

export function detailOf(verdict: Verdict, outDir: string): StepDetail {
  return {
    runId: verdict.runId,
    outDir,
    verdict: verdict.verdict,
    reasons: [...verdict.reasons],
    rows: verdict.rows
      .filter((r) => r.gated)
      .map((r) => ({ id: r.id, title: r.title, unit: r.unit, direction: r.direction, target: r.target, critical: r.critical, observed: r.observed, status: r.status })),
  };
}
