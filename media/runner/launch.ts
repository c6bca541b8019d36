/**
 * Host-side entry to the bots: runs media/runner/cli.ts inside the media namespace (where the bots
 * reach livekit-server at ws://127.0.0.1:<port> and every ICE pair is loopback) and returns the
 * run's summary; the records stay in `outFile` for the verdict (media/bandwidth.ts).
 *
 *   const summary = await runBotsInNetns({ config, outFile: 'runs/x/bots.jsonl', run: 'x' });
 *
 * The LiveKit key and secret travel in the environment variables named by apiKeyEnv/apiSecretEnv
 * (they must be set in this process's environment), never on a command line.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inNetns, MEDIA_NETNS } from '../../scripts/clients/netns.ts';
import type { BotRunConfig } from './plan.ts';
import type { RunSummary } from './summary.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface LaunchOptions {
  config: BotRunConfig;
  outFile: string;
  run: string;
  /** Namespace (default the local stack's). */
  netns?: string;
  apiKeyEnv?: string;
  apiSecretEnv?: string;
  /** Each progress line of the runner (default: stderr). */
  onProgress?: (line: string) => void;
  /** Aborting it stops the runner and its workers at once (SIGTERM to their group, SIGKILL 5 s later). */
  signal?: AbortSignal;
}

/** Seconds the bots get to end after SIGTERM before their group is killed. */
const STOP_GRACE_MS = 5000;

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

function flags(c: BotRunConfig): string[] {
  return [
    ['--url', c.url],
    ['--rooms', c.rooms],
    ['--room-prefix', c.roomPrefix],
    ['--publishers', c.publishersPerRoom],
    ['--subscribers', c.subscribersPerRoom],
    ['--layout', c.layout],
    ['--publisher-media', c.publisherMedia],
    ['--join-rate', c.joinRatePerSec],
    ['--hold-sec', c.holdSec],
    ['--stats-sec', c.statsIntervalSec],
    ['--workers', c.workers],
    ['--join-timeout-ms', c.joinTimeoutMs],
    ['--ice-timeout-ms', c.iceTimeoutMs],
  ]
    .flatMap(([k, v]) => [String(k), String(v)])
    .concat(c.subscriberTransportCc ? [] : ['--no-subscriber-twcc']);
}

export async function runBotsInNetns(o: LaunchOptions): Promise<RunSummary> {
  const summaryFile = `${o.outFile}.summary.json`;
  const argv = inNetns(o.netns ?? MEDIA_NETNS, [
    process.execPath,
    '--import',
    'tsx',
    join(ROOT, 'media/runner/cli.ts'),
    ...flags(o.config),
    '--run',
    o.run,
    '--out',
    o.outFile,
    '--summary',
    summaryFile,
    '--api-key-env',
    o.apiKeyEnv ?? 'GOMEET_LIVEKIT_API_KEY',
    '--api-secret-env',
    o.apiSecretEnv ?? 'GOMEET_LIVEKIT_API_SECRET',
  ]);
  const onLine = o.onProgress ?? ((l: string) => console.error(l));
  const code = await new Promise<number>((resolve, reject) => {
    // Its own process group: a signal sent to the CLI's pid alone (kill, a CI system's SIGTERM) never
    // reaches the bots, so `signal` stops the whole group — runner and workers — from here.
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS);
    };
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop, { once: true });
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) onLine(l);
    });
    child.once('error', reject);
    child.once('exit', (c) => {
      o.signal?.removeEventListener('abort', stop);
      // The workers may outlive a runner that died: end the group whichever way it ended.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      clearTimeout(killTimer);
      resolve(c ?? 1);
    });
  });
  if (o.signal?.aborted) throw new Error('bot runner stopped: the run was interrupted');
  if (code !== 0) throw new Error(`bot runner exited with code ${code} (see the lines above)`);
  const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as RunSummary;
  await rm(summaryFile, { force: true });
  return summary;
}
