/**
 * The bot runner: plans the run, forks the worker processes (one per core by default), hands each
 * its bots, writes every record they send to the results file (JSON lines), prints a compact
 * progress line, and returns a summary. Must run where the bots may reach LiveKit — inside the
 * media namespace (see cli.ts, which is what `ip netns exec` starts).
 *
 * Bounded: workers exit by themselves after the run's end; the runner kills any that did not
 * (by pid) EXIT_GRACE_MS later. A worker that dies early costs its bots (recorded), not the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClipFiles, LOW_LAYER_CLIP_SPEC } from '../clips.ts';
import { planBots, runEndMs, validateConfig, type BotRunConfig, type BotSpec } from './plan.ts';
import { progressLine, summarize, type RunSummary } from './summary.ts';
import type { RunRecord } from './records.ts';
import { EXIT_GRACE_MS, type WorkerStart } from './worker.ts';

export interface RunBotsOptions {
  config: BotRunConfig;
  /** Results file (JSON lines); its folder is created. */
  outFile: string;
  /** Run label written into every record. */
  run: string;
  apiKeyEnv?: string;
  apiSecretEnv?: string;
  /** Progress lines (default stderr); null for none. */
  onProgress?: ((line: string) => void) | null;
  /** Seconds between progress lines (default 5). */
  progressEverySec?: number;
}

const WORKER_FILE = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');
/** What a worker says besides records. */
type WorkerControl = { type: 'ready' | 'done' } | { type: 'error'; message: string };

/** Lead time between the start message and t = 0 (workers are loaded by then). */
const START_LEAD_MS = 500;
/** A worker that has not loaded within this is an error of the run (the machine is far too busy). */
const WORKER_READY_TIMEOUT_MS = 60_000;

export async function runBots(opts: RunBotsOptions): Promise<RunSummary> {
  const { config } = opts;
  const problem = validateConfig(config);
  if (problem) throw new Error(`bot run: ${problem}`);
  const bots = planBots(config, opts.run);
  const clipFiles = { high: await ensureClipFiles(), low: await ensureClipFiles(LOW_LAYER_CLIP_SPEC) };
  await mkdir(dirname(opts.outFile), { recursive: true });
  const out = createWriteStream(opts.outFile, { flags: 'w' });
  const records: RunRecord[] = [];
  const log = opts.onProgress === undefined ? (l: string) => console.error(l) : opts.onProgress;

  const byWorker = new Map<number, BotSpec[]>();
  for (const b of bots) byWorker.set(b.worker, [...(byWorker.get(b.worker) ?? []), b]);

  const workerErrors: string[] = [];
  const children = new Map<number, ChildProcess>();
  const ready: Promise<void>[] = [];
  const finished: Promise<void>[] = [];
  for (const worker of byWorker.keys()) {
    // tsx's loader so the worker runs TypeScript like the rest of the suite.
    // GOMEET_BOTS_CPU_PROF_DIR: each worker writes a V8 CPU profile there (where bot CPU goes).
    const prof = process.env.GOMEET_BOTS_CPU_PROF_DIR;
    const execArgv = ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
    const child = fork(WORKER_FILE, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.set(worker, child);
    ready.push(
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bot worker ${worker} not ready within ${WORKER_READY_TIMEOUT_MS} ms`)), WORKER_READY_TIMEOUT_MS);
        child.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
        child.once('exit', () => reject(new Error(`bot worker ${worker} exited before it was ready`)));
      }),
    );
    child.on('message', (m: RunRecord | WorkerControl) => {
      if (m.type === 'ready' || m.type === 'done') return;
      if (m.type === 'error') {
        workerErrors.push(`worker ${worker}: ${(m as { message: string }).message}`);
        return;
      }
      records.push(m as RunRecord);
      out.write(`${JSON.stringify(m)}\n`);
    });
    finished.push(
      new Promise<void>((resolve) => {
        child.once('exit', (code, signal) => {
          if (code !== 0) workerErrors.push(`worker ${worker} exited ${signal ?? `with code ${code}`}`);
          resolve();
        });
      }),
    );
  }
  const killAll = () => {
    for (const c of children.values()) if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  };
  try {
    await Promise.all(ready);
  } catch (err) {
    killAll();
    await Promise.all(finished);
    out.end();
    throw err;
  }

  const runStartMs = Date.now() + START_LEAD_MS;
  const endMs = runStartMs + runEndMs(config, bots);
  for (const [worker, child] of children) {
    const start: WorkerStart = {
      type: 'start',
      run: opts.run,
      worker,
      config,
      bots: byWorker.get(worker)!,
      runStartMs,
      runEndMs: endMs,
      clipFiles,
      apiKeyEnv: opts.apiKeyEnv ?? 'GOMEET_LIVEKIT_API_KEY',
      apiSecretEnv: opts.apiSecretEnv ?? 'GOMEET_LIVEKIT_API_SECRET',
    };
    child.send(start);
  }

  const progress = log
    ? setInterval(() => log(progressLine(records, bots, (Date.now() - runStartMs) / 1000)), (opts.progressEverySec ?? 5) * 1000)
    : null;
  const killer = setTimeout(killAll, endMs - Date.now() + EXIT_GRACE_MS + 5000);
  try {
    await Promise.all(finished);
  } finally {
    clearTimeout(killer);
    if (progress) clearInterval(progress);
    await new Promise<void>((resolve) => out.end(resolve));
  }
  const summary = summarize(records, bots, workerErrors);
  log?.(progressLine(records, bots, (Date.now() - runStartMs) / 1000));
  return summary;
}
