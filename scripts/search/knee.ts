/**
 * The capacity search's decision: given every run so far, which load to measure next — or the
 * answer. Pure, so every edge case is a unit test and `search` only carries the decisions out.
 *
 * Modelled on mattermost-load-test-ng's coordinator (add users while every check holds, back off on
 * an alert, stop once the supported count is stable), recast for runs that each start from nothing:
 *
 *   step up     while every run passes: start, then 1 (linear) or 1, 2, 4, … (doubling) steps higher
 *   bisect      after a miss, between the largest load that passed and the smallest that missed,
 *               down to one step of the grid
 *   re-measure  a miss is believed only when a second run agrees (a single miss among passes is
 *               noise until then), and the knee only when a second run agrees too: a load's belief
 *               is the majority of its pass/miss runs, confirmed at two agreeing votes
 *               (so 2-0 or 2-1); a 1-1 tie is measured a third time
 *   stop        the largest confirmed pass next to the smallest confirmed miss: the knee;
 *               a confirmed miss at the start: "below start" (never a fake knee);
 *               a confirmed pass at max: "≥ max";
 *               runs or time used up, or a load twice INCONCLUSIVE: cannot conclude
 *
 * An INCONCLUSIVE run (missing data, saturated generator, interrupted) is never a pass: it casts no
 * vote, and a second one at the same load ends the search as inconclusive.
 */
import { gridOf, type SearchPlan } from './plan.ts';

/** A run's outcome for the search: GO is a pass; WARN and NO_GO a miss; INCONCLUSIVE says nothing. */
export type StepOutcome = 'pass' | 'miss' | 'inconclusive';

/** What the decision reads of one finished run. */
export interface Measurement {
  load: number;
  outcome: StepOutcome;
  /** Wall time of the run, ms (for the time budget). */
  durationMs: number;
}

export type SearchResult =
  /** `knee` holds (confirmed); `brokenAt`, the next load of the grid, misses (confirmed). */
  | { kind: 'knee'; knee: number; brokenAt: number }
  /** The first load of the grid already misses (confirmed): the knee is below the search's range. */
  | { kind: 'below-start'; start: number }
  /** The last load of the grid holds (confirmed): the knee, if any, is above the search's range. */
  | { kind: 'at-least-max'; max: number }
  /** No answer; what is known so far (tentative figures included) is kept. */
  | { kind: 'inconclusive'; reason: string; holdsAtLeast?: number; missesAt?: number };

export type Decision = { kind: 'measure'; load: number; why: string } | { kind: 'done'; result: SearchResult };

/** INCONCLUSIVE runs at one load before the search gives up on it. */
export const MAX_INCONCLUSIVE_PER_LOAD = 2;
/** Agreeing votes that make a belief confirmed. */
const CONFIRMING_VOTES = 2;

type Belief = 'pass' | 'miss' | 'tie' | 'unknown';

interface Tally {
  pass: number;
  miss: number;
  inconclusive: number;
}

function beliefOf(t: Tally): Belief {
  if (t.pass > t.miss) return 'pass';
  if (t.miss > t.pass) return 'miss';
  return t.pass > 0 ? 'tie' : 'unknown';
}

function confirmed(t: Tally): boolean {
  const b = beliefOf(t);
  return (b === 'pass' && t.pass >= CONFIRMING_VOTES) || (b === 'miss' && t.miss >= CONFIRMING_VOTES);
}

/**
 * The next decision. `elapsedMs` is the search's wall time so far; a run is started only if,
 * at the average duration of the runs so far, it would end within the budget.
 */
