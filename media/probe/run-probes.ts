/**
 * Runs browser probes: k6 (browser module) and its Chromiums inside the media namespace, against
 * a livekit-server that is in there too, with the probe page served in there on 127.0.0.1.
 *
 *   1. bundle the page (dist/probe/) and the sfu-probes scenario
 *   2. start the page server in the namespace; wait for READY
 *   3. start k6 in the namespace: plan in GOMEET_PROBE_PLAN, tokens in GOMEET_PROBE_TOKENS, Chromium
 *      from K6_BROWSER_* (chromium.ts), samples to <outDir>/samples.json, summary to summary.json
 *   4. optionally sample each browser's CPU and memory from /proc while k6 runs
 *   5. stop k6 if it overruns its own bound by a minute, or when `signal` aborts; stop the page
 *      server in every case
 *   6. per-probe results from the samples (probe-results.ts)
 *
 * The caller owns the namespace and livekit-server (scripts/clients/netns.ts, the stack).
 */
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { k6Environment, k6RunArgs } from '../../scripts/clients/k6.ts';
import { PROJECT_ROOT } from '../../scripts/tools/paths.ts';
import { sampleBrowserResources, type BrowserUsage } from './browser-resources.ts';
import { bundleProbePage } from './bundle.ts';
import { bundleProbeScenario } from './bundle-scenario.ts';
import { k6BrowserEnv } from './chromium.ts';
import { startLabChild, waitReady } from './lab-child.ts';
import { PROBE_PLAN_ENV, PROBE_TOKENS_ENV, probeScenarioBoundSec, type ProbePlan } from './plan.ts';
import { pooledLatency, summarizeProbeSamples, type Distribution, type ProbeResult } from './probe-results.ts';

export interface ProbeRunOptions {
  /** Network namespace holding livekit-server (only `lo` in it). */
  netns: string;
  /** The plan; pageUrl is filled in here. */
  plan: Omit<ProbePlan, 'pageUrl'>;
  /** identity → LiveKit token (tokens.ts). */
  tokens: Record<string, string>;
  /** Where samples.json, summary.json and k6.log go. */
  outDir: string;
  /** The pinned k6 (ensureK6()). */
  k6Path: string;
  /** Sample each browser's CPU and memory (default false). */
  measureResources?: boolean;
  /** Latency samples in each probe's first warmupSec are left out of its results (default 0). */
  warmupSec?: number;
  /** Aborting it stops k6 and its browsers now (an operator's Ctrl-C); what was sampled still counts. */
  signal?: AbortSignal;
}

export interface ProbeRunResult {
  /** k6's exit code; null when it had to be killed. */
  k6ExitCode: number | null;
  results: ProbeResult[];
  /** Every subscriber's frames pooled, after each one's warm-up: what the video_latency_ms row judges. */
  pooledLatency: Distribution | undefined;
  browsers: BrowserUsage[] | undefined;
  k6CpuPctMean: number | undefined;
  samplesPath: string;
  summaryPath: string;
  logPath: string;
}

/** The probe metrics' lines of k6's JSON output; none when k6 wrote no file (it failed before load). */
async function probeSampleLines(path: string): Promise<string[]> {
  const out: string[] = [];
  try {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of lines) if (line.includes('"gomeet_')) out.push(line);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return out;
}

/** Seconds k6 may run: the scenario's own bound, its graceful stop (15 s), and a minute for handleSummary. */
function k6DeadlineSec(plan: Omit<ProbePlan, 'pageUrl'>): number {
  return probeScenarioBoundSec(plan) + 15 + 60;
}

export async function runProbes(opts: ProbeRunOptions): Promise<ProbeRunResult> {
  await mkdir(opts.outDir, { recursive: true });
  const [pageDir, script] = await Promise.all([bundleProbePage(), bundleProbeScenario()]);
  const samplesPath = join(opts.outDir, 'samples.json');
  const summaryPath = join(opts.outDir, 'summary.json');
  const logPath = join(opts.outDir, 'k6.log');
  const deadlineSec = k6DeadlineSec(opts.plan);

  const pageServer = startLabChild({
    netns: opts.netns,
    argv: [process.execPath, '--import', 'tsx', join(PROJECT_ROOT, 'media/probe/serve-page.ts'), '--dir', pageDir, '--port', '0', '--max-sec', String(deadlineSec + 30)],
    cwd: PROJECT_ROOT,
  });
  try {
    const { url } = await waitReady<{ url: string }>(pageServer, 30_000, 'probe page server');
    const plan: ProbePlan = { ...opts.plan, pageUrl: url };
    const env = k6Environment(
      { ...k6BrowserEnv(), [PROBE_PLAN_ENV]: JSON.stringify(plan), [PROBE_TOKENS_ENV]: JSON.stringify(opts.tokens) },
      summaryPath,
    );
    const k6 = startLabChild({
      netns: opts.netns,
      argv: [opts.k6Path, ...k6RunArgs(script, ['--quiet', '--out', `json=${samplesPath}`])],
      env,
      inheritEnv: false,
      cwd: opts.outDir,
    });
    const sampler = opts.measureResources ? sampleBrowserResources(k6.pid) : undefined;
    const overrun = setTimeout(() => void k6.stop(), deadlineSec * 1000);
    const abort = () => void k6.stop();
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    let exitCode: number | null;
    try {
      exitCode = await k6.exited;
    } finally {
      clearTimeout(overrun);
      opts.signal?.removeEventListener('abort', abort);
      await k6.stop();
    }
    const usage = await sampler?.stop();
    await writeFile(logPath, `${k6.lines().join('\n')}\n`);
    const collected = await probeSampleLines(samplesPath);
    return {
      k6ExitCode: exitCode,
      results: summarizeProbeSamples(collected, { warmupSec: opts.warmupSec ?? 0 }),
      pooledLatency: pooledLatency(collected, { warmupSec: opts.warmupSec ?? 0 }),
      browsers: usage?.browsers,
      k6CpuPctMean: usage?.k6CpuPctMean,
      samplesPath,
      summaryPath,
      logPath,
    };
  } finally {
    await pageServer.stop();
  }
}
