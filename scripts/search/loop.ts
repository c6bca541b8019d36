/**
 * The search loop: ask decideNext (knee.ts) what to measure, measure it, record it, until it
 * answers. How a load is measured is the caller's (`search` runs a real capacity run per step);
 * the loop only keeps the record, the clock and the stop request. A run that cannot be made at all
 * (measure throws) ends the search as inconclusive, keeping the runs before it.
 */
import { decideNext, knownSoFar, type Measurement, type SearchResult, type StepOutcome } from './knee.ts';
import type { SearchPlan } from './plan.ts';

/** One run of the search, with whatever the measurer kept of it (`detail`). */
export interface SearchStep<T> extends Measurement {
  /** 1-based order of the run in the search. */
  index: number;
  /** Why this load was chosen (decideNext's reason). */
  why: string;
  detail: T;
}

export interface SearchLoopOptions {
  /** Clock, ms; default Date.now. */
  now?: () => number;
  /** Checked before each run: a reason (e.g. an operator's Ctrl-C) ends the search as inconclusive. */
  stopRequested?: () => string | undefined;
}

export type MeasureStep<T> = (load: number, why: string, index: number) => Promise<{ outcome: StepOutcome; detail: T }>;

export interface SearchOutcome<T> {
  result: SearchResult;
  steps: SearchStep<T>[];
  /** What `measure` threw, if a run could not be made: the search ended inconclusive on it. */
  error?: unknown;
}

export async function searchLoop<T>(plan: SearchPlan, measure: MeasureStep<T>, opts: SearchLoopOptions = {}): Promise<SearchOutcome<T>> {
  const now = opts.now ?? Date.now;
  const startedMs = now();
  const steps: SearchStep<T>[] = [];
  for (;;) {
    const decision = decideNext(plan, steps, now() - startedMs);
    if (decision.kind === 'done') return { result: decision.result, steps };
    const stop = opts.stopRequested?.();
    if (stop) {
      return { result: { kind: 'inconclusive', reason: stop, ...knownSoFar(plan, steps) }, steps };
    }
    const t0 = now();
    let measured: Awaited<ReturnType<MeasureStep<T>>>;
    try {
      measured = await measure(decision.load, decision.why, steps.length + 1);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { result: { kind: 'inconclusive', reason: `run ${steps.length + 1} at ${decision.load} could not be made: ${message}`, ...knownSoFar(plan, steps) }, steps, error };
    }
    const { outcome, detail } = measured;
    steps.push({ index: steps.length + 1, load: decision.load, why: decision.why, outcome, durationMs: now() - t0, detail });
  }
}
