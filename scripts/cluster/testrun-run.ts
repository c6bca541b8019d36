/**
 * The load step of `run --cluster`: the same run as `run --runners N`, on Kubernetes through
 * k6-operator, judged the same way (all runners' samples in the shared store).
 *
 *   1. size the runners from the bench (scripts/run/plan-sizing.ts), make the run's meetings once
 *      (a dry run makes none: it sends nothing anywhere)
 *   2. render ConfigMap (the bundle), Secret (the password) and TestRun (testrun.ts); apply them with
 *      kubectl — the Secret travels on kubectl's stdin only
 *   3. follow the TestRun's stage; once `started`, the watcher judges the critical rows over all
 *      runners' samples every ~5 s and on a crossing sends every runner pod SIGINT (k6 stops
 *      gracefully, as locally)
 *   4. at `finished` (or `error`, or the time limit): observations from the store; the Secret is deleted
 *
 * With --dry-run every kubectl call is printed (Secret values redacted) and nothing is applied,
 * followed or judged: the result is undefined.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalingUrls, type Target } from '../../lib/config/target.ts';
import type { Plan } from '../../lib/gomeet/plan.ts';
import type { Profile } from '../../lib/profiles.ts';
import { generatorSaturationFromInflux, observeFromInflux } from '../../reports/observe-influx.ts';
import type { ThresholdRow } from '../../thresholds/table.ts';
import { influxReader } from '../clients/influx.ts';
import { Kubectl } from '../clients/kubectl.ts';
import { UsageError } from '../exit-codes.ts';
import { createRunMeetings } from '../run/load/meetings.ts';
import { sampleStoreOf, type ObservedLoad } from '../run/load/observed-load.ts';
import type { ClusterOptions } from '../run/options.ts';
import { readSizingBasis, sizeRunners } from '../run/plan-sizing.ts';
import { describeCrossing, watchCriticalRows } from '../run/watcher.ts';
import { renderRunManifests } from './testrun.ts';

/** How often the TestRun's stage is read (ms). */
const FOLLOW_EVERY_MS = 5_000;
/** Beyond the profile's own length: image pulls, VU init, setup, graceful stops (s). */
const FOLLOW_SLACK_SEC = 600;

export interface ClusterLoadInput {
  cluster: ClusterOptions;
  script: string;
  runId: string;
  profile: Profile;
  runners: number;
  target: Target;
  env: NodeJS.ProcessEnv;
  rows: readonly ThresholdRow[];
  onLine: (phase: string, line: string) => void;
  /** For tests: a kubectl with a recorded runner. */
  kubectl?: Kubectl;
}

/** Planned seconds of the comprehensive scenario (the longer of api and websocket). */
export function plannedSec(profile: Profile): number {
  return Math.max(profile.api.rampSec + profile.api.steadySec, profile.websocket.rampSec + profile.websocket.holdSec + 30);
}

