/**
 * The k6 client: every k6 command line the suite runs is in this file.
 *
 *   runK6({ k6Path, script, env, summaryPath })  k6 run --no-usage-report <script>, the scenario's
 *                                                handleSummary writes the summary JSON to summaryPath
 *   k6Version(k6Path)                            k6 version → 'v2.2.0'
 *   k6RestStatus(address) / k6RestResume(address) a runner started with `--address A --paused`:
 *                                                is it paused before its run, then start it — how
 *                                                several runners start together (k6-operator's
 *                                                starter does the same PATCH /v1/status)
 *
 * k6's exit codes (k6 v2.2.0 errext/exitcodes/codes.go):
 *
 *     0  ok: the test ran and every threshold held
 *    97  cloud test run failed (k6 cloud only)
 *    98  cloud: could not get progress (k6 cloud only)
 *    99  thresholds crossed (a threshold failed; the summary is still written)
 *   100  setup() timed out
 *   101  teardown() timed out
 *   102  generic timeout
 *   103  stopped through k6's REST API
 *   104  invalid config (options, flags)
 *   105  external abort: SIGINT/SIGTERM — the run was stopped, not failed
 *   106  k6's REST API could not start
 *   107  script exception (an uncaught error, e.g. in init or setup(): target not answering)
 *   108  aborted by the script (exec.test.abort(), or a threshold with abortOnFail)
 *   109  Go panic inside k6
 *   110  test marked failed (exec.test.fail())
 */
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { K6_PIN } from '../tools/pins.ts';
import { parseToolVersion } from '../tools/version.ts';
import { formatProgress, K6ProgressParser } from './k6-progress.ts';

export const K6_EXIT = {
  ok: 0,
  cloudTestRunFailed: 97,
  cloudFailedToGetProgress: 98,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  genericTimeout: 102,
  stoppedFromRestApi: 103,
  invalidConfig: 104,
  externalAbort: 105,
  cannotStartRestApi: 106,
  scriptException: 107,
  scriptAborted: 108,
  goPanic: 109,
  markedAsFailed: 110,
} as const;

const EXIT_MEANING: Record<number, string> = {
  0: 'ok',
  97: 'cloud test run failed',
  98: 'cloud progress unavailable',
  99: 'thresholds crossed',
  100: 'setup timed out',
  101: 'teardown timed out',
  102: 'timed out',
  103: 'stopped through the REST API',
  104: 'invalid config',
  105: 'aborted by a signal',
  106: 'REST API could not start',
  107: 'script exception',
  108: 'aborted by the script (or an abortOnFail threshold)',
  109: 'k6 panicked',
  110: 'test marked failed',
};

/** What a k6 exit code means, for logs and reports. */
export function describeK6Exit(code: number | null): string {
  if (code === null) return 'killed by a signal';
  return EXIT_MEANING[code] ?? `unknown exit code ${code}`;
}

/** Variables passed through from our own environment; everything else k6 gets is explicit, so
 *  unrelated secrets in the caller's environment never reach k6 (or its __ENV). */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];

/** A compact progress line at most this often (ms). */
const PROGRESS_EVERY_MS = 10_000;
/** At most this many k6 log lines (stderr) are passed on per progress period; the rest are counted. */
const LOG_LINES_PER_PERIOD = 20;

export interface RunK6Options {
  /** The k6 binary (ensureK6()). */
  k6Path: string;
  /** The bundled scenario (.js) to run. */
  script: string;
  /** Environment for k6 on top of the minimal one: GOMEET_PLAN, the password variable, K6_*. */
  env: Record<string, string>;
  /** Where the scenario's handleSummary writes the summary JSON (passed as GOMEET_SUMMARY_PATH).
   *  Removed first, so a file there afterwards is this run's. */
  summaryPath: string;
  /** Extra k6 run flags, e.g. ['--execution-segment', '0:1/2', '--out', 'influxdb=...']. */
  args?: string[];
  /** Receives a compact progress line every ~10 s, and k6's log lines (rate-limited). Default: stderr. */
  onLine?: (line: string) => void;
  /** Working directory for k6 (default: the script's directory). */
  cwd?: string;
  /** If set, k6's complete stdout and stderr are written here (a run's k6.log artifact). */
  logPath?: string;
  /** Aborting it stops k6 gracefully, as Ctrl-C does (a watcher stopping every runner). */
  stop?: AbortSignal;
  /** Gets k6's pid once it is spawned (benches sample its memory from /proc). */
  onSpawn?: (pid: number) => void;
}

export interface RunK6Result {
  /** k6's exit code (see the table above); null if it was killed by a signal. */
  exitCode: number | null;
  /** The signal that killed k6, if it did not exit by itself. */
  signal: NodeJS.Signals | null;
  durationMs: number;
}

/** The minimal environment k6 runs with, plus the caller's variables. */
export function k6Environment(env: Record<string, string>, summaryPath: string, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = from[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...env, GOMEET_SUMMARY_PATH: summaryPath };
}

/** The k6 command line for a run (arguments after the binary). */
export function k6RunArgs(script: string, args: string[] = []): string[] {
  return ['run', '--no-usage-report', ...args, script];
}

