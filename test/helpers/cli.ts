/**
 * The real CLI as an SRE types it, for integration tests: `node bin/gomeet-capacity.mjs ARGS`, its
 * output collected, SIGTERM after a timeout. And a listener on 127.0.0.1 that counts every request it
 * gets — the target of tests proving that refused input sends no load.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/tools/paths.ts';

const CLI = join(PROJECT_ROOT, 'bin', 'gomeet-capacity.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `killSignal`: what the timeout sends (SIGINT to see the CLI's own interrupt path; default SIGTERM). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, killSignal: NodeJS.Signals = 'SIGTERM'): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(killSignal), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface CountingListener {
  /** host:port on 127.0.0.1. */
  base: string;
  /** Requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startCountingListener(): Promise<CountingListener> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return {
    base: `127.0.0.1:${addr.port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
