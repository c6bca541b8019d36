/**
 * Which processes exist, read from /proc: for the interrupt test to name every process a run
 * started (its descendants, and the stack's daemons, which are detached but carry the state dir on
 * their command line) and to check afterwards that none of them is still there.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, names one process even if the pid is reused. */
  start: string;
  state: string;
  cmd: string;
}

function read(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields after it start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: Number(rest[1]), state: rest[0]!, start: rest[19]!, cmd };
  } catch {
    return undefined; // exited while we looked
  }
}

export function processes(): Proc[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => read(Number(d)))
    .filter((p): p is Proc => p !== undefined);
}

/** `root` and everything below it now, plus every process whose command line holds one of `markers`. */
export function ours(root: number, markers: string[]): Proc[] {
  const all = processes();
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found = new Map<number, Proc>();
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (!found.has(c.pid)) {
        found.set(c.pid, c);
        walk(c.pid);
      }
    }
  };
  walk(root);
  for (const p of all) if (p.pid !== process.pid && markers.some((m) => p.cmd.includes(m))) found.set(p.pid, p);
  return [...found.values()];
}

/** Those of `seen` that still run (same pid and start time; zombies count as gone). */
export function stillAlive(seen: Iterable<Proc>): Proc[] {
  const now = new Map(processes().map((p) => [p.pid, p]));
  return [...seen].filter((p) => {
    const q = now.get(p.pid);
    return q !== undefined && q.start === p.start && q.state !== 'Z';
  });
}
