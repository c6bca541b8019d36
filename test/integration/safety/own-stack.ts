/**
 * What the secret-scan and interrupt tests share: the real CLI run against a local stack of their
 * own (a fresh state dir, shifted ports), so they never touch a developer's stack or each other's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../scripts/tools/paths.ts';

export const CLI = join(PROJECT_ROOT, 'bin', 'gomeet-capacity.mjs');

export interface OwnStack {
  work: string;
  stackDir: string;
  env: NodeJS.ProcessEnv;
}

export async function ownStack(prefix: string, offset: number): Promise<OwnStack> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  // PostgreSQL runs as its own user and must reach its data dir under here: mkdtemp's 0700 stops it.
  await chmod(work, 0o755);
  const stackDir = join(work, 'stack');
  return { work, stackDir, env: { ...process.env, GOMEET_STACK_DIR: stackDir, GOMEET_STACK_PORT_OFFSET: String(offset), NO_COLOR: '1' } };
}

export interface CliRun {
  child: ChildProcess;
  /** Output so far (both grow while the CLI runs). */
  out: { stdout: string; stderr: string };
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...out });
    });
  });
  return { child, out, done };
}

export function cli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000) {
  return startCli(args, env, timeoutMs).done;
}
