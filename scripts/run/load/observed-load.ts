/**
 * The load step of `run` and what it observed — one path for one runner or N:
 *
 *   1. the run's meetings, made once (meetings.ts), go into the plan every runner gets
 *   2. N runners started together (runners.ts); with a store, the watcher judges the critical rows
 *      on all runners' samples every ~5 s and stops every runner on a crossing (../watcher.ts)
 *   3. observations: with a store, every client row over all runners' samples
 *      (reports/observe-influx.ts) — the same code for 1 runner or 50; without one (a target with
 *      no influxdb, one runner only), the runner's own summary (reports/observe-k6.ts)
 *   4. run facts: aborted by the watcher (with the row, and how long stopping everyone took), a
 *      runner broken or silent, the generator saturated
 */
import { readFile } from 'node:fs/promises';
import { signalingUrls, type Target } from '../../../lib/config/target.ts';
import type { Plan } from '../../../lib/gomeet/plan.ts';
import type { Profile } from '../../../lib/profiles.ts';
import type { Observations } from '../../../reports/observation.ts';
import { generatorSaturationFromInflux, observeFromInflux } from '../../../reports/observe-influx.ts';
import { generatorSaturation, observeFromK6Summary } from '../../../reports/observe-k6.ts';
import type { RunFacts } from '../../../reports/verdict.ts';
import type { ThresholdRow } from '../../../thresholds/table.ts';
import { influxReader } from '../../clients/influx.ts';
import { UsageError } from '../../exit-codes.ts';
import { dropCountsOfCutShortRun, k6RunDurationMs } from '../cut-short.ts';
import { describeCrossing, watchCriticalRows, type WatchReport } from '../watcher.ts';
import { createRunMeetings } from './meetings.ts';
import type { SampleStore } from './runner-args.ts';
import { runLoad, type LoadResult } from './runners.ts';

export interface ObservedLoadInput {
  k6Path: string;
  /** The bundled comprehensive scenario. */
  script: string;
  runId: string;
  profile: Profile;
  /** Runners to split the load over (profile.runners unless --runners). */
  runners: number;
  target: Target;
  /** Holds the password variable the target names. */
  env: NodeJS.ProcessEnv;
  /** Effective rows of the whole run. */
  rows: readonly ThresholdRow[];
  outDir: string;
  onLine: (phase: string, line: string) => void;
  /** Watcher period (ms); default 5 s. */
  watchEveryMs?: number;
  /** --web-dashboard: each runner exports k6's web dashboard report. */
  webDashboard?: boolean;
}

export interface ObservedLoad {
  observations: Observations;
  facts: Omit<RunFacts, 'interrupted'>;
  startedAt: Date;
  endedAt: Date;
  /** The local runners (absent for a k6-operator run). */
  load?: LoadResult;
  watch?: WatchReport;
}

/** The store every runner writes to, if the target names one. */
export function sampleStoreOf(target: Target): SampleStore | undefined {
  return target.influxdb ? { url: target.influxdb.url, database: target.influxdb.database } : undefined;
}

/** Before any load: N runners need the store, since their verdict is computed over all samples. */
export function checkRunnersAgainstTarget(runners: number, target: Target): void {
  if (runners > 1 && !sampleStoreOf(target)) {
    throw new UsageError(`--runners ${runners} needs a shared sample store: target '${target.name}' has no influxdb (add influxdb: { url: … } to the target file)`);
  }
}

