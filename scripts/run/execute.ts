/**
 * One capacity run as a function: `run` wraps it for the command line; `search` calls it once per
 * step, so every step is judged by exactly the same path as a gate run.
 *
 *  1. the target: the given one, or the local reference stack (brought up if it is not running)
 *  2. pre-flight checks (infra-smoke): a failing required check → UsageError, no load sent
 *  3. baseline resolved (a missing one is a usage error, found before the load)
 *  4. the pinned k6, the bundled scenarios, the media step prepared (rooms, key pair checked)
 *  5. the load: N k6 runners (or a k6-operator TestRun) with the global-abort watcher, and the SFU
 *     rooms (bots + browser probes) alongside or after it; Ctrl-C / SIGTERM stops them gracefully
 *  6. judgement (judge.ts): observations → verdict → reports → history
 */
import { mkdir } from 'node:fs/promises';
import type { Target } from '../../lib/config/target.ts';
import type { Profile } from '../../lib/profiles.ts';
import { blockingFailures, formatCheck, preflightChecks, runChecks } from '../../infra-smoke/preflight.ts';
import { DEFAULT_HISTORY_DIR, resolveBaseline } from '../../reports/history.ts';
import { displayUrl } from '../../reports/observe-prometheus.ts';
import type { Verdict } from '../../reports/verdict.ts';
import { effectiveRows } from '../../thresholds/effective.ts';
import { THRESHOLD_TABLE } from '../../thresholds/table.ts';
import { bundleScenarios } from '../bundle.ts';
import { UsageError } from '../exit-codes.ts';
import { collectVersions } from '../report/versions.ts';
import { ensureK6 } from '../tools/k6.ts';
import { judgeRun } from './judge.ts';
import { runObservedLoad } from './load/observed-load.ts';
import { prepareMediaStep, type MediaOutcome } from './media/media-step.ts';
import { MEDIA_ROWS } from './media/observe.ts';
import type { ClusterOptions } from './options.ts';
import { log as defaultLog } from './progress.ts';
import { resolveTarget } from './target-source.ts';

export interface ExecuteOptions {
  /** The load shape (a named profile, or one a search step overrode). */
  profile: Profile;
  /** A validated target file; undefined = the local reference stack. */
  target?: Target;
  outDir: string;
  runId: string;
  /** k6 processes (execution segments); default profile.runners. */
  runners?: number;
  cluster?: ClusterOptions;
  /** Leave a local stack this run started running afterwards. */
  keepStack?: boolean;
  /** `last-go` or a run directory. */
  baseline?: string;
  /** Each local runner exports k6's web dashboard report (k6-dashboard.html). */
  webDashboard?: boolean;
  /** History index the run is appended to (and `last-go` is looked up in); undefined: not recorded
   *  (search steps are experiments, not gate runs). */
  historyDir?: string;
  /** Progress lines (phase, message); default the console. */
  log?: (phase: string, message: string) => void;
  /** Each pre-flight check's line; default the console. Search steps after the first pass a no-op:
   *  the table was printed once, and a blocking check still stops the step with its name. */
  printCheck?: (line: string) => void;
}

export interface RunOutcome {
  /** null when nothing was judged (--cluster --dry-run printed the manifests only). */
  verdict: Verdict | null;
  outDir: string;
  reportPaths: string[];
  context: string[];
}

