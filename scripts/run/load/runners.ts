/**
 * N local k6 runners as one test — what k6-operator does in a cluster, on this machine:
 *
 *   1. start every runner paused (`--paused --address 127.0.0.1:<port>`), each with its execution
 *      segment, its own plan slot (GOMEET_PLAN), its own summary file and k6.log under
 *      <outDir>/runner-<i>/, all writing samples to the one store (runner-args.ts)
 *   2. wait until each one has initialised its VUs and is paused before its run (k6 REST API)
 *   3. start them together (PATCH /v1/status paused=false on each, like k6-operator's starter);
 *      `onStarted` gets the start time (the watcher counts warm-ups from it)
 *   4. wait for all; a runner that breaks (script error, bad config, panic) stops the others, and
 *      so does `stop` (the watcher, or the operator's Ctrl-C) — gracefully, each still writes its summary
 *
 * Times are kept so the run can say how long "stop everyone" took.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan } from '../../../lib/gomeet/plan.ts';
import { K6_EXECUTION_STATUS, K6_EXIT, k6RestResume, k6RestStatus, runK6, type RunK6Result } from '../../clients/k6.ts';
import { RUNNER_GO_ENV, runnerArgs, type SampleStore } from './runner-args.ts';

export interface LoadInput {
  k6Path: string;
  /** The bundled scenario every runner runs. */
  script: string;
  /** The run's plan; each runner gets it with its own `runner` slot. */
  plan: Plan;
  runners: number;
  /** Where every runner writes its samples (run requires one for more than one runner). */
  store?: SampleStore;
  /** Whether each runner evaluates its own thresholds (runner-args.ts); default: not with a store. */
  thresholds?: 'own' | 'none';
  /** Environment for every runner on top of GOMEET_PLAN and RUNNER_GO_ENV (which it may override):
   *  the password variable, K6_*. */
  env: Record<string, string>;
  /** runner-<i>/k6-summary.json and runner-<i>/k6.log go here. */
  outDir: string;
  /** Aborting it stops every runner gracefully. */
  stop?: AbortSignal;
  /** Called once, when every runner has been told to start (Unix ms). */
  onStarted?: (startedAtMs: number) => void;
  /** Progress and k6 log lines, tagged with the runner's index. */
  onLine?: (runner: number, line: string) => void;
  /** A runner's k6 started: its index, pid and REST API address (127.0.0.1:<port>) — a bench samples
   *  its memory from /proc, and may read Go's own figures from the API (`profiling`). */
  onSpawn?: (runner: number, pid: number, restAddress: string) => void;
  /** How long the runners may take to initialise their VUs before the run is given up (ms). Default 300 s. */
  readyTimeoutMs?: number;
  /** Each runner exports k6's web dashboard report to k6-dashboard.html in its directory. */
  webDashboard?: boolean;
  /** Runners serve /debug/pprof on their REST API (runner-args.ts `profiling`). */
  profiling?: boolean;
}

export interface RunnerOutcome {
  index: number;
  summaryPath: string;
  logPath: string;
  result: RunK6Result;
  /** When its k6 process ended (Unix ms). */
  endedAtMs: number;
}

export interface LoadResult {
  runners: RunnerOutcome[];
  /** When the runners were told to start; undefined if they never got that far. */
  startedAtMs?: number;
  /** When the last runner ended. */
  endedAtMs: number;
  /** When a stop was asked for (watcher, operator, or a broken runner), if one was. */
  stopRequestedAtMs?: number;
  /** Why the runners were stopped by us, if they were (not set for an external `stop`). */
  stopReason?: string;
}

/** Exit codes after which the others must not go on: the run is broken, not merely failing. */
const BROKEN_EXITS: ReadonlySet<number> = new Set([K6_EXIT.invalidConfig, K6_EXIT.scriptException, K6_EXIT.goPanic, K6_EXIT.setupTimeout]);
const READY_POLL_MS = 250;

/**
 * k6's web dashboard as a file: the report is exported when the runner ends, and its HTTP server is
 * off (port -1) — N runners would fight over port 5665, and an open dashboard tab would keep k6 from
 * exiting. Each runner's report covers its own slice; the verdict and report.html cover them all.
 */
