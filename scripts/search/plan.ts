/**
 * What a capacity search may try: the loads on its grid and its budget. Pure.
 *
 * The grid is start, start + step, start + 2·step, … up to max (max itself is added when it is not
 * on the grid), so "within one step of the knee" is a statement about this grid.
 */

/** How the load grows while every step holds. */
export type StepUp = 'linear' | 'doubling';

export interface SearchPlan {
  /** First load measured, in the dimension's unit (sessions, requests/s, participants, rooms). */
  start: number;
  /** Resolution of the answer, same unit: the knee reported is within one step of the true one. */
  step: number;
  /** Largest load the search may apply, same unit. */
  max: number;
  /**
   * How the load grows before the first miss: `linear` one step at a time; `doubling` 1, 2, 4, …
   * steps past the last pass, then bisection back down to one step (fewer runs when the knee is
   * far above the start). Default `doubling`.
   */
  stepUp: StepUp;
  /** Runs the search may make in all, re-measures included. Default 12. */
  maxRuns: number;
  /** Wall-clock budget in seconds: no run starts that would, on the runs' average so far, end past it. Default 1800. */
  budgetSec: number;
}

export const PLAN_DEFAULTS = { stepUp: 'doubling', maxRuns: 12, budgetSec: 1800 } as const satisfies Partial<SearchPlan>;

/** Grids longer than this are a typo (a step of 1 over 50,000 sessions), not a plan. */
export const MAX_GRID_POINTS = 1000;

/** The loads the search may apply, ascending. */
export function gridOf(plan: Pick<SearchPlan, 'start' | 'step' | 'max'>): number[] {
  const loads: number[] = [];
  for (let k = 0; ; k++) {
    // Multiplying (not adding) keeps fractional steps free of accumulated rounding.
    const load = Number((plan.start + k * plan.step).toPrecision(12));
    if (load > plan.max) break;
    loads.push(load);
  }
  if (loads[loads.length - 1] !== plan.max) loads.push(plan.max);
  return loads;
}

/** What is wrong with a plan, or null. `min` is the dimension's smallest valid load. */
export function planProblem(plan: SearchPlan, min = 1): string | null {
  const { start, step, max } = plan;
  for (const [name, v] of [['start', start], ['step', step], ['max', max]] as const) {
    if (!Number.isFinite(v) || v <= 0) return `--${name} must be a number > 0, got ${v}`;
  }
  if (start < min) return `--start must be ≥ ${min} for this dimension, got ${start}`;
  if (max < start) return `--max (${max}) must be ≥ --start (${start})`;
  if ((max - start) / step + 1 > MAX_GRID_POINTS) return `--start ${start} --step ${step} --max ${max} make more than ${MAX_GRID_POINTS} loads: take a larger step`;
  if (!Number.isInteger(plan.maxRuns) || plan.maxRuns < 1) return `--max-runs must be an integer ≥ 1, got ${plan.maxRuns}`;
  if (!(plan.budgetSec > 0)) return `--budget-min must be > 0, got ${plan.budgetSec / 60}`;
  return null;
}
