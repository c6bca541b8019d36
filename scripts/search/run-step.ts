/**
 * One step of a search = one real capacity run: the base profile with the dimension's knob at the
 * load, through `executeRun` — the same pre-flight, load, thresholds and verdict as `run`, never a
 * different path. Each step's reports stay in <search out>/steps/<nn>-<load>/.
 */
import { join, relative } from 'node:path';
import type { Target } from '../../lib/config/target.ts';
import type { Profile } from '../../lib/profiles.ts';
import type { RowId } from '../../thresholds/table.ts';
import type { ExecuteOptions, RunOutcome } from '../run/execute.ts';
import type { Dimension } from './dimensions.ts';
import type { MeasureStep } from './loop.ts';
import { detailOf, outcomeOf, type StepDetail } from './step-record.ts';

/** How a step runs: scripts/run/execute.ts `executeRun` (the same function `run` wraps). */
export type ExecuteRun = (options: ExecuteOptions) => Promise<Pick<RunOutcome, 'verdict' | 'outDir'>>;

export interface StepRunnerInput {
  execute: ExecuteRun;
  dimension: Dimension;
  base: Profile;
  /** Seconds of steady state per step (Dimension.apply). */
  steadySec?: number;
  /** Rows every step gates instead of the dimension's (search --rows). */
  gates?: RowId[];
  target?: Target;
  /** The search's output directory. */
  searchOut: string;
  searchId: string;
  /** Print each step's own progress lines (k6, media, judgement); default quiet. */
  verbose?: boolean;
  onLine: (line: string) => void;
}

export function stepRunner(input: StepRunnerInput): MeasureStep<StepDetail> {
  const { dimension, base, searchOut } = input;
  let checksShown = false;
  return async (load, why, index) => {
    const nn = String(index).padStart(2, '0');
    const applied = dimension.apply(base, load, input.steadySec);
    const profile = input.gates ? { ...applied, gates: [...input.gates] } : applied;
    const outDir = join(searchOut, 'steps', `${nn}-${load}`);
    input.onLine(`run ${index}: ${load.toLocaleString('en-US')} ${dimension.unit} (${why})`);
    const runId = `${input.searchId}-${nn}`;
    // No history: a search step is an experiment, not a gate run. Its own lines only with --verbose.
    const quiet = input.verbose ? undefined : () => {};
    // The pre-flight table once (the first step), not once per step: the target does not change
    // between steps, and a blocking check still stops any step with its name.
    const printCheck = checksShown ? quiet : undefined;
    checksShown = true;
    const { verdict } = await input.execute({ profile, target: input.target, outDir, runId, log: quiet, printCheck });
    if (!verdict) throw new Error(`run ${runId} judged nothing`);
    const detail = detailOf(verdict, relative(searchOut, outDir));
    const rows = detail.rows.map((r) => `${r.id}=${r.observed ?? '—'} ${r.status}`).join(', ');
    input.onLine(`run ${index}: ${verdict.verdict} — ${rows}`);
    return { outcome: outcomeOf(verdict), detail };
  };
}
