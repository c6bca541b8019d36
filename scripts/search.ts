/**
 * `gomeet-capacity search` — how much load before a target breaks: the knee, the row that broke
 * it, and the curve.
 *
 *  1. validate flags and the target file (bad input: one line, exit 2, nothing started)
 *  2. without --target: bring the local reference stack up once (or reuse a running one); every
 *     step reuses it, and it is stopped at the end only if the search started it
 *  3. the loop (scripts/search/knee.ts decides, loop.ts keeps the record): the base profile with
 *     the dimension's knob at the load (dimensions.ts), run through executeRun — pre-flight, k6
 *     (and the SFU rooms for the sfu dimensions), thresholds, verdict, the run's own reports in
 *     steps/<nn>-<load>/; GO is a pass, WARN and NO_GO a miss, INCONCLUSIVE no vote
 *  4. search.json, search.md, search.html in the output directory; the table and the answer printed
 *  5. exit 0 knee found or ≥ max · 1 below start (the first load already misses a target)
 *     · 2 bad input or a target unusable before any load · 3 the search could not conclude
 *     (runs or time used up, a load twice INCONCLUSIVE, interrupted, a run that could not be made)
 */
import { loadTarget, type Target } from '../lib/config/target.ts';
import { PROFILES } from '../lib/profiles.ts';
import { UsageError } from './exit-codes.ts';
import { executeRun } from './run/execute.ts';
import { checkProductionSafety } from './run/production-guard.ts';
import { log } from './run/progress.ts';
import { exitCodeOf } from './search/exit-code.ts';
import { searchLoop, type SearchOutcome } from './search/loop.ts';
import { parseSearchFlags, type SearchFlags } from './search/options.ts';
import { gridOf } from './search/plan.ts';
import { renderSearchMarkdown } from './search/render-markdown.ts';
import { buildSearchReport, type SearchReport } from './search/report.ts';
import { stepRunner } from './search/run-step.ts';
import type { StepDetail } from './search/step-record.ts';
import { writeSearchReports } from './search/write.ts';
import { ensureLocalStack, stopLocalStack } from './stack/local-stack.ts';

export interface SearchCommandFlags extends SearchFlags {
  /** Print every step's own output (k6 progress, the run's verdict table). */
  verbose?: boolean;
}

export async function searchCommand(flags: SearchCommandFlags): Promise<number> {
  const opts = parseSearchFlags(flags);
  const given: Target | undefined = opts.targetFile ? await loadTarget(opts.targetFile) : undefined;
  const { dimension, plan } = opts;
  const base = PROFILES[opts.baseProfile];
  const grid = gridOf(plan);
  // environment: production needs --confirm-production; the largest step is capped at smoke size unless lifted.
  const safety = given ? checkProductionSafety(given, dimension.apply(base, plan.max, opts.steadySec), flags, 'search') : undefined;
  if (safety) log('safety', safety);
  log('search', `${dimension.name}: ${dimension.knob} over ${grid.join(', ')} ${dimension.unit} (${plan.stepUp} step-up, ≤ ${plan.maxRuns} runs, ≤ ${plan.budgetSec} s); gates ${opts.gates.join(', ')}`);

  let release = async () => {};
  if (!given) {
    log('stack', 'no --target: using the local reference stack for every step');
    const stack = await ensureLocalStack({ onProgress: (line: string) => log('stack', line) });
    if (stack.startedByUs && !opts.keepStack) release = () => stopLocalStack();
  }
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log('search', 'interrupt: the current run stops and is judged INCONCLUSIVE; no further run starts');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const startedAt = new Date();
  let outcome: SearchOutcome<StepDetail>;
  try {
    const measure = stepRunner({
      execute: executeRun,
      dimension,
      base,
      steadySec: opts.steadySec,
      gates: opts.gates,
      target: given,
      searchOut: opts.outDir,
      searchId: opts.searchId,
      verbose: flags.verbose,
      onLine: (line) => log('search', line),
    });
    outcome = await searchLoop(plan, measure, { stopRequested: () => (interrupted ? 'interrupted by the operator' : undefined) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await release();
  }
  const { result, steps, error } = outcome;
  // Bad input found by the first run, before any load: the usual one line and exit 2, no report.
  if (error instanceof UsageError && steps.length === 0) throw error;
  const report: SearchReport = buildSearchReport({
    dimension: dimension.name,
    unit: dimension.unit,
    knob: dimension.knob,
    baseProfile: base.name,
    target: given?.name ?? 'local-reference',
    plan,
    grid,
    gates: opts.gates,
    startedAt,
    endedAt: new Date(),
    result,
    steps,
  });
  const paths = await writeSearchReports(opts.outDir, report);
  console.log('');
  console.log(renderSearchMarkdown(report));
  console.log(`search reports: ${paths.join('  ')}`);
  if (error) console.error(`error: ${result.kind === 'inconclusive' ? result.reason : String(error)}`);
  return exitCodeOf(result);
}
