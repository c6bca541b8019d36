/**
 * `gomeet-capacity run` — one capacity run, start to verdict.
 *
 *  1. validate flags and the target file (bad input: one line, exit 2, nothing started)
 *  2. without --target: bring the local reference stack up (or reuse a running one)
 *  3. pre-flight checks: a failing required check → exit 2 before any load
 *     (--plan: print the runner sizing and stop, before all of this)
 *  4. make sure the pinned k6 exists; bundle the scenarios
 *  4b. media (scripts/run/media): where the rooms run, rooms created, key pair and room limit checked
 *  5. run N k6 runners together (comprehensive scenario, shapes from the profile, meetings made once;
 *     scripts/run/load) — or, with --cluster, a k6-operator TestRun (scripts/cluster); the watcher
 *     stops them all on a critical row crossed over all their samples; Ctrl-C stops them gracefully;
 *     the SFU rooms (bots + browser probes) run alongside, or after, per profile.sfu.phase
 *  6. Node judges: all runners' samples in InfluxDB (or the one runner's summary) → observations →
 *     verdict → verdict.json, report.md, junit.xml, report.html
 *  7. print the table; exit 0 GO/WARN · 1 NO_GO · 2 usage · 3 INCONCLUSIVE
 */
import { mkdir } from 'node:fs/promises';
import { loadTarget, type Target } from '../lib/config/target.ts';
import { PROFILES } from '../lib/profiles.ts';
import { blockingFailures, formatCheck, preflightChecks, runChecks } from '../infra-smoke/preflight.ts';
import { renderTerminal } from '../reports/render-terminal.ts';
import { buildVerdict, exitCodeFor } from '../reports/verdict.ts';
import { writeReports } from '../reports/write.ts';
import { effectiveRows } from '../thresholds/effective.ts';
import { THRESHOLD_TABLE } from '../thresholds/table.ts';
import { bundleScenarios } from './bundle.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { checkRunnersAgainstTarget, runObservedLoad } from './run/load/observed-load.ts';
import { parseRunFlags, type RunFlags } from './run/options.ts';
import { formatSizing, readSizingBasis, sizeRunners } from './run/plan-sizing.ts';
import { gatesMedia, prepareMediaStep, type MediaOutcome } from './run/media/media-step.ts';
import { formatMediaSizing, readMediaSizingBasis, sizeMedia } from './run/media/sizing.ts';
import { log } from './run/progress.ts';
import { resolveTarget } from './run/target-source.ts';
import { ensureK6 } from './tools/k6.ts';

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

  const source = await resolveTarget(given, { keepStack: opts.keepStack });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let mediaWithLoad: Promise<MediaOutcome> | undefined;
  try {
    const { target, env } = source;
    log('preflight', `checking ${target.name} before any load`);
    const results = await runChecks(preflightChecks(target, env, { prometheusRequired: false, livekitRequired: gatesMedia(profile) }));
    for (const r of results) console.log(formatCheck(r));
    const blocking = blockingFailures(results);
    if (blocking.length > 0) {
      throw new UsageError(`pre-flight failed (${blocking.map((b) => b.name).join(', ')}): no load sent`);
    }

    const k6Path = await ensureK6();
    const scripts = await bundleScenarios();
    const script = scripts.find((s) => s.endsWith('comprehensive.js'));
    if (!script) throw new Error('bundle produced no comprehensive.js');

    await mkdir(opts.outDir, { recursive: true });
    const plannedConnections = profile.websocket.connections;
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: profile.gates, plannedConnections });
    const media = await prepareMediaStep({ target, env, localStack: !given, profile, runId: opts.runId, rows, outDir: opts.outDir, k6Path, onLine: (line) => log('media', line) });
    mediaWithLoad = media.phase === 'with-load' ? media.run() : undefined;
    log('load', `k6 ${opts.profile} against ${target.name} (run ${opts.runId})`);
    const loadInput = { k6Path, script, runId: opts.runId, profile, runners, target, env, rows, outDir: opts.outDir, onLine: log };
    const loaded = opts.cluster
      ? await (await import('./cluster/testrun-run.ts')).runClusterLoad({ ...loadInput, cluster: opts.cluster })
      : await runObservedLoad(loadInput);
    if (!loaded) return EXIT.go; // --cluster --dry-run: printed, nothing applied, nothing to judge
    const mediaOutcome: MediaOutcome = await (mediaWithLoad ?? media.run());
    const observations = new Map([...loaded.observations, ...mediaOutcome.observations]);
    const { startedAt } = loaded;
    const endedAt = new Date(Math.max(loaded.endedAt.getTime(), Date.now()));
    // An operator's Ctrl-C is an interrupt, not an abort — unless the watcher had already stopped the run.
    const aborted = (loaded.facts.aborted && (!interrupted || !!loaded.watch?.crossing)) || !!mediaOutcome.loopbackViolation;
    const abortReason = mediaOutcome.loopbackViolation ? `media left 127.0.0.0/8: ${mediaOutcome.loopbackViolation}` : loaded.facts.abortReason;
    const saturated = [loaded.facts.generatorSaturated?.reason, mediaOutcome.saturated?.reason].filter(Boolean);
    const verdict = buildVerdict({
      rows,
      gates: profile.gates,
      observations,
      facts: {
        aborted,
        abortReason: aborted ? abortReason : undefined,
        generatorSaturated: saturated.length ? { reason: saturated.join('; ') } : undefined,
        interrupted,
      },
      meta: {
        profile: opts.profile,
        target: target.name,
        runId: opts.runId,
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
      },
    });
    const paths = await writeReports(opts.outDir, verdict);
    console.log('');
    console.log(renderTerminal(verdict));
    console.log(`reports: ${paths.join('  ')}`);
    return exitCodeFor(verdict, opts.gate);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The rooms end by themselves (bounded); the stack they use must outlive them.
    await mediaWithLoad;
    await source.release();
  }
}

export { EXIT };
