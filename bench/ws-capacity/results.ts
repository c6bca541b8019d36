/**
 * The bench's figures from what it collected — k6 summaries of each design and /proc samples of
 * the k6 processes and the signaling workers — and the results file's shape. Pure: tested on
 * recorded inputs. scripts/run/plan-sizing.ts reads results.json's `suite` figures to size runners.
 */
import type { GoMemory } from './go-memory.ts';
import type { ProcSample } from './proc-sampler.ts';

/** What one design's run handed over. */
export interface DesignRun {
  design: 'suite' | 'naive';
  description: string;
  planned: number;
  processes: number;
  vus: number;
  rampSec: number;
  holdSec: number;
  heartbeatSec: number;
  /** When the load started (Unix ms): the ramp and hold windows count from here. */
  startedAtMs: number;
  exitCodes: (number | null)[];
  /** One k6 summary per process (undefined where none was written). */
  summaries: unknown[];
  /** Names of the design's metrics in the summaries. */
  metrics: { held: string; success: string; connectMs: string };
}

export interface DesignResult {
  design: 'suite' | 'naive';
  description: string;
  planned: number;
  processes: number;
  vus: number;
  rampSec: number;
  holdSec: number;
  heartbeatSec: number;
  exitCodes: (number | null)[];
  /** Sessions joined and still open at the end of the hold window, all processes. */
  held: number;
  /** Share of sessions that joined (0..1), all processes. */
  connectSuccess: number | null;
  /** p95 of socket-created → open (ms), per process (percentiles do not add up; the worst is the figure). */
  connectP95MsPerProcess: (number | null)[];
  connectP95Ms: number | null;
  /** k6 resident memory summed over its processes (MiB): before the ramp, at its peak, at the hold's end. */
  k6RssMiB: { base: number | null; peak: number; holdEnd: number | null };
  /** Peak k6 RSS per session held (KiB): the design's memory cost. */
  kibPerConnection: number | null;
  /** (peak − base) per session held (KiB): what one more session adds. */
  marginalKibPerConnection: number | null;
  /** k6 CPU seconds (user + system) over the whole run, and per session held. */
  k6CpuSec: number;
  cpuMsPerConnection: number | null;
  /** k6 CPU from the start to the end of the ramp, per session held (ms): the cost of opening one. */
  rampCpuMsPerConnection: number | null;
  /** k6 CPU while only holding (ramp over, hold not yet), per session per minute (ms). */
  holdCpuMsPerConnectionMinute: number | null;
  /** The signaling workers (server side) during the same run. */
  server: { rssMiBBase: number | null; rssMiBPeak: number; kibPerConnection: number | null };
  /** Every 10 s: seconds since the start, k6 RSS (MiB), server RSS (MiB), k6 CPU seconds so far. */
  timeline: [number, number, number, number][];
}

export interface BenchResults {
  command: string;
  date: string;
  machine: { cores: number; memoryGiB: number; loadBefore: number[]; loadAfter: number[] };
  limits: { openFilesHard: number; somaxconn: number; portRange: [number, number]; notes: string[] };
  k6: { path: string; env: Record<string, string> };
  /** Sessions per meeting: each join sends every member a presence update (coalesced to 1/s). */
  sessionsPerMeeting?: number;
  suite: DesignResult;
  naive?: DesignResult;
  /** naive KiB per connection ÷ suite KiB per connection. */
  memoryRatio: number | null;
  /** The suite design's k6 processes in Go's own accounting, mid-hold (--go-memory). */
  goMemory?: GoMemoryReading;
}

/** Go's figures summed over the k6 processes at one moment, and per session open then. */
export interface GoMemoryReading {
  /** Seconds after the load started. */
  atSec: number;
  /** Sessions the k6 processes held then (gomeet's gauge is not readable from here: the plan's
   *  count of sessions opened by then, which the held-to-the-end figure bounds). */
  sessions: number;
  runners: number;
  total: GoMemory;
  /** Bytes per session of: goroutine stacks, heap in use, everything else the runtime holds. */
  perSession: { goroutines: number; stackKiB: number; heapKiB: number; otherKiB: number; rssKiB: number | null };
}