export async function executeRun(o: ExecuteOptions): Promise<RunOutcome> {
  const log = o.log ?? defaultLog;
  const profile = o.profile;
  const runners = o.runners ?? profile.runners;
  const source = await resolveTarget(o.target, { keepStack: o.keepStack ?? false });
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
    const results = await runChecks(preflightChecks(target, env, profile));
    const printCheck = o.printCheck ?? ((line: string) => console.log(line));
    for (const r of results) printCheck(formatCheck(r));
    const blocking = blockingFailures(results);
    if (blocking.length > 0) {
      throw new UsageError(`pre-flight failed (${blocking.map((b) => b.name).join(', ')}): no load sent`);
    }
    const baselineDir = o.baseline
      ? await resolveBaseline(o.baseline, { historyDir: o.historyDir ?? DEFAULT_HISTORY_DIR, profile: profile.name, target: target.name })
      : undefined;
    const versions = collectVersions();

    const k6Path = await ensureK6();
    const scripts = await bundleScenarios();
    const script = scripts.find((s) => s.endsWith('comprehensive.js'));
    if (!script) throw new Error('bundle produced no comprehensive.js');

    await mkdir(o.outDir, { recursive: true });
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: profile.gates, plannedConnections: profile.websocket.connections });
    const media = await prepareMediaStep({
      target,
      env,
      localStack: !o.target,
      profile,
      runId: o.runId,
      rows,
      outDir: o.outDir,
      k6Path,
      onLine: (line) => log('media', line),
    });
    mediaWithLoad = media.phase === 'with-load' ? media.run() : undefined;
    log('load', `k6 ${profile.name} against ${target.name} (run ${o.runId}, ${runners} runner${runners === 1 ? '' : 's'})`);
    const loadInput = { k6Path, script, runId: o.runId, profile, runners, target, env, rows, outDir: o.outDir, onLine: log, webDashboard: o.webDashboard };
    const loaded = o.cluster
      ? await (await import('../cluster/testrun-run.ts')).runClusterLoad({ ...loadInput, cluster: o.cluster })
      : await runObservedLoad(loadInput);
    if (!loaded) return { verdict: null, outDir: o.outDir, reportPaths: [], context: [] }; // --cluster --dry-run
    // Interrupted during the k6 load: the rooms that were to follow it never start (they would hold
    // the operator's Ctrl-C for their whole bound); their rows have no data.
    const mediaOutcome: MediaOutcome = await (mediaWithLoad ?? (interrupted && media.phase === 'after-load' ? mediaNotStarted() : media.run()));
    const endedAt = new Date(Math.max(loaded.endedAt.getTime(), Date.now()));
    // An operator's Ctrl-C is an interrupt, not an abort — unless the watcher had already stopped the run.
    const aborted = (loaded.facts.aborted && (!interrupted || !!loaded.watch?.crossing)) || !!mediaOutcome.loopbackViolation;
    const abortReason = mediaOutcome.loopbackViolation ? `media left 127.0.0.0/8: ${mediaOutcome.loopbackViolation}` : loaded.facts.abortReason;
    const saturated = [loaded.facts.generatorSaturated?.reason, mediaOutcome.saturated?.reason].filter(Boolean);

    const judged = await judgeRun({
      profile,
      rows,
      target,
      runId: o.runId,
      outDir: o.outDir,
      startedAt: loaded.startedAt,
      endedAt,
      observations: new Map([...loaded.observations, ...mediaOutcome.observations]),
      facts: {
        aborted,
        abortReason: aborted ? abortReason : undefined,
        generatorSaturated: saturated.length ? { reason: saturated.join('; ') } : undefined,
        interrupted,
      },
      ...(baselineDir ? { baselineDir } : {}),
      ...(o.historyDir ? { historyDir: o.historyDir } : {}),
      info: { parameters: runParameters(profile, target, runners), versions: await versions },
      log: (line) => log('judge', line),
    });
    return { verdict: judged.verdict, outDir: o.outDir, reportPaths: judged.reportPaths, context: judged.context };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The rooms end by themselves (bounded); the stack they use must outlive them.
    await mediaWithLoad?.catch(() => undefined);
    await source.release();
  }
}

function mediaNotStarted(): MediaOutcome {
  return { observations: new Map(MEDIA_ROWS.map((id) => [id, { observed: null, note: 'the run was interrupted before the rooms started' }])) };
}

/** What report.html shows under "parameters": names, sizes and URLs — never a secret. */
function runParameters(profile: Profile, target: Target, runners: number): Record<string, string | number> {
  return {
    profile: profile.name,
    target: target.name,
    runners,
    'api rate (req/s)': profile.api.ratePerSec,
    'api steady (s)': profile.api.steadySec,
    'ws sessions planned': profile.websocket.connections,
    'ws hold (s)': profile.websocket.holdSec,
    'api base URL': displayUrl(target.api.baseUrl),
    'prometheus URL': displayUrl(target.prometheus.url),
  };
}
