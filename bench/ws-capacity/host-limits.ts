/**
 * The limits a newcomer hits holding tens of thousands of sockets on one machine, raised where this
 * process may, and said plainly where it may not:
 *
 *   open files    RLIMIT_NOFILE: Node and Go both lift their soft limit to the hard one at start,
 *                 so each k6 (and each signaling worker) may hold about `hard` sockets; the hard
 *                 limit itself (20,000 here) is the sandbox's — hence several k6 processes
 *   ports         net.ipv4.ip_local_port_range: the stack widens it to 1024–65535 (scripts/stack/kernel.ts);
 *                 with 4 listener ports that is 4 × ~64k source ports, far above 50,000
 *   backlog       net.core.somaxconn caps every listen() backlog (the workers ask for 8192); a raise
 *                 only reaches listeners opened after it — the stack's signaling must restart to see it
 */
import { readFileSync, writeFileSync } from 'node:fs';

const SOMAXCONN = '/proc/sys/net/core/somaxconn';
const PORT_RANGE = '/proc/sys/net/ipv4/ip_local_port_range';
/** What the signaling workers ask for (stack/services/signaling/worker.ts LISTEN_BACKLOG). */
export const WANTED_SOMAXCONN = 8192;

export interface HostLimits {
  openFilesHard: number;
  somaxconn: number;
  portRange: [number, number];
  /** One line per limit: what it is, what was raised, what could not be. */
  notes: string[];
}

export function openFilesHardLimit(pid: number | 'self' = 'self'): number {
  const m = /Max open files\s+\d+\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

export function raiseHostLimits(): HostLimits {
  const notes: string[] = [];
  const openFilesHard = openFilesHardLimit();
  notes.push(`open files: hard limit ${openFilesHard} per process (not raisable here): each k6 holds at most ~${openFilesHard - 500} sockets`);

  let somaxconn = Number(readFileSync(SOMAXCONN, 'utf8').trim());
  if (somaxconn < WANTED_SOMAXCONN) {
    try {
      writeFileSync(SOMAXCONN, String(WANTED_SOMAXCONN));
      notes.push(`net.core.somaxconn raised ${somaxconn} → ${WANTED_SOMAXCONN} (reaches listeners opened from now on: restart the stack's signaling to use it)`);
      somaxconn = WANTED_SOMAXCONN;
    } catch (err) {
      notes.push(`net.core.somaxconn stays ${somaxconn} (${(err as NodeJS.ErrnoException).code ?? err}): listen backlogs are capped there`);
    }
  } else {
    notes.push(`net.core.somaxconn ${somaxconn}`);
  }

  const [lo, hi] = readFileSync(PORT_RANGE, 'utf8').trim().split(/\s+/).map(Number) as [number, number];
  notes.push(`ephemeral ports ${lo}–${hi}: ~${hi - lo + 1} connections per listener port${hi - lo < 60_000 ? ' (`stack up` as root widens it to 1024–65535)' : ''}`);
  return { openFilesHard, somaxconn, portRange: [lo, hi], notes };
}

const AUTOGROUP_ENABLED = '/proc/sys/kernel/sched_autogroup_enabled';

/**
 * CPU under sched_autogroup: the kernel shares CPU between sessions (setsid groups) first, and only
 * then between the processes of a session — `nice` alone does nothing across sessions. The stack
 * starts the signaling primary and all its workers in ONE session, while every k6 runner is its own
 * session (scripts/clients/k6.ts spawns it detached): on a busy machine the 4 workers together get
 * one session's share. Measured here: each worker ~8 % of a core, its main thread waiting in the run
 * queue 100 % of the time, /metrics answering in 7–10 s, joins timing out. Raising the session's
 * priority (/proc/<pid>/autogroup, root only) is what helps; this says whether it could.
 */
export function autogroupEnabled(): boolean {
  try {
    return readFileSync(AUTOGROUP_ENABLED, 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** Set the CPU priority of the session `pid` belongs to (-20..19); returns a note either way. */
export function setAutogroupNice(pid: number, nice: number, what: string): string {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return `sched_autogroup: ${what} (pid ${pid}) session priority set to nice ${nice}`;
  } catch (err) {
    return `sched_autogroup: could not prioritise ${what} (${(err as NodeJS.ErrnoException).code ?? err}): it shares CPU with every other session`;
  }
}