/** Sums the runners' figures and divides by the sessions open at that moment. */
export function goMemoryReading(atSec: number, sessions: number, perRunner: GoMemory[], rssKiB: number | null): GoMemoryReading {
  const total: GoMemory = { goroutines: 0, heapInuse: 0, stackInuse: 0, sys: 0, heapReleased: 0, numGC: 0 };
  for (const g of perRunner) for (const k of Object.keys(total) as (keyof GoMemory)[]) total[k] += g[k];
  const kib = (bytes: number) => round(bytes / 1024 / sessions, 1);
  return {
    atSec,
    sessions,
    runners: perRunner.length,
    total,
    perSession: {
      goroutines: round(total.goroutines / sessions, 2),
      stackKiB: kib(total.stackInuse),
      heapKiB: kib(total.heapInuse),
      otherKiB: kib(total.sys - total.heapReleased - total.stackInuse - total.heapInuse),
      rssKiB: rssKiB === null ? null : round(rssKiB / sessions, 1),
    },
  };
}

type Metrics = Record<string, { values?: Record<string, number> } | undefined>;

function metricsOf(summary: unknown): Metrics {
  return ((summary as { metrics?: Metrics } | undefined)?.metrics ?? {}) as Metrics;
}

const MiB = (kib: number) => round(kib / 1024, 1);

export function designResult(run: DesignRun, k6: ProcSample[], server: ProcSample[]): DesignResult {
  let held = 0;
  let passes = 0;
  let fails = 0;
  const p95s: (number | null)[] = [];
  for (const s of run.summaries) {
    const m = metricsOf(s);
    held += m[run.metrics.held]?.values?.count ?? 0;
    passes += m[run.metrics.success]?.values?.passes ?? 0;
    fails += m[run.metrics.success]?.values?.fails ?? 0;
    const p95 = m[run.metrics.connectMs]?.values?.['p(95)'];
    p95s.push(typeof p95 === 'number' ? round(p95, 1) : null);
  }
  const rampEnd = run.startedAtMs + run.rampSec * 1000;
  const holdEnd = rampEnd + run.holdSec * 1000;
  const base = lastAtOrBefore(k6, run.startedAtMs);
  const peak = Math.max(0, ...k6.map((s) => s.rssKiB));
  const atHoldEnd = lastAtOrBefore(k6, holdEnd - 2000);
  const cpuTotal = k6.at(-1)?.cpuSec ?? 0;
  const cpuRampEnd = lastAtOrBefore(k6, rampEnd + 5000)?.cpuSec;
  const cpuHoldEnd = atHoldEnd?.cpuSec;
  const holdMinutes = (run.holdSec - 5) / 60;
  const serverBase = lastAtOrBefore(server, run.startedAtMs);
  const serverPeak = Math.max(0, ...server.map((s) => s.rssKiB));
  const valid = p95s.filter((p): p is number => p !== null);
  return {
    design: run.design,
    description: run.description,
    planned: run.planned,
    processes: run.processes,
    vus: run.vus,
    rampSec: run.rampSec,
    holdSec: run.holdSec,
    heartbeatSec: run.heartbeatSec,
    exitCodes: run.exitCodes,
    held,
    connectSuccess: passes + fails > 0 ? round(passes / (passes + fails), 5) : null,
    connectP95MsPerProcess: p95s,
    connectP95Ms: valid.length > 0 ? Math.max(...valid) : null,
    k6RssMiB: { base: base ? MiB(base.rssKiB) : null, peak: MiB(peak), holdEnd: atHoldEnd ? MiB(atHoldEnd.rssKiB) : null },
    kibPerConnection: held > 0 ? round(peak / held, 1) : null,
    marginalKibPerConnection: held > 0 && base ? round((peak - base.rssKiB) / held, 1) : null,
    k6CpuSec: round(cpuTotal, 1),
    cpuMsPerConnection: held > 0 ? round((cpuTotal * 1000) / held, 2) : null,
    rampCpuMsPerConnection: held > 0 && cpuRampEnd !== undefined ? round((cpuRampEnd * 1000) / held, 2) : null,
    holdCpuMsPerConnectionMinute:
      held > 0 && cpuRampEnd !== undefined && cpuHoldEnd !== undefined && holdMinutes > 0
        ? round(((cpuHoldEnd - cpuRampEnd) * 1000) / held / holdMinutes, 3)
        : null,
    server: {
      rssMiBBase: serverBase ? MiB(serverBase.rssKiB) : null,
      rssMiBPeak: MiB(serverPeak),
      kibPerConnection: held > 0 && serverBase ? round((serverPeak - serverBase.rssKiB) / held, 1) : null,
    },
    timeline: timeline(k6, server, run.startedAtMs),
  };
}

