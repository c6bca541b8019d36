/**
 * CPU and memory of each probe's Chromium, sampled from /proc while k6 runs: a browser is a
 * `chromium` child of the k6 process, and its cost is its whole process tree (browser, GPU, network
 * service, renderers, zygotes). Memory is PSS (shared pages split between the processes that map
 * them), so summing a tree does not count Chromium's shared libraries once per process; RSS is
 * reported beside it for comparison.
 *
 * Browsers are numbered in launch order: with the probe plan's launch stagger that is probe order.
 */
import { readdir, readFile } from 'node:fs/promises';

/** USER_HZ: /proc reports CPU time in these ticks (100 on every Linux this suite runs on). */
const CLOCK_TICKS_PER_SEC = 100;
const PAGE_KB = 4;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, ticks. */
  cpuTicks: number;
  /** Start time after boot, ticks. */
  startTicks: number;
  rssKb: number;
}

/** /proc/<pid>/stat → the fields used here; undefined when the process is gone. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // Fields after the comm start with field 3 (state); utime is field 14, stime 15, starttime 22, rss 24.
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    startTicks: field(22),
    rssKb: field(24) * PAGE_KB,
  };
}

async function readStats(): Promise<Map<number, ProcStat>> {
  const out = new Map<number, ProcStat>();
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const s = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
        if (s) out.set(s.pid, s);
      } catch {
        // Exited between readdir and read.
      }
    }),
  );
  return out;
}

async function pssKb(pid: number): Promise<number> {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function descendants(root: number, stats: Map<number, ProcStat>): number[] {
  const children = new Map<number, number[]>();
  for (const s of stats.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

export interface BrowserUsage {
  /** 1-based launch order. */
  index: number;
  pid: number;
  /** Samples taken while it ran. */
  samples: number;
  /** Mean CPU of the whole tree over its life, % of one core. */
  cpuPctMean: number;
  /** Mean CPU after the first `steadyAfterSec` of its life (launch and connect excluded), % of one core. */
  cpuPctSteady: number | undefined;
  pssMbMean: number;
  pssMbMax: number;
  rssMbMax: number;
  processesMax: number;
}

interface Track {
  pid: number;
  startTicks: number;
  firstAt: number;
  lastTicks: Map<number, number>;
  cpuSamples: { at: number; pct: number }[];
  pss: number[];
  rssMax: number;
  procsMax: number;
  prevAt: number;
}

export interface ResourceSampler {
  /** Stops sampling; usage per browser in launch order, plus k6's own CPU (% of one core). */
  stop(): Promise<{ browsers: BrowserUsage[]; k6CpuPctMean: number | undefined }>;
}

/** Samples the Chromium trees under `k6Pid` every `intervalMs`. */
export function sampleBrowserResources(k6Pid: number, intervalMs = 1000, steadyAfterSec = 10): ResourceSampler {
  const tracks = new Map<number, Track>();
  let k6First: { at: number; ticks: number } | undefined;
  let k6Last: { at: number; ticks: number } | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function sampleOnce(): Promise<void> {
    const at = Date.now();
    const stats = await readStats();
    const k6 = stats.get(k6Pid);
    if (k6) {
      k6First ??= { at, ticks: k6.cpuTicks };
      k6Last = { at, ticks: k6.cpuTicks };
    }
    for (const s of stats.values()) {
      if (s.ppid !== k6Pid || s.comm !== 'chromium') continue;
      let t = tracks.get(s.pid);
      const tree = descendants(s.pid, stats);
      if (!t) {
        t = { pid: s.pid, startTicks: s.startTicks, firstAt: at, lastTicks: new Map(), cpuSamples: [], pss: [], rssMax: 0, procsMax: 0, prevAt: at };
        tracks.set(s.pid, t);
      }
      let deltaTicks = 0;
      const now = new Map<number, number>();
      let rss = 0;
      for (const pid of tree) {
        const p = stats.get(pid) as ProcStat;
        now.set(pid, p.cpuTicks);
        // A process new since the last sample spent all its ticks in this interval (or at launch).
        deltaTicks += p.cpuTicks - (t.lastTicks.get(pid) ?? (t.lastTicks.size === 0 ? p.cpuTicks : 0));
        rss += p.rssKb;
      }
      if (t.lastTicks.size > 0 && at > t.prevAt) {
        t.cpuSamples.push({ at, pct: ((deltaTicks / CLOCK_TICKS_PER_SEC) / ((at - t.prevAt) / 1000)) * 100 });
      }
      t.lastTicks = now;
      t.prevAt = at;
      const pss = (await Promise.all(tree.map(pssKb))).reduce((a, b) => a + b, 0);
      t.pss.push(pss / 1024);
      t.rssMax = Math.max(t.rssMax, rss / 1024);
      t.procsMax = Math.max(t.procsMax, tree.length);
    }
  }

  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(sampleOnce).catch(() => undefined);
  }, intervalMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      const browsers = [...tracks.values()]
        .sort((a, b) => a.startTicks - b.startTicks)
        .map((t, i): BrowserUsage => {
          const steady = t.cpuSamples.filter((s) => s.at - t.firstAt >= steadyAfterSec * 1000);
          const avg = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
          return {
            index: i + 1,
            pid: t.pid,
            samples: t.pss.length,
            cpuPctMean: avg(t.cpuSamples.map((s) => s.pct)),
            cpuPctSteady: steady.length ? avg(steady.map((s) => s.pct)) : undefined,
            pssMbMean: avg(t.pss),
            pssMbMax: Math.max(0, ...t.pss),
            rssMbMax: t.rssMax,
            processesMax: t.procsMax,
          };
        });
      const k6CpuPctMean =
        k6First && k6Last && k6Last.at > k6First.at ? (((k6Last.ticks - k6First.ticks) / CLOCK_TICKS_PER_SEC) / ((k6Last.at - k6First.at) / 1000)) * 100 : undefined;
      return { browsers, k6CpuPctMean };
    },
  };
}
