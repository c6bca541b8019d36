/**
 * bench/ws-capacity — what holding signaling sessions costs the load generator, for the suite's
 * design (scenarios/websocket.ts: many sessions per VU — in Go by the suite's k6 extension, engine
 * gomeet-xk6, or on k6/websockets, engine k6-websockets — split over k6 processes like
 * `run --runners N`) and for the naive design (one VU per session, k6/ws: naive-ws.js).
 *
 *   node --import tsx bench/ws-capacity/run.ts [--connections 50000] [--runners 4] [--per-vu 1000]
 *       [--ramp-sec 300] [--hold-sec 300] [--heartbeat-sec 15] [--room 500] [--naive-connections 5000]
 *       [--naive-ramp-sec 60] [--naive-hold-sec 60] [--skip-naive] [--no-priority] [--gogc 100] [--gomemlimit 700MiB]
 *       [--godebug adaptivestackstart=0] [--go-memory] [--engine gomeet-xk6|k6-websockets]
 *       [--out bench/ws-capacity]
 *
 *  1. the local reference stack (GOMEET_STACK_DIR / GOMEET_STACK_PORT_OFFSET are honoured), brought
 *     up if needed; every URL must be on 127.0.0.0/8 or the bench refuses to start
 *  2. raise what can be raised (host-limits.ts) and print what cannot; under sched_autogroup, give
 *     the signaling workers' session (and Redis's, and each k6's) CPU priority over the machine's
 *     other sessions (--no-priority: leave them as they are)
 *  3. suite design: meetings made up front (--room sessions each; 500 is the seed's room, and every
 *     join sends each member a presence update, coalesced to one a second), N paused runners
 *     started together, each holding its execution segment; k6 RSS and CPU (summed over the k6
 *     processes) and the signaling workers' RSS sampled from /proc every second
 *  4. naive design at a size it can reach, same protocol and timing, one k6 process
 *  5. results.json + results.md in --out: the command, the date, the load average before and after,
 *     the limits, both designs' figures and the ratio of memory per connection
 *
 * Bounded: both designs end by themselves (ramp + hold + grace), loopback only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadTarget, signalingUrls, type Target } from '../../lib/config/target.ts';
import type { Plan } from '../../lib/gomeet/plan.ts';
import { DEFAULT_WS_ENGINE, PROFILES, WS_ENGINES, type Profile, type WsEngine } from '../../lib/profiles.ts';
import { bundleScenarios } from '../../scripts/bundle.ts';
import { runK6 } from '../../scripts/clients/k6.ts';
import { createRunMeetings } from '../../scripts/run/load/meetings.ts';
import { RUNNER_GO_ENV } from '../../scripts/run/load/runner-args.ts';
import { runLoad } from '../../scripts/run/load/runners.ts';
import { pidFileOf, stackLayout } from '../../scripts/stack/layout.ts';
import { ensureLocalStack } from '../../scripts/stack/local-stack.ts';
import { readPidFile } from '../../scripts/stack/process.ts';
import { ensureK6 } from '../../scripts/tools/k6.ts';
import { autogroupEnabled, raiseHostLimits, setAutogroupNice } from './host-limits.ts';
import { readGoMemory, type GoMemory } from './go-memory.ts';
import { childPids, readRssKiB, sampleProcesses, type ProcSample } from './proc-sampler.ts';
import { designResult, goMemoryReading, memoryRatioOf, renderResultsMarkdown, type GoMemoryReading, type BenchResults, type DesignRun } from './results.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '50000' },
    runners: { type: 'string', default: '4' },
    'per-vu': { type: 'string', default: '1000' },
    'ramp-sec': { type: 'string', default: '300' },
    'hold-sec': { type: 'string', default: '300' },
    'heartbeat-sec': { type: 'string', default: '15' },
    room: { type: 'string', default: '500' },
    'naive-connections': { type: 'string', default: '5000' },
    'naive-ramp-sec': { type: 'string', default: '60' },
    'naive-hold-sec': { type: 'string', default: '60' },
    'skip-naive': { type: 'boolean', default: false },
    'no-priority': { type: 'boolean', default: false },
    gogc: { type: 'string' },
    gomemlimit: { type: 'string' },
    godebug: { type: 'string' },
    'go-memory': { type: 'boolean', default: false },
    engine: { type: 'string', default: DEFAULT_WS_ENGINE },
    out: { type: 'string', default: HERE },
  },
});
const int = (name: keyof typeof flags, min: number, max: number): number => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${flags[name]}`);
  return n;
};
const connections = int('connections', 1, 60_000);
const runners = int('runners', 1, 16);
const perVU = int('per-vu', 1, 5_000);
const rampSec = int('ramp-sec', 1, 1800);
const holdSec = int('hold-sec', 1, 1800);
const heartbeatSec = int('heartbeat-sec', 1, 60);
const naiveConnections = int('naive-connections', 1, 10_000);
const naiveRampSec = int('naive-ramp-sec', 1, 1800);
const naiveHoldSec = int('naive-hold-sec', 1, 1800);
const outDir = resolve(flags.out);
if (!WS_ENGINES.includes(flags.engine as WsEngine)) throw new Error(`--engine must be one of ${WS_ENGINES.join(', ')}, got ${flags.engine}`);
const engine = flags.engine as WsEngine;
const ENGINE_TEXT: Record<WsEngine, string> = {
  'gomeet-xk6': 'Go sessions in the suite\'s k6 extension (k6/x/gomeet)',
  'k6-websockets': 'k6/websockets',
};
/** Sessions per meeting (the seed's room is 500). */
const ROOM = int('room', 2, 500);
const SAMPLE_EVERY_MS = 1000;
/** Session priority of each k6 process under sched_autogroup (the server's is -10: it must keep up). */
const K6_AUTOGROUP_NICE = -5;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const loadBefore = loadavg();
const limits = raiseHostLimits();
for (const note of limits.notes) log(note);

