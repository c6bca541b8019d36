/**
 * A helper process of the probe run, started inside the media namespace (`ip netns exec` execs the
 * command itself, so the pid is the helper's). It runs in its own process group: stop() signals the
 * whole group, so a k6 takes its Chromium with it. Output is kept in memory, bounded, for reports and
 * error messages; a helper that announces itself prints one `READY <json>` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { inNetns } from '../../scripts/clients/netns.ts';

/** Lines of output kept per helper (the tail; enough for an error message). */
const KEEP_LINES = 400;

export interface LabChild {
  pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Output lines so far (stdout and stderr interleaved, the last KEEP_LINES). */
  lines(): string[];
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the helper has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface LabChildOptions {
  netns: string;
  argv: string[];
  /** Added to this process's environment (secrets travel here, never in argv). */
  env?: Record<string, string>;
  /** false: the child gets `env` only, not this process's environment (k6 gets a minimal one). */
  inheritEnv?: boolean;
  cwd?: string;
}

export function startLabChild(opts: LabChildOptions): LabChild {
  const [cmd, ...args] = inNetns(opts.netns, opts.argv);
  const child: ChildProcess = spawn(cmd as string, args, {
    cwd: opts.cwd,
    env: opts.inheritEnv === false ? { ...opts.env } : { ...process.env, ...opts.env },
    detached: true,
    // stdin stays open: a helper ends itself when it closes (our process died).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const kept: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length === 0) continue;
      kept.push(line);
      if (kept.length > KEEP_LINES) kept.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      kept.push(`spawn error: ${err.message}`);
      resolve(-1);
    });
  });
  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // Already gone.
    }
  };
  return {
    pid: child.pid ?? -1,
    exited,
    lines: () => [...kept],
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      child.stdin?.destroy();
    },
  };
}

/** Waits for the helper's `READY <json>` line; throws with its output if it exits or times out first. */
export async function waitReady<T>(child: LabChild, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((c) => (exitCode = c));
  while (Date.now() < deadline) {
    const line = child.lines().find((l) => l.startsWith('READY '));
    if (line) return JSON.parse(line.slice('READY '.length)) as T;
    if (exitCode !== undefined) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await child.stop();
  const tail = child.lines().slice(-15).join('\n  ');
  throw new Error(`${what} did not become ready within ${timeoutMs} ms${exitCode !== undefined ? ` (exited ${exitCode})` : ''}:\n  ${tail}`);
}
