/**
 * `gomeet-capacity run` — one capacity run, start to verdict.
 *
 *  1. validate flags and the target file (bad input: one line, exit 2, nothing started)
 *  2. without --target: bring the local reference stack up (or reuse a running one)
 *  3. pre-flight checks: a failing required check → exit 2 before any load
 *  4. make sure the pinned k6 exists; bundle the scenarios
 *  5. run k6 (comprehensive scenario, shapes from the profile); Ctrl-C stops it gracefully
 *  6. Node judges: k6 summary → observations → verdict → verdict.json, report.md, junit.xml, report.html
 *  7. print the table; exit 0 GO/WARN · 1 NO_GO · 2 usage · 3 INCONCLUSIVE
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTarget, signalingUrls, type Target } from '../lib/config/target.ts';
import type { Plan } from '../lib/gomeet/plan.ts';
import { PROFILES } from '../lib/profiles.ts';
import { blockingFailures, formatCheck, preflightChecks, runChecks } from '../infra-smoke/preflight.ts';
import { generatorSaturation, observeFromK6Summary } from '../reports/observe-k6.ts';
import { renderTerminal } from '../reports/render-terminal.ts';
import { buildVerdict, exitCodeFor } from '../reports/verdict.ts';
import { writeReports } from '../reports/write.ts';
import { effectiveRows } from '../thresholds/effective.ts';
import { THRESHOLD_TABLE } from '../thresholds/table.ts';
import { bundleScenarios } from './bundle.ts';
import { runK6 } from './clients/k6.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { dropCountsOfCutShortRun, k6RunDurationMs } from './run/cut-short.ts';
import { parseRunFlags, type RunFlags } from './run/options.ts';
import { log } from './run/progress.ts';
import { resolveTarget } from './run/target-source.ts';
import { ensureK6 } from './tools/k6.ts';

export async function runCommand(flags: RunFlags): Promise<number> {
  const opts = parseRunFlags(flags);
  const profile = PROFILES[opts.profile];
  // A given target file is validated before anything starts; the local stack writes a valid one.
  const given: Target | undefined = opts.targetFile ? await loadTarget(opts.targetFile) : undefined;

  const source = await resolveTarget(given, { keepStack: opts.keepStack });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { target, env } = source;
    log('preflight', `checking ${target.name} before any load`);
    const results = await runChecks(preflightChecks(target, env, { prometheusRequired: false }));
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
    const summaryPath = join(opts.outDir, 'k6-summary.json');
    const plan: Plan = {
      runId: opts.runId,
      runner: { id: 0, count: 1 },
      profile,
      gates: profile.gates,
      target: {
        name: target.name,
        apiBaseUrl: target.api.baseUrl,
        signalingUrls: signalingUrls(target),
        users: target.auth.users,
        passwordEnv: target.auth.passwordEnv,
      },
    };
    const startedAt = new Date();
    log('load', `k6 ${opts.profile} against ${target.name} (run ${opts.runId})`);
    const k6 = await runK6({
      k6Path,
      script,
      summaryPath,
      env: {
        GOMEET_PLAN: JSON.stringify(plan),
        [target.auth.passwordEnv]: env[target.auth.passwordEnv] ?? '',
      },
      logPath: join(opts.outDir, 'k6.log'),
      onLine: (line) => log('k6', line),
    });
    const endedAt = new Date();

    const summary = await readSummary(summaryPath);
    const plannedConnections = profile.websocket.connections;
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: profile.gates, plannedConnections });
    const observations = summary
      ? dropCountsOfCutShortRun(observeFromK6Summary(summary, rows, profile.gates), profile, k6RunDurationMs(summary))
      : new Map();
    const saturation = summary ? generatorSaturation(summary, { profile }) : undefined;
    // k6 killed by a signal or silent: the run did not finish the way it planned.
    const aborted = !interrupted && (k6.signal !== null || !summary);
    const verdict = buildVerdict({
      rows,
      gates: profile.gates,
      observations,
      facts: {
        aborted,
        abortReason: !summary ? `k6 wrote no summary (exit ${k6.exitCode})` : undefined,
        generatorSaturated: saturation,
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
    await source.release();
  }
}

async function readSummary(path: string): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export { EXIT };