const stack = await ensureLocalStack({ onProgress: (line) => log(line) });
const target = await loadTarget(stack.targetFile);
assertLoopback(target);
const password = stack.env[target.auth.passwordEnv];
if (!password) throw new Error(`${target.auth.passwordEnv} missing from the local stack's secrets`);
const signalingPid = await readPidFile(pidFileOf(stackLayout(), 'signaling'));
const serverPids = () => (signalingPid ? [signalingPid, ...childPids(signalingPid)] : []);
// Under sched_autogroup the signaling workers share one session's CPU (host-limits.ts): give that
// session, Redis's and each k6's priority over the machine's other sessions, and say so.
const redisPid = await readPidFile(pidFileOf(stackLayout(), 'redis'));
const prioritise = autogroupEnabled() && !flags['no-priority'];
if (prioritise) {
  for (const [pid, what, nice] of [[signalingPid, 'signaling', -10], [redisPid, 'redis', -10]] as const) {
    if (pid) limits.notes.push(setAutogroupNice(pid, nice, what));
  }
  for (const n of limits.notes.slice(-2)) log(n);
}
const onK6Spawn = (pid: number) => {
  if (prioritise) setAutogroupNice(pid, K6_AUTOGROUP_NICE, 'k6');
};
const k6Path = await ensureK6();
const runId = `bench-ws-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
const workDir = join(outDir, 'last-run');
// Go's GC knobs for every k6 process: GOGC (heap growth before a collection, default 100) and
// GOMEMLIMIT (a soft limit per process at which the GC works harder).
// Both designs get the runners' defaults (RUNNER_GO_ENV), then the flags.
const goEnv: Record<string, string> = {
  ...RUNNER_GO_ENV,
  ...(flags.gogc ? { GOGC: flags.gogc } : {}),
  ...(flags.gomemlimit ? { GOMEMLIMIT: flags.gomemlimit } : {}),
  // GODEBUG: runtime switches, e.g. adaptivestackstart=0 (new goroutines start at the minimum stack
  // instead of the running average of scanned stacks — k6's VU goroutines run deep JS stacks).
  ...(flags.godebug ? { GODEBUG: flags.godebug } : {}),
};
// --go-memory: the suite's runners serve /debug/pprof on their (loopback) REST API, read once mid-hold.
let goMemory: GoMemoryReading | undefined;

const suite = await runSuiteDesign();
const naive = flags['skip-naive'] ? undefined : await runNaiveDesign();

const results: BenchResults = {
  command: `node --import tsx bench/ws-capacity/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
  date: new Date().toISOString(),
  machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadBefore, loadAfter: loadavg() },
  limits: { openFilesHard: limits.openFilesHard, somaxconn: limits.somaxconn, portRange: limits.portRange, notes: limits.notes },
  k6: { path: k6Path, env: goEnv },
  sessionsPerMeeting: ROOM,
  suite,
  naive,
  memoryRatio: memoryRatioOf(suite, naive),
  ...(goMemory ? { goMemory } : {}),
};
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(outDir, 'results.md'), renderResultsMarkdown(results));
log(`wrote ${join(outDir, 'results.json')} and results.md`);
console.log(renderResultsMarkdown(results));

