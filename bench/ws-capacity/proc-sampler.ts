/**
 * Memory and CPU of running processes, read from /proc once a second: resident set (VmRSS) and
 * user + system CPU time (utime + stime of /proc/<pid>/stat). A process that has exited keeps its
 * last reading, so the CPU it used still counts.
 *
 *   const sampler = sampleProcesses(() => pids, 1000);  …  sampler.stop() → Sample[]
 */
import { readFileSync } from 'node:fs';

/** One reading of a group of processes. */
export interface ProcSample {
  /** Unix ms. */
  atMs: number;
  /** Sum of VmRSS over the processes alive at that moment (KiB). */
  rssKiB: number;
  /** Sum of CPU seconds used so far, including processes already gone. */
  cpuSec: number;
  /** Processes alive at that moment. */
  alive: number;
}

const CLOCK_TICKS_PER_SEC = 100; // Linux USER_HZ

export function readRssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function readCpuSec(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
  } catch {
    return undefined;
  }
}

/** Children of a process (a service's workers). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface Sampler {
  stop(): ProcSample[];
}

export function sampleProcesses(pids: () => number[], everyMs = 1000): Sampler {
  const samples: ProcSample[] = [];
  const lastCpu = new Map<number, number>();
  const take = () => {
    let rssKiB = 0;
    let alive = 0;
    for (const pid of pids()) {
      const rss = readRssKiB(pid);
      const cpu = readCpuSec(pid);
      if (rss !== undefined) {
        rssKiB += rss;
        alive++;
      }
      if (cpu !== undefined) lastCpu.set(pid, cpu);
    }
    const cpuSec = [...lastCpu.values()].reduce((a, b) => a + b, 0);
    samples.push({ atMs: Date.now(), rssKiB, cpuSec, alive });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