export async function runClusterLoad(input: ClusterLoadInput): Promise<ObservedLoad | undefined> {
  const { target, profile, cluster } = input;
  const store = sampleStoreOf(target);
  if (!store) throw new UsageError(`--cluster needs a shared sample store: target '${target.name}' has no influxdb (its URL must be reachable from the cluster)`);
  const password = input.env[target.auth.passwordEnv];
  if (!password) throw new UsageError(`${target.auth.passwordEnv} is not set: the cluster's runners need the load-test password (it goes into a Secret)`);
  const kubectl = input.kubectl ?? new Kubectl({ context: cluster.context, namespace: cluster.namespace, dryRun: cluster.dryRun, onCommand: (l) => input.onLine('kubectl', l) });

  const sizing = sizeRunners({ ...profile, runners: input.runners }, await readSizingBasis());
  const meetings = cluster.dryRun
    ? undefined
    : await createRunMeetings({ apiBaseUrl: target.api.baseUrl, password, targetUsers: target.auth.users, profile, runId: input.runId });
  if (cluster.dryRun) input.onLine('cluster', "dry run: no meetings made (a real run makes them before applying: every runner's setup() would otherwise make its own)");
  const plan: Plan = {
    runId: input.runId,
    runner: { id: 0, count: sizing.runners },
    profile,
    gates: profile.gates,
    target: { name: target.name, apiBaseUrl: target.api.baseUrl, signalingUrls: signalingUrls(target), users: target.auth.users, passwordEnv: target.auth.passwordEnv },
    ...(meetings ? { meetings } : {}),
  };
  const m = renderRunManifests({ plan, namespace: cluster.namespace, script: await readFile(input.script, 'utf8'), runnerImage: cluster.runnerImage, sizing, store, password });
  input.onLine('cluster', `TestRun ${m.name}: ${sizing.runners} runners × ${sizing.cpuRequestCores} cores, ${sizing.memoryRequestMiB} MiB (limit ${sizing.memoryLimitMiB} MiB), image ${cluster.runnerImage}`);
  await kubectl.apply([m.configMap, m.secret, m.testRun]);
  if (kubectl.dryRun) return undefined;

  const client = influxReader(store.url, store.database, input.env);
  const stop = new AbortController();
  let watcher: ReturnType<typeof watchCriticalRows> | undefined;
  let startedAtMs: number | undefined;
  let stage = '';
  let stopSentAtMs: number | undefined;
  const stopRunners = async () => {
    stopSentAtMs ??= Date.now();
    for (const pod of await kubectl.podNames(`k6_cr=${m.name},runner=true`)) await kubectl.exec(pod, ['kill', '-INT', '1']).catch(() => undefined);
  };
  stop.signal.addEventListener('abort', () => void stopRunners(), { once: true });
  const deadline = Date.now() + (plannedSec(profile) + FOLLOW_SLACK_SEC) * 1000;
  let timedOut = false;
  try {
    while (stage !== 'finished' && stage !== 'error') {
      if (Date.now() > deadline) {
        timedOut = true;
        await stopRunners();
        break;
      }
      const next = (((await kubectl.getJson('testrun', m.name)) as { status?: { stage?: string } } | undefined)?.status?.stage ?? '') as string;
      if (next !== stage) input.onLine('cluster', `TestRun ${m.name}: ${next || 'no status yet'}`);
      stage = next;
      if (stage === 'started' && startedAtMs === undefined) {
        startedAtMs = Date.now();
        watcher = watchCriticalRows({ client, runId: input.runId, sinceMs: startedAtMs, rows: input.rows, gates: profile.gates, stop, onLine: (l) => input.onLine('watcher', l) });
      }
      if (stage !== 'finished' && stage !== 'error') await sleep(FOLLOW_EVERY_MS);
    }
  } finally {
    await kubectl.delete('secret', `${m.name}-secrets`).catch((err: unknown) => input.onLine('cluster', `could not delete the run's Secret: ${String(err)}`));
  }
  const watch = await watcher?.finish();
  const endedAtMs = Date.now();
  const window = { startMs: startedAtMs ?? endedAtMs, endMs: endedAtMs };
  const observations = await observeFromInflux(client, { runId: input.runId, window, rows: input.rows, gates: profile.gates });
  const generatorSaturated = await generatorSaturationFromInflux(client, { runId: input.runId, window, profile }).catch(() => undefined);
  let abortReason: string | undefined;
  if (watch?.crossing && watch.detectedAtMs !== undefined) {
    abortReason = `critical row crossed on all runners' samples: ${describeCrossing(watch.crossing)}; the TestRun finished ${((endedAtMs - watch.detectedAtMs) / 1000).toFixed(0)} s after the watcher saw it (stage read every ${FOLLOW_EVERY_MS / 1000} s)`;
  } else if (timedOut) abortReason = `TestRun ${m.name} did not finish within ${plannedSec(profile) + FOLLOW_SLACK_SEC} s: runners told to stop`;
  else if (stage === 'error') abortReason = `TestRun ${m.name} ended in stage 'error' (kubectl describe testrun ${m.name})`;
  else if (startedAtMs === undefined) abortReason = `TestRun ${m.name} never reported stage 'started'`;
  return {
    observations,
    facts: { aborted: abortReason !== undefined, abortReason, generatorSaturated },
    startedAt: new Date(window.startMs),
    endedAt: new Date(window.endMs),
    watch,
  };
}