/** The last sample taken at or before `atMs` with a process alive, else the first one alive. */
function lastAtOrBefore(samples: ProcSample[], atMs: number): ProcSample | undefined {
  const alive = samples.filter((s) => s.alive > 0);
  return alive.filter((s) => s.atMs <= atMs).at(-1) ?? alive[0];
}

function timeline(k6: ProcSample[], server: ProcSample[], startMs: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  let next = -Infinity;
  for (const s of k6) {
    const t = Math.round((s.atMs - startMs) / 1000);
    if (t < next) continue;
    next = t + 10;
    const srv = lastAtOrBefore(server, s.atMs);
    out.push([t, MiB(s.rssKiB), srv ? MiB(srv.rssKiB) : 0, round(s.cpuSec, 1)]);
  }
  return out;
}

/** Sessions a design must have held, of those planned, for its memory per session to mean anything:
 *  a design that collapsed holds a few hundred sessions at the end with the peak RSS of tens of
 *  thousands, and "peak ÷ held" would say a session costs megabytes (a 0.0× ratio). */
export const HELD_FOR_RATIO = 0.99;

/** How many times the naive design's memory per session is the suite's; null when either did not
 *  hold its sessions (or was skipped). */
export function memoryRatioOf(suite: DesignResult, naive: DesignResult | undefined): number | null {
  const heldEnough = (d: DesignResult) => d.planned > 0 && d.held >= HELD_FOR_RATIO * d.planned && d.kibPerConnection !== null;
  if (!naive || !heldEnough(suite) || !heldEnough(naive)) return null;
  return round(naive.kibPerConnection! / suite.kibPerConnection!, 1);
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

export function renderResultsMarkdown(r: BenchResults): string {
  const designs = [r.suite, ...(r.naive ? [r.naive] : [])];
  const cell = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '—' : `${v.toLocaleString('en-US')}${unit}`);
  const lines = [
    '# bench/ws-capacity results',
    '',
    `Command: \`${r.command}\`  `,
    `Date: ${r.date}  `,
    `Machine: ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB; load average before ${r.machine.loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${r.machine.loadAfter.map((l) => l.toFixed(1)).join(' ')}  `,
    `k6 environment: ${Object.keys(r.k6.env).length ? Object.entries(r.k6.env).map(([k, v]) => `${k}=${v}`).join(' ') : 'defaults'}  `,
    `Sessions per meeting: ${r.sessionsPerMeeting ?? 500}`,
    '',
    '| design | sessions planned | held | connect success | connect p95 | k6 processes | VUs | k6 RSS peak | KiB / session | k6 CPU per session | hold CPU per session-minute | signaling RSS peak (server) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...designs.map(
      (d) =>
        `| ${d.design}: ${d.description} | ${cell(d.planned)} | ${cell(d.held)} | ${d.connectSuccess === null ? '—' : `${(d.connectSuccess * 100).toFixed(2)} %`} | ${cell(d.connectP95Ms, ' ms')} | ${d.processes} | ${cell(d.vus)} | ${cell(d.k6RssMiB.peak, ' MiB')} | ${cell(d.kibPerConnection)} | ${cell(d.cpuMsPerConnection, ' ms')} | ${cell(d.holdCpuMsPerConnectionMinute, ' ms')} | ${cell(d.server.rssMiBPeak, ' MiB')} (${cell(d.server.kibPerConnection)} KiB / session) |`,
    ),
    '',
    r.memoryRatio === null ? `Memory ratio: not measured (the naive design skipped, or a design held fewer than ${HELD_FOR_RATIO * 100} % of its planned sessions).` : `**Memory per session: the naive design needs ${r.memoryRatio}× the suite's.**`,
    '',
    ...(r.goMemory
      ? [
          `Go's own accounting of the suite's k6 processes ${r.goMemory.atSec} s into the load (${r.goMemory.sessions.toLocaleString('en-US')} sessions open, ${r.goMemory.runners} process(es), k6 --profiling-enabled): ` +
            `per session ${r.goMemory.perSession.goroutines} goroutines, **${r.goMemory.perSession.stackKiB} KiB of goroutine stacks, ${r.goMemory.perSession.heapKiB} KiB of heap in use, ${r.goMemory.perSession.otherKiB} KiB other runtime memory** ` +
            `(RSS ${cell(r.goMemory.perSession.rssKiB)} KiB per session then; ${r.goMemory.total.numGC} GCs so far).`,
          '',
        ]
      : []),
    'Limits on this machine:',
    ...r.limits.notes.map((n) => `- ${n}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
