/**
 * Child processes (and temp dirs) a test helper starts, killed (removed) when the test process
 * exits even if a test forgot to stop them (a crash, a timeout in beforeAll): nothing is left behind.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
}

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  hookExit();
}

/** A temp dir removed at process exit unless `untrackDir` was called (its owner removed it). */
export function trackDir(dir: string): void {
  dirs.add(dir);
  hookExit();
}

export function untrackDir(dir: string): void {
  dirs.delete(dir);
}

/** Signal the child and wait for it to exit; SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Keeps the last `maxBytes` of a child's output for error messages. */
export function tailOf(child: ChildProcess, maxBytes = 4000): () => string {
  let text = '';
  const append = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-maxBytes);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}
