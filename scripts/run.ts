/**
 * `gomeet-capacity run` — one capacity run, start to verdict, for the command line.
 *
 *  1. validate flags and the target file (bad input: one line, exit 2, nothing started)
 *     (--plan: print the runner and media sizing for the profile and stop, sending nothing)
 *  2. executeRun (run/execute.ts): local stack if no --target, pre-flight, load, judgement, reports
 *  3. print the table; exit 0 GO/WARN · 1 NO_GO · 2 usage · 3 INCONCLUSIVE
 */
import { loadTarget, type Target } from '../lib/config/target.ts';
import { PROFILES } from '../lib/profiles.ts';
import { DEFAULT_HISTORY_DIR, loadRunRecord } from '../reports/history.ts';
import { renderTerminal } from '../reports/render-terminal.ts';
import { exitCodeFor } from '../reports/verdict.ts';
import { EXIT } from './exit-codes.ts';
import { executeRun } from './run/execute.ts';
import { checkRunnersAgainstTarget } from './run/load/observed-load.ts';
import { formatMediaSizing, readMediaSizingBasis, sizeMedia } from './run/media/sizing.ts';
import { parseRunFlags, type RunFlags } from './run/options.ts';
import { checkProductionSafety } from './run/production-guard.ts';
import { log } from './run/progress.ts';
import { formatSizing, readSizingBasis, sizeRunners } from './run/plan-sizing.ts';

export async function runCommand(flags: RunFlags): Promise<number> {
  const opts = parseRunFlags(flags);
  const profile = PROFILES[opts.profile];
  if (opts.planOnly) {
    console.log(formatSizing(sizeRunners(profile, await readSizingBasis())));
    console.log(formatMediaSizing(sizeMedia(profile, await readMediaSizingBasis())));
    return EXIT.go;
  }
  // A given target file is validated before anything starts; the local stack writes a valid one.
  const given: Target | undefined = opts.targetFile ? await loadTarget(opts.targetFile) : undefined;
  const runners = opts.runners ?? profile.runners;
  if (given) checkRunnersAgainstTarget(runners, given);
  // environment: production needs --confirm-production, and is capped at smoke size unless lifted.
  const safety = given ? checkProductionSafety(given, profile, opts.production, 'run') : undefined;
  if (safety) log('safety', safety);
  // A baseline directory that is not a run is bad input: refuse it now, before a stack or a check starts.
  if (opts.baseline && opts.baseline !== 'last-go') await loadRunRecord(opts.baseline);

  const outcome = await executeRun({
    profile,
    target: given,
    outDir: opts.outDir,
    runId: opts.runId,
    runners,
    cluster: opts.cluster,
    keepStack: opts.keepStack,
    baseline: opts.baseline,
    historyDir: opts.historyDir ?? DEFAULT_HISTORY_DIR,
    webDashboard: opts.webDashboard,
  });
  if (!outcome.verdict) return EXIT.go; // --cluster --dry-run: printed, nothing applied, nothing to judge
  console.log('');
  if (outcome.context.length > 0) console.log(['server context (not gated):', ...outcome.context.map((c) => `  ${c}`)].join('\n'));
  console.log(renderTerminal(outcome.verdict));
  console.log(`reports: ${outcome.reportPaths.join('  ')}`);
  return exitCodeFor(outcome.verdict, opts.gate);
}