async function runSuiteDesign() {
  const profile: Profile = {
    ...PROFILES.full,
    name: 'full',
    description: 'bench/ws-capacity: signaling sessions only',
    gates: ['ws_connections', 'ws_connect_success_pct'],
    websocket: { connections, connectionsPerVU: perVU, rampSec, holdSec, heartbeatSec, meetings: Math.ceil(connections / ROOM), engine },
    runners,
  };
  const meetings = await createRunMeetings({ apiBaseUrl: target.api.baseUrl, password: password!, targetUsers: target.auth.users, profile, runId });
  const script = (await bundleScenarios(join(workDir, 'bundle'))).find((s) => s.endsWith('websocket.js'))!;
  const plan: Plan = {
    runId,
    runner: { id: 0, count: runners },
    profile,
    gates: profile.gates,
    target: { name: target.name, apiBaseUrl: target.api.baseUrl, signalingUrls: signalingUrls(target), users: target.auth.users, passwordEnv: target.auth.passwordEnv },
    meetings,
  };
  const k6Pids: number[] = [];
  const restAddresses: string[] = [];
  let goMemoryTimer: ReturnType<typeof setTimeout> | undefined;
  const k6Sampler = sampleProcesses(() => k6Pids, SAMPLE_EVERY_MS);
  const serverSampler = sampleProcesses(serverPids, SAMPLE_EVERY_MS);
  log(`suite design (${engine}): ${connections} sessions, ${runners} k6 processes, ${perVU} per VU, ramp ${rampSec} s, hold ${holdSec} s, heartbeat ${heartbeatSec} s`);
  const load = await runLoad({
    k6Path,
    script,
    plan,
    runners,
    thresholds: 'none',
    env: { [target.auth.passwordEnv]: password!, ...goEnv },
    profiling: flags['go-memory'],
    outDir: join(workDir, 'suite'),
    onSpawn: (i, pid, restAddress) => {
      k6Pids.push(pid);
      restAddresses[i] = restAddress;
      onK6Spawn(pid);
    },
    onStarted: (startedAtMs) => {
      log('runners started together');
      if (flags['go-memory']) {
        const atSec = rampSec + Math.floor(holdSec / 2);
        goMemoryTimer = setTimeout(() => void readSuiteGoMemory(atSec, startedAtMs, restAddresses, k6Pids), atSec * 1000);
      }
    },
    onLine: (i, line) => log(`k6[${i}] ${line}`),
  });
  clearTimeout(goMemoryTimer);
  const k6 = k6Sampler.stop();
  const server = serverSampler.stop();
  const summaries = await Promise.all(load.runners.map((r) => readJson(r.summaryPath)));
  const run: DesignRun = {
    design: 'suite',
    description: `${ENGINE_TEXT[engine]}, ${perVU} sessions per VU, ${runners} k6 processes (execution segments)`,
    planned: connections,
    processes: runners,
    vus: Math.ceil(connections / perVU),
    rampSec,
    holdSec,
    heartbeatSec,
    startedAtMs: load.startedAtMs ?? k6[0]!.atMs,
    exitCodes: load.runners.map((r) => r.result.exitCode),
    summaries,
    metrics: { held: 'gomeet_ws_sessions_held', success: 'gomeet_ws_connect_success', connectMs: 'gomeet_ws_connect_ms' },
  };
  return designResult(run, k6, server);
}

/** Go's own figures from every runner, the sessions the server holds at that moment, and the k6 RSS
 *  then; raw profiles kept in last-run/ (go-memory-<i>-heap.txt, -goroutine.txt). */