export function webDashboardEnv(runnerDir: string): Record<string, string> {
  return { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_EXPORT: join(runnerDir, 'k6-dashboard.html') };
}

export async function runLoad(input: LoadInput): Promise<LoadResult> {
  const count = input.runners;
  const internal = new AbortController();
  let stopRequestedAtMs: number | undefined;
  let stopReason: string | undefined;
  const stopAll = (reason?: string) => {
    if (internal.signal.aborted) return;
    stopRequestedAtMs = Date.now();
    stopReason ??= reason;
    internal.abort();
  };
  const onExternalStop = () => stopAll();
  input.stop?.addEventListener('abort', onExternalStop, { once: true });
  if (input.stop?.aborted) stopAll();

  const addresses = (await freeLoopbackPorts(count)).map((port) => `127.0.0.1:${port}`);
  const exited = new Map<number, RunnerOutcome>();
  const outcomes = addresses.map(async (address, index): Promise<RunnerOutcome> => {
    const dir = join(input.outDir, count === 1 ? '' : `runner-${index}`);
    const summaryPath = join(dir, 'k6-summary.json');
    const logPath = join(dir, 'k6.log');
    const plan: Plan = { ...input.plan, runner: { id: index, count } };
    const result = await runK6({
      k6Path: input.k6Path,
      script: input.script,
      summaryPath,
      logPath,
      env: { ...RUNNER_GO_ENV, ...input.env, ...(input.webDashboard ? webDashboardEnv(dir) : {}), GOMEET_PLAN: JSON.stringify(plan) },
      args: runnerArgs({ index, count, runId: plan.runId, store: input.store, thresholds: input.thresholds, restAddress: address, profiling: input.profiling }),
      stop: internal.signal,
      onSpawn: (pid) => input.onSpawn?.(index, pid, address),
      onLine: (line) => input.onLine?.(index, line),
    });
    const outcome = { index, summaryPath, logPath, result, endedAtMs: Date.now() };
    exited.set(index, outcome);
    if (result.exitCode !== null && BROKEN_EXITS.has(result.exitCode)) stopAll(`runner ${index} broke (k6 exit ${result.exitCode})`);
    return outcome;
  });

  let startedAtMs: number | undefined;
  try {
    await waitPaused(addresses, exited, input.readyTimeoutMs ?? 300_000, internal.signal);
    if (!internal.signal.aborted) {
      await Promise.all(addresses.map((a) => k6RestResume(a)));
      startedAtMs = Date.now();
      input.onStarted?.(startedAtMs);
    }
  } catch (err) {
    stopAll(`runners did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  const runners = await Promise.all(outcomes);
  input.stop?.removeEventListener('abort', onExternalStop);
  return { runners, startedAtMs, endedAtMs: Math.max(...runners.map((r) => r.endedAtMs)), stopRequestedAtMs, stopReason };
}

/** Until every runner is paused before its run; throws if one exits first or time runs out. */
async function waitPaused(addresses: string[], exited: Map<number, RunnerOutcome>, timeoutMs: number, stop: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ready = new Set<number>();
  while (ready.size < addresses.length) {
    if (stop.aborted) return;
    for (const [index, outcome] of exited) {
      throw new Error(`runner ${index} exited before the start (k6 exit ${outcome.result.exitCode ?? outcome.result.signal}; see ${outcome.logPath})`);
    }
    if (Date.now() > deadline) throw new Error(`${addresses.length - ready.size} runner(s) not ready after ${Math.round(timeoutMs / 1000)} s`);
    await Promise.all(
      addresses.map(async (address, index) => {
        if (ready.has(index)) return;
        // Not answering yet is normal: the REST API comes up after the script is compiled.
        const status = await k6RestStatus(address).catch(() => undefined);
        if (status?.paused && status.status === K6_EXECUTION_STATUS.pausedBeforeRun) ready.add(index);
      }),
    );
    if (ready.size < addresses.length) await sleep(READY_POLL_MS);
  }
}

/** Ports on 127.0.0.1 nothing listens on now (the OS picks them) for the runners' REST APIs. */
async function freeLoopbackPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    ports.add(
      await new Promise<number>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0 }, () => {
          const address = server.address();
          server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
        });
      }),
    );
  }
  return [...ports];
}
