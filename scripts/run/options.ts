/**
 * `run` flags → validated options. Everything that can be wrong with the input is found here,
 * before any stack is started or any load is sent (UsageError → one line, exit 2).
 */
import { resolve } from 'node:path';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../../lib/profiles.ts';
import { UsageError } from '../exit-codes.ts';

export interface RunFlags {
  profile?: string;
  target?: string;
  out?: string;
  gate?: string;
  keepStack?: boolean;
  /** k6 processes to split the load over (execution segments); default the profile's `runners`. */
  runners?: string;
  /** Print the runner sizing for the profile and send nothing. */
  plan?: boolean;
  /** Run on Kubernetes through k6-operator (a TestRun) instead of local k6 processes. */
  cluster?: boolean;
  /** kubectl context (--cluster). */
  context?: string;
  /** Namespace of the TestRun (--cluster); default gomeet-capacity. */
  namespace?: string;
  /** Runner image carrying the pinned k6 (--cluster). */
  runnerImage?: string;
  /** Print every kubectl call (and the manifests, secrets redacted) instead of making it (--cluster). */
  dryRun?: boolean;
  /** Compare against this run directory, or `last-go` (the last GO run of the same profile and target). */
  baseline?: string;
  /** Where the run history index lives; default runs/history. */
  history?: string;
  /** Allow a target marked `environment: production` (production-guard.ts). */
  confirmProduction?: boolean;
  /** With confirmProduction: no smoke-size cap on the load. */
  liftProductionCap?: boolean;
  /** Have each local k6 runner export k6's own web dashboard report (K6_WEB_DASHBOARD_EXPORT). */
  webDashboard?: boolean;
}

/** Where and how a --cluster run goes (scripts/cluster). */
export interface ClusterOptions {
  context?: string;
  namespace: string;
  runnerImage: string;
  dryRun: boolean;
}

/** The runner image deploy/k6-operator/Dockerfile builds (the suite's k6: v2.2.0 + k6/x/gomeet);
 *  override with --runner-image. */
export const DEFAULT_RUNNER_IMAGE = 'gomeet-capacity/k6-runner:v2.2.0-gomeet';
export const DEFAULT_NAMESPACE = 'gomeet-capacity';
/** More k6 processes than this on one run is a typo, not a plan. */
const MAX_RUNNERS = 64;

export interface RunOptions {
  profile: ProfileName;
  /** Absolute path of the target YAML, or undefined for the local reference stack. */
  targetFile?: string;
  outDir: string;
  gate: 'normal' | 'strict';
  runId: string;
  /** Leave a local stack that `run` started running afterwards (faster next run). */
  keepStack: boolean;
  /** --runners; undefined: the profile's. */
  runners?: number;
  /** --plan: print the runner sizing only. */
  planOnly: boolean;
  /** --cluster: run through k6-operator. */
  cluster?: ClusterOptions;
  /** --baseline: a run directory or `last-go`. */
  baseline?: string;
  /** --history: absolute path of the history directory (undefined: runs/history). */
  historyDir?: string;
  /** --confirm-production / --lift-production-cap (checked against the target in production-guard.ts). */
  production: { confirmProduction: boolean; liftProductionCap: boolean };
  /** --web-dashboard: each local runner writes k6-dashboard.html beside its k6.log. */
  webDashboard: boolean;
}

/** Sortable, unique enough for one machine, safe in paths and metric tags: 20261130-093512-smoke-4f2a. */
export function newRunId(profile: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const rand = Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
  return `${stamp}-${profile}-${rand}`;
}

export function parseRunFlags(flags: RunFlags, cwd = process.cwd()): RunOptions {
  const profile = flags.profile ?? 'smoke';
  if (!isProfileName(profile)) throw new UsageError(`unknown profile '${profile}' (known: ${PROFILE_NAMES.join(', ')})`);
  const gate = flags.gate ?? 'normal';
  if (gate !== 'normal' && gate !== 'strict') throw new UsageError(`--gate must be 'normal' or 'strict', not '${gate}'`);
  const runId = newRunId(profile);
  let runners: number | undefined;
  if (flags.runners !== undefined) {
    runners = Number(flags.runners);
    if (!/^\d+$/.test(flags.runners.trim()) || runners < 1 || runners > MAX_RUNNERS) {
      throw new UsageError(`--runners must be an integer from 1 to ${MAX_RUNNERS}, not '${flags.runners}'`);
    }
  }
  const clusterOnly = (['context', 'namespace', 'runnerImage', 'dryRun'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false);
  if (!flags.cluster && clusterOnly.length > 0) throw new UsageError(`--${clusterOnly.map(kebab).join(', --')} only applies with --cluster`);
  if (flags.cluster && flags.webDashboard) throw new UsageError('--web-dashboard applies to local runners; on k6-operator use the Grafana dashboard (docs/grafana)');
  if (flags.cluster && !flags.target && !flags.plan) throw new UsageError('--cluster needs --target: the local reference stack is not reachable from a cluster');
  const cluster: ClusterOptions | undefined = flags.cluster
    ? { context: flags.context, namespace: flags.namespace ?? DEFAULT_NAMESPACE, runnerImage: flags.runnerImage ?? DEFAULT_RUNNER_IMAGE, dryRun: flags.dryRun ?? false }
    : undefined;
  return {
    profile,
    targetFile: flags.target ? resolve(cwd, flags.target) : undefined,
    outDir: resolve(cwd, flags.out ?? `runs/${runId}`),
    gate,
    runId,
    keepStack: flags.keepStack ?? false,
    runners,
    planOnly: flags.plan ?? false,
    cluster,
    baseline: flags.baseline === undefined || flags.baseline === 'last-go' ? flags.baseline : resolve(cwd, flags.baseline),
    historyDir: flags.history ? resolve(cwd, flags.history) : undefined,
    production: { confirmProduction: flags.confirmProduction ?? false, liftProductionCap: flags.liftProductionCap ?? false },
    webDashboard: flags.webDashboard ?? false,
  };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
