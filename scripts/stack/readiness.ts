/**
 * "Is it ready yet?" — the probes a component's readiness is made of, a bounded wait, and the log
 * tail shown when a component never becomes ready.
 */
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long one probe may take. Generous: on a 2-core machine running a load test (load average
 *  20+) a healthy server can take seconds to answer, and a false "down" restarts nothing but
 *  fails `status` and slows `up`. */
export const PROBE_TIMEOUT_MS = 5000;

/** True when a TCP connection to host:port opens within `timeoutMs`. */
export function tcpOpen(host: string, port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when GET `url` answers `status` (default: any 2xx) within `timeoutMs`. */
export async function httpOk(url: string, status?: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return status === undefined ? res.ok : res.status === status;
  } catch {
    return false;
  }
}

/** Polls `check` until it is true or `timeoutMs` passes; returns whether it became true. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** Last `lines` lines of a log file (empty when the file does not exist). */
export async function tailLog(file: string, lines = 20): Promise<string> {
  try {
    const all = (await readFile(file, 'utf8')).trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '';
  }
}