async function readSuiteGoMemory(atSec: number, startedAtMs: number, addresses: string[], pids: number[]): Promise<void> {
  const reads = await Promise.all(addresses.map((a) => readGoMemory(a)));
  await Promise.all(
    reads.map(async (r, i) => {
      if (!r) return;
      await writeFile(join(workDir, `go-memory-${i}-heap.txt`), r.heapText);
      await writeFile(join(workDir, `go-memory-${i}-goroutine.txt`), r.goroutineText);
    }),
  );
  const figures = reads.map((r) => r?.figures);
  if (figures.some((f) => !f)) {
    log(`go memory: ${figures.filter((f) => !f).length} of ${addresses.length} runners gave no memory figures from /debug/pprof (raw answers in ${workDir})`);
    return;
  }
  const sessions = await openSessions();
  if (!sessions) {
    log('go memory: the signaling server\'s open-session count is not readable from Prometheus');
    return;
  }
  const rss = pids.map((p) => readRssKiB(p) ?? 0).reduce((a, b) => a + b, 0);
  goMemory = goMemoryReading(Math.round((Date.now() - startedAtMs) / 1000), sessions, figures as GoMemory[], rss || null);
  const ps = goMemory.perSession;
  log(`go memory at ${goMemory.atSec} s, ${sessions} sessions: per session ${ps.goroutines} goroutines, stacks ${ps.stackKiB} KiB, heap ${ps.heapKiB} KiB, other ${ps.otherKiB} KiB, RSS ${ps.rssKiB} KiB`);
}

/** Sessions the signaling workers hold now (websocket_connections_active, from the stack's Prometheus). */
async function openSessions(): Promise<number | undefined> {
  try {
    const url = new URL('/api/v1/query', target.prometheus.url);
    url.searchParams.set('query', 'sum(websocket_connections_active{service="signaling"})');
    const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as { data?: { result?: { value: [number, string] }[] } };
    const n = Number(body.data?.result?.[0]?.value[1]);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

async function runNaiveDesign() {
  const profile: Profile = {
    ...PROFILES.smoke,
    websocket: { ...PROFILES.smoke.websocket, connections: naiveConnections, meetings: Math.ceil(naiveConnections / ROOM) },
  };
  const meetings = await createRunMeetings({ apiBaseUrl: target.api.baseUrl, password: password!, targetUsers: target.auth.users, profile, runId: `${runId}-naive` });
  const naivePlan = {
    runId: `${runId}-naive`,
    connections: naiveConnections,
    rampSec: naiveRampSec,
    holdSec: naiveHoldSec,
    heartbeatSec,
    signalingUrls: signalingUrls(target),
    apiBaseUrl: target.api.baseUrl,
    meetingIds: meetings.websocket,
    users: target.auth.users,
  };
  const pids: number[] = [];
  const k6Sampler = sampleProcesses(() => pids, SAMPLE_EVERY_MS);
  const serverSampler = sampleProcesses(serverPids, SAMPLE_EVERY_MS);
  log(`naive design: ${naiveConnections} sessions, one VU each (k6/ws), ramp ${naiveRampSec} s, hold ${naiveHoldSec} s`);
  const summaryPath = join(workDir, 'naive', 'k6-summary.json');
  const startedAtMs = Date.now();
  const result = await runK6({
    k6Path,
    script: join(HERE, 'naive-ws.js'),
    summaryPath,
    logPath: join(workDir, 'naive', 'k6.log'),
    env: { GOMEET_NAIVE_PLAN: JSON.stringify(naivePlan), GOMEET_LOADTEST_PASSWORD: password!, ...goEnv },
    args: ['--no-thresholds'],
    onSpawn: (pid) => {
      pids.push(pid);
      onK6Spawn(pid);
    },
    onLine: (line) => log(`k6[naive] ${line}`),
  });
  const k6 = k6Sampler.stop();
  const server = serverSampler.stop();
  const run: DesignRun = {
    design: 'naive',
    description: 'k6/ws, one VU per session, 1 k6 process',
    planned: naiveConnections,
    processes: 1,
    vus: naiveConnections,
    rampSec: naiveRampSec,
    holdSec: naiveHoldSec,
    heartbeatSec,
    startedAtMs,
    exitCodes: [result.exitCode],
    summaries: [await readJson(summaryPath)],
    metrics: { held: 'naive_ws_sessions_held', success: 'naive_ws_connect_success', connectMs: 'naive_ws_connect_ms' },
  };
  return designResult(run, k6, server);
}

function assertLoopback(t: Target): void {
  for (const url of [t.api.baseUrl, ...signalingUrls(t)]) {
    if (!new URL(url).hostname.startsWith('127.')) throw new Error(`bench/ws-capacity only loads 127.0.0.0/8; ${url} is not`);
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

export type { ProcSample };
