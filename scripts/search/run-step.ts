/**
 * One step of a search = one real capacity run: the base profile with the dimension's knob at the
 * load, through `executeRun` — the same pre-flight, load, thresholds and verdict as `run`, never a
 * different path. Each step's reports stay in <search out>/steps/<nn>-<load>/.
 */
import { join, relative } from 'node:path';
import type { Target } from '../../lib/config/target.ts';
import type { Profile } from '../../lib/profiles.ts';
import type { Verdict } from '../../reports/verdict.ts';
import type { Dimension } from './dimensions.ts';
import type { MeasureStep } from './loop.ts';
import { detailOf, outcomeOf, type StepDetail } from './step-record.ts';

/** What a step asks of a run (scripts/run/execute.ts executeRun's options). */
export interface StepRunOptions {
  profile: Profile;
  /** Undefined: the local reference stack (which `search` has made sure is up). */
  target?: Target;
  outDir: string;
  runId: string;
  gate: 'normal' | 'strict';
  quiet?: boolean;
}

export type ExecuteRun = (options: StepRunOptions) => Promise<{ verdict: Verdict; outDir: string }>;

export interface StepRunnerInput {
  execute: ExecuteRun;
  dimension: Dimension;
  base: Profile;
  target?: Target;
  /** The search's output directory. */
  searchOut: string;
  searchId: string;
  /** Print each step's own output (k6 progress and the verdict table); default quiet. */
  verbose?: boolean;
  onLine: (line: string) => void;
}

export function stepRunner(input: StepRunnerInput): MeasureStep<StepDetail> {
  const { dimension, base, searchOut } = input;
  return async (load, why, index) => {
    const nn = String(index).padStart(2, '0');
    const profile = dimension.apply(base, load);
    const outDir = join(searchOut, 'steps', `${nn}-${load}`);
    input.onLine(`run ${index}: ${load.toLocaleString('en-US')} ${dimension.unit} (${why})`);
    const { verdict } = await input.execute({ profile, target: input.target, outDir, runId: `${input.searchId}-${nn}`, gate: 'normal', quiet: !input.verbose });
    const detail = detailOf(verdict, relative(searchOut, outDir));
    const rows = detail.rows.map((r) => `${r.id}=${r.observed ?? '—'} ${r.status}`).join(', ');
    input.onLine(`run ${index}: ${verdict.verdict} — ${rows}`);
    return { outcome: outcomeOf(verdict), detail };
  };
}