export async function runObservedLoad(input: ObservedLoadInput): Promise<ObservedLoad> {
  const { target, profile, runners } = input;
  checkRunnersAgainstTarget(runners, target);
  const store = sampleStoreOf(target);
  const password = input.env[target.auth.passwordEnv] ?? '';
  const meetings = await createRunMeetings({ apiBaseUrl: target.api.baseUrl, password, targetUsers: target.auth.users, profile, runId: input.runId });
  const plan: Plan = {
    runId: input.runId,
    runner: { id: 0, count: runners },
    profile,
    gates: profile.gates,
    target: {
      name: target.name,
      apiBaseUrl: target.api.baseUrl,
      signalingUrls: signalingUrls(target),
      users: target.auth.users,
      passwordEnv: target.auth.passwordEnv,
    },
    meetings,
  };
  const client = store ? influxReader(store.url, store.database, input.env) : undefined;
  const stop = new AbortController();
  let watcher: ReturnType<typeof watchCriticalRows> | undefined;
  const startedAt = new Date();
  input.onLine('load', `${runners} k6 runner${runners === 1 ? '' : 's'}, ${store ? `samples to ${store.url} (${store.database}), verdict and abort over all of them` : "no sample store: the runner's own summary and thresholds judge"}`);
  const load = await runLoad({
    k6Path: input.k6Path,
    script: input.script,
    plan,
    runners,
    store,
    env: { [target.auth.passwordEnv]: password },
    outDir: input.outDir,
    webDashboard: input.webDashboard,
    stop: stop.signal,
    onStarted: (sinceMs) => {
      startedAt.setTime(sinceMs);
      if (client) {
        watcher = watchCriticalRows({
          client,
          runId: input.runId,
          sinceMs,
          rows: input.rows,
          gates: profile.gates,
          stop,
          everyMs: input.watchEveryMs,
          onLine: (line) => input.onLine('watcher', line),
        });
      }
    },
    onLine: (i, line) => input.onLine(runners === 1 ? 'k6' : `k6[${i}]`, line),
  });
  const watch = await watcher?.finish();
  const endedAt = new Date(load.endedAtMs);
  const summaries = await Promise.all(load.runners.map((r) => readJson(r.summaryPath)));
  const durationMs = Math.max(0, ...summaries.map((s) => k6RunDurationMs(s) ?? 0)) || undefined;

  let observations: Observations;
  let generatorSaturated: { reason: string } | undefined;
  if (client && load.startedAtMs !== undefined) {
    const window = { startMs: load.startedAtMs, endMs: load.endedAtMs };
    observations = await observeFromInflux(client, { runId: input.runId, window, rows: input.rows, gates: profile.gates });
    generatorSaturated = await generatorSaturationFromInflux(client, { runId: input.runId, window, profile }).catch(() => undefined);
  } else {
    const summary = summaries[0];
    observations = summary ? observeFromK6Summary(summary, input.rows, profile.gates) : new Map();
    generatorSaturated = summary ? generatorSaturation(summary, { profile }) : undefined;
  }
  observations = dropCountsOfCutShortRun(observations, profile, durationMs);
  return { observations, facts: { ...abortFacts(load, watch, summaries), generatorSaturated }, startedAt, endedAt, load, watch };
}

/** Why the run did not finish as planned, if it did not. */
export function abortFacts(load: LoadResult, watch: WatchReport | undefined, summaries: unknown[]): Pick<RunFacts, 'aborted' | 'abortReason'> {
  if (watch?.crossing && watch.detectedAtMs !== undefined) {
    const stoppedSec = ((load.endedAtMs - watch.detectedAtMs) / 1000).toFixed(1);
    return {
      aborted: true,
      abortReason: `critical row crossed on all runners' samples: ${describeCrossing(watch.crossing)}; all ${load.runners.length} runner(s) stopped ${stoppedSec} s after the watcher saw it`,
    };
  }
  if (load.stopReason) return { aborted: true, abortReason: load.stopReason };
  const silent = load.runners.filter((r, i) => r.result.signal !== null || !summaries[i]);
  if (silent.length > 0) {
    const r = silent[0]!;
    return { aborted: true, abortReason: `k6 runner ${r.index} wrote no summary (exit ${r.result.exitCode ?? r.result.signal}; see ${r.logPath})` };
  }
  return { aborted: false };
}

async function readJson(path: string): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
