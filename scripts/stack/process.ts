/**
 * Long-running stack processes: started detached (own process group, output appended to a log,
 * pid in a pidfile) so `stack up` can return while they keep running, and stopped by process group
 * so a server's own children (e.g. signaling workers) go with it.
 *
 * Each start goes through `bash -c 'ulimit -n <hard>; exec …'`: the soft open-file limit is raised
 * to the hard one for the child (50k sockets later need every descriptor we may have), and `exec`
 * keeps the pid, so the pidfile names the server itself.
 */
import { spawn } from 'node:child_process';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Launch {
  /** Executable (absolute path or on PATH). */
  cmd: string;
  args: string[];
  /** Variables added to the CLI's environment (secrets travel here, never in args). */
  env?: Record<string, string>;
  cwd?: string;
}

const RAISE_NOFILE = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; exec "$0" "$@"';

/** Starts `launch` detached; output is appended to `logFile`, the pid written to `pidFile`. */
export async function startDetached(launch: Launch, logFile: string, pidFile: string | null): Promise<number> {
  const log = await open(logFile, 'a');
  try {
    await log.write(`\n--- ${new Date().toISOString()} starting ${basename(launch.cmd)}\n`);
    const child = spawn('bash', ['-c', RAISE_NOFILE, launch.cmd, ...launch.args], {
      cwd: launch.cwd,
      env: { ...process.env, ...launch.env },
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolvePid(child.pid as number));
    });
    child.unref();
    if (pidFile) await writeFile(pidFile, `${pid}\n`);
    return pid;
  } finally {
    await log.close();
  }
}

/** The pid in a pidfile (first line, as PostgreSQL's postmaster.pid has it too), or null. */
export async function readPidFile(pidFile: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Alive and not a zombie (a killed child of this CLI stays a zombie until reaped). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command name (which may itself contain spaces).
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Command line of a live pid (for "what holds this port" and pid-reuse checks). */
export async function commandLineOf(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

/** The pid from `pidFile` if that process is alive and its command line mentions `expect`
 *  (a stale pidfile whose pid was reused by something else does not count). */
export async function livePid(pidFile: string, expect: string): Promise<number | null> {
  const pid = await readPidFile(pidFile);
  if (pid === null || !(await isAlive(pid))) return null;
  const cmdline = await commandLineOf(pid);
  return cmdline?.includes(expect) ? pid : null;
}

/** Signals the process group led by `pid`; with `orSelf`, the process alone when it leads none.
 *  (Safe after the leader died: Linux does not hand out a pid still in use as a group id.) */
function signalGroup(pid: number, signal: NodeJS.Signals, orSelf: boolean): void {
  try {
    process.kill(-pid, signal);
  } catch {
    if (!orSelf) return;
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid))) return true;
    await sleep(100);
  }
  return !(await isAlive(pid));
}

/** SIGTERM to the process group, SIGKILL after `graceMs`. Returns how it ended. */
export async function stopProcessGroup(pid: number, graceMs = 10_000): Promise<'stopped' | 'killed' | 'not running'> {
  if (!(await isAlive(pid))) return 'not running';
  signalGroup(pid, 'SIGTERM', true);
  if (await waitGone(pid, graceMs)) {
    // Children that outlive their leader (a worker still draining) get the same end.
    signalGroup(pid, 'SIGKILL', false);
    return 'stopped';
  }
  signalGroup(pid, 'SIGKILL', true);
  await waitGone(pid, 5_000);
  return 'killed';
}

export async function removePidFile(pidFile: string): Promise<void> {
  await rm(pidFile, { force: true });
}