/**
 * Run k6 and wait for it. Ctrl-C / SIGTERM to this process (or aborting `stop`) are passed to k6 once
 * each, so k6 stops gracefully (it still runs handleSummary) and exits 105; a second one makes k6
 * stop at once.
 */
export async function runK6(opts: RunK6Options): Promise<RunK6Result> {
  const onLine = opts.onLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  await mkdir(dirname(opts.summaryPath), { recursive: true });
  await rm(opts.summaryPath, { force: true });

  const started = Date.now();
  const child = spawn(opts.k6Path, k6RunArgs(opts.script, opts.args), {
    cwd: opts.cwd ?? dirname(opts.script),
    env: k6Environment(opts.env, opts.summaryPath),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal's Ctrl-C reaches only us, and we pass it on exactly once
    // (k6 treats a second SIGINT as "stop now, no summary").
    detached: true,
  });

  if (child.pid !== undefined) opts.onSpawn?.(child.pid);

  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onSigint = () => forward('SIGINT');
  const onSigterm = () => forward('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  opts.stop?.addEventListener('abort', onSigint, { once: true });
  if (opts.stop?.aborted) onSigint();
  // If we exit while k6 still runs (an exception upstream), k6 must not outlive us.
  const onExit = () => forward('SIGKILL');
  process.on('exit', onExit);

  let log: WriteStream | undefined;
  if (opts.logPath) {
    await mkdir(dirname(opts.logPath), { recursive: true });
    log = createWriteStream(opts.logPath);
  }

  const progress = new K6ProgressParser();
  let lastProgressAt = Date.now();
  let logLines = 0;
  let suppressed = 0;
  const flushPeriod = () => {
    if (progress.current) onLine(formatProgress(progress.current));
    if (suppressed > 0) onLine(`k6: ${suppressed} more log lines not shown`);
    lastProgressAt = Date.now();
    logLines = 0;
    suppressed = 0;
  };

  createInterface({ input: child.stdout! }).on('line', (line) => {
    log?.write(`${line}\n`);
    progress.feed(line);
    if (Date.now() - lastProgressAt >= PROGRESS_EVERY_MS) flushPeriod();
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    log?.write(`${line}\n`);
    if (line.trim() === '') return;
    if (logLines++ < LOG_LINES_PER_PERIOD) onLine(`k6: ${line}`);
    else suppressed++;
  });

  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve([code, sig]));
    });
    flushPeriod();
    onLine(`k6 exited ${exitCode ?? signal} (${signal ? 'killed' : describeK6Exit(exitCode)}) after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { exitCode, signal, durationMs: Date.now() - started };
  } finally {
    if (log) await new Promise((resolve) => log.end(resolve));
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('exit', onExit);
    opts.stop?.removeEventListener('abort', onSigint);
  }
}

/** The k6 binary's version, e.g. 'v2.2.0'; throws if it prints none. */
export async function k6Version(k6Path: string): Promise<string> {
  const { stdout } = await promisify(execFile)(k6Path, K6_PIN.versionArgs, { timeout: 30_000 });
  const version = parseToolVersion(K6_PIN, stdout);
  if (!version) throw new Error(`${k6Path} ${K6_PIN.versionArgs.join(' ')} printed no version: ${stdout.slice(0, 200)}`);
  return version;
}

/** What a runner's REST API says about its run (k6 api/v1 Status). */
export interface K6RestStatus {
  /** lib.ExecutionStatus: 4 = paused before the run (ready to be started), 7 = running, 9 = ended. */
  status: number;
  paused: boolean;
  running: boolean;
  stopped: boolean;
  vus: number;
  vusMax: number;
}

/** k6's lib.ExecutionStatus values the orchestration waits for. */
export const K6_EXECUTION_STATUS = { pausedBeforeRun: 4, running: 7, ended: 9 } as const;

const REST_TIMEOUT_MS = 5_000;

/** GET /v1/status of a runner's REST API (`host:port`); throws if it does not answer. */
export async function k6RestStatus(address: string): Promise<K6RestStatus> {
  const res = await fetch(`http://${address}/v1/status`, { signal: AbortSignal.timeout(REST_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`k6 REST API ${address}: HTTP ${res.status}`);
  return statusOf(await res.json());
}

/** PATCH /v1/status paused=false: the paused runner starts its run (setup, then the scenarios). */
export async function k6RestResume(address: string): Promise<K6RestStatus> {
  const res = await fetch(`http://${address}/v1/status`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { paused: false } } }),
    signal: AbortSignal.timeout(REST_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`k6 REST API ${address}: resume answered HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return statusOf(await res.json());
}

function statusOf(body: unknown): K6RestStatus {
  const a = (body as { data?: { attributes?: Record<string, unknown> } }).data?.attributes ?? {};
  return {
    status: Number(a.status ?? -1),
    paused: a.paused === true,
    running: a.running === true,
    stopped: a.stopped === true,
    vus: Number(a.vus ?? 0),
    vusMax: Number(a['vus-max'] ?? 0),
  };
}
