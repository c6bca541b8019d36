/**
 * The k6 command line of one runner of a run — the same pieces locally (`run --runners N`) and in
 * a k6-operator TestRun (where the operator adds the segment flags itself):
 *
 *   --execution-segment / --execution-segment-sequence   its slice (segments.ts, k6-operator's)
 *   --out influxdb=<url>/<db>                            every runner writes to the one store
 *   --tag run_id=<id> --tag runner=<i>                   k6 replaces the script's `tags` option
 *                                                        wholesale when --tag is given, so both go here
 *   --no-thresholds                                      when the verdict and the abort are global
 *                                                        (or a bench that judges nothing)
 *
 * Why --no-thresholds under a global verdict: a runner's thresholds see only its slice, so its
 * `abortOnFail` could stop one runner on a local blip while the aggregate is healthy (or never see a
 * crossing spread thinly over runners), and its exit code would say nothing about the run. The
 * watcher (scripts/run/watcher.ts) judges the critical rows on all runners' samples and stops every
 * runner; the verdict is computed from the store. Dropping them also spares each runner the
 * threshold submetrics' sinks (memory that grows with every sample). A single runner without a
 * store keeps its thresholds: its slice is the whole run.
 *
 * Pure: no Node or k6 imports.
 */
import { executionSegmentArgs } from './segments.ts';

/**
 * Go runtime settings for every k6 runner (local and cluster). GOGC=50: collect when the heap has
 * grown 50 % instead of 100 % — held sessions are long-lived heap (buffers, goroutine stacks, the JS
 * socket object), so the default lets RSS run to ~2× of it. bench/ws-capacity measured ~99 → ~70 KiB
 * per held session on 6,000 sessions; memory, not CPU, is what caps the sessions one runner holds.
 */
export const RUNNER_GO_ENV: Readonly<Record<string, string>> = { GOGC: '50' };

/** Where all runners write their samples (target.influxdb). */
export interface SampleStore {
  /** InfluxDB 1.x base URL, e.g. http://127.0.0.1:18086. */
  url: string;
  database: string;
}

export interface RunnerArgsInput {
  /** 0-based index of this runner. */
  index: number;
  /** Runners sharing the load. */
  count: number;
  runId: string;
  /** The shared store; undefined when the target has none. */
  store?: SampleStore;
  /** 'own': the runner evaluates its thresholds (one runner, verdict from its summary);
   *  'none': --no-thresholds (global verdict and watcher, or a bench). Default: 'none' with a store. */
  thresholds?: 'own' | 'none';
  /** k6 REST API address for a paused start (`127.0.0.1:<port>`); undefined: start at once. */
  restAddress?: string;
  /** Serve /debug/pprof on the REST API (a bench reads Go's memory figures). A flag, not the
   *  K6_PROFILING_ENABLED variable: k6 v2.2.0 reads the variable, then its flag's default (false)
   *  overwrites it (internal/cmd/root.go binds the flag with DefaultFlags, not the env-derived Flags). */
  profiling?: boolean;
}

/** `influxdb=http://127.0.0.1:18086/k6` — k6's --out value for the store. */
export function influxOut(store: SampleStore): string {
  return `influxdb=${store.url.replace(/\/+$/, '')}/${store.database}`;
}

/** Tags every sample of this runner carries (non-secret identifiers only). */
export function runnerTags(runId: string, index: number): string[] {
  return ['--tag', `run_id=${runId}`, '--tag', `runner=${index}`];
}

export function runnerArgs(input: RunnerArgsInput): string[] {
  const args = [...executionSegmentArgs(input.index, input.count), ...runnerTags(input.runId, input.index)];
  if (input.store) args.push('--out', influxOut(input.store));
  if ((input.thresholds ?? (input.store ? 'none' : 'own')) === 'none') args.push('--no-thresholds');
  if (input.restAddress) args.push('--address', input.restAddress, '--paused');
  if (input.profiling && input.restAddress) args.push('--profiling-enabled');
  return args;
}