export function decideNext(plan: SearchPlan, measurements: readonly Measurement[], elapsedMs: number): Decision {
  const { grid, tallies, beliefs, lo, hi } = bracketOf(plan, measurements);
  const known = () => knownOf(grid, lo, hi);

  const proposal = propose();
  if (proposal.kind === 'done') return proposal;
  const i = grid.indexOf(proposal.load);
  if (tallies[i]!.inconclusive >= MAX_INCONCLUSIVE_PER_LOAD) {
    return done({ kind: 'inconclusive', reason: `${grid[i]} was INCONCLUSIVE ${tallies[i]!.inconclusive} times: no run there judged every gated row`, ...known() });
  }
  if (measurements.length >= plan.maxRuns) {
    return done({ kind: 'inconclusive', reason: `all ${plan.maxRuns} runs used before the knee was confirmed (next: ${proposal.why})`, ...known() });
  }
  const averageMs = measurements.length ? measurements.reduce((s, m) => s + m.durationMs, 0) / measurements.length : 0;
  if (elapsedMs + averageMs > plan.budgetSec * 1000) {
    return done({ kind: 'inconclusive', reason: `time budget of ${plan.budgetSec} s would be exceeded by another run (runs take ${Math.round(averageMs / 1000)} s)`, ...known() });
  }
  return proposal;

  function propose(): Decision {
    // A 1-1 tie inside the bracket is the next thing to settle: it is where the answer lies.
    for (let i = lo + 1; i < hi; i++) {
      if (beliefs[i] === 'tie') return measure(i, 'tie-break: one pass and one miss here');
    }
    // A retry of an INCONCLUSIVE run comes before anything else at that load.
    const last = measurements[measurements.length - 1];
    if (last?.outcome === 'inconclusive') {
      const i = grid.indexOf(last.load);
      if (i > lo && i < hi) return measure(i, 'retry: the last run here was INCONCLUSIVE');
    }
    if (hi === grid.length) {
      // Nothing missed: climb, and once at max, make sure of it.
      if (lo === grid.length - 1) {
        return confirmed(tallies[lo]!) ? done({ kind: 'at-least-max', max: grid[lo]! }) : measure(lo, 'confirm: max held once');
      }
      const next = lo < 0 ? 0 : Math.min(grid.length - 1, plan.stepUp === 'doubling' ? 2 * lo + 1 : lo + 1);
      return measure(next, lo < 0 ? 'start' : 'step up: every run so far held');
    }
    if (hi - lo === 1) {
      if (!confirmed(tallies[hi]!)) return measure(hi, 're-measure the miss before believing it');
      if (lo < 0) return done({ kind: 'below-start', start: grid[0]! });
      if (!confirmed(tallies[lo]!)) return measure(lo, 'confirm the knee');
      return done({ kind: 'knee', knee: grid[lo]!, brokenAt: grid[hi]! });
    }
    const mid = Math.floor((lo + hi) / 2);
    return measure(mid, `bisect between ${lo < 0 ? 'nothing' : grid[lo]} held and ${grid[hi]} missed`);
  }

  function measure(i: number, why: string): Decision {
    return { kind: 'measure', load: grid[i]!, why };
  }
}

/** What the runs so far say, tentative beliefs included: the largest load that held below the
 *  smallest that missed. For a search that ends early (interrupted, budget). */
export function knownSoFar(plan: SearchPlan, measurements: readonly Measurement[]): { holdsAtLeast?: number; missesAt?: number } {
  const { grid, lo, hi } = bracketOf(plan, measurements);
  return knownOf(grid, lo, hi);
}

/**
 * Tallies and beliefs per grid load, and the bracket: `hi` the smallest load believed to miss
 * (grid.length when none), `lo` the largest believed to pass below it (-1 when none).
 */
function bracketOf(plan: SearchPlan, measurements: readonly Measurement[]) {
  const grid = gridOf(plan);
  const tallies = grid.map((): Tally => ({ pass: 0, miss: 0, inconclusive: 0 }));
  for (const m of measurements) {
    const i = grid.indexOf(m.load);
    if (i < 0) throw new Error(`measured load ${m.load} is not on the grid ${grid.join(', ')}`);
    tallies[i]![m.outcome]++;
  }
  const beliefs = tallies.map(beliefOf);
  const firstMiss = beliefs.indexOf('miss');
  const hi = firstMiss < 0 ? grid.length : firstMiss;
  let lo = -1;
  for (let i = hi - 1; i >= 0; i--) {
    if (beliefs[i] === 'pass') {
      lo = i;
      break;
    }
  }
  return { grid, tallies, beliefs, lo, hi };
}

function knownOf(grid: readonly number[], lo: number, hi: number): { holdsAtLeast?: number; missesAt?: number } {
  return { ...(lo >= 0 ? { holdsAtLeast: grid[lo] } : {}), ...(hi < grid.length ? { missesAt: grid[hi] } : {}) };
}

function done(result: SearchResult): Decision {
  return { kind: 'done', result };
}
