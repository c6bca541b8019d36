/**
 * Starts the reference services as real processes for integration tests — from the same esbuild
 * bundles the local stack runs (scripts/stack/build-services.ts), built once when this module loads —
 * waits for /health, and stops them (SIGTERM, then SIGKILL) when asked. Why not `node --import tsx`:
 * every process (and every signaling worker) transpiled the sources at start, and four of them at
 * once took over 120 s on a busy 2-core machine; a bundle starts in about a second.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { bundlePathOf, ensureServicesBuilt } from '../../../scripts/stack/build-services.ts';
import { stopChild, tailOf, track } from '../../helpers/child-processes.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const API_ENTRY = 'stack/services/api/main.ts';
export const SIGNALING_ENTRY = 'stack/services/signaling/main.ts';

await ensureServicesBuilt([API_ENTRY, SIGNALING_ENTRY]);

export interface ServiceProcess {
  /** stdout + stderr so far (last 8 KB). */
  output(): string;
  exitCode(): number | null;
  stop(): Promise<void>;
}

export function startService(entry: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', bundlePathOf(entry)], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const output = tailOf(child, 8000);
  return { output, exitCode: () => child.exitCode, stop: () => stopChild(child, 'SIGTERM', 15_000) };
}

/** Polls `url` until it answers 200; throws with the service's output if it exits or times out. */
export async function waitHealthy(url: string, service: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.exitCode() !== null) throw new Error(`service exited (${service.exitCode()}) before ${url} was healthy:\n${service.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms:\n${service.output()}`);
    await sleep(200);
  }
}
