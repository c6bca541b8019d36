/**
 * `run --profile P --plan`: how many k6 runners, cores and memory the profile's load needs, derived
 * from what bench/ws-capacity measured (bench/ws-capacity/results.json, the `suite` design) — never
 * from numbers written twice. Prints, sends nothing.
 *
 *   per runner: connections ≤ what one k6 process held in the bench (its open-file limit was the cap)
 *   memory:     base RSS of a process + connections × marginal KiB per session, × MEMORY_HEADROOM
 *               (request), × MEMORY_LIMIT_FACTOR (limit: GC and bursts above the steady state)
 *   CPU:        the worse of the ramp (sessions opened per second × CPU per open) and the hold
 *               (sessions × CPU per session-minute), × CPU_HEADROOM, rounded up to a quarter core
 *
 * The api scenario is not in the bench: its runners' share is listed by VUs, not sized in cores.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../../lib/profiles.ts';
import type { BenchResults } from '../../bench/ws-capacity/results.ts';
import { UsageError } from '../exit-codes.ts';

export const BENCH_RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'ws-capacity', 'results.json');
/** Memory request = steady-state estimate × this (the bench's peak already includes one GC cycle). */
export const MEMORY_HEADROOM = 1.25;
/** Memory limit = request × this. */
export const MEMORY_LIMIT_FACTOR = 1.5;
/** CPU request = estimate × this: a saturated generator measures itself, not the target. */
export const CPU_HEADROOM = 1.5;

/** The bench figures sizing uses (from results.json `suite`). */
export interface SizingBasis {
  /** Sessions one k6 process held in the bench. */
  connectionsPerProcess: number;
  baseMiBPerProcess: number;
  marginalKibPerConnection: number;
  rampCpuMsPerConnection: number;
  holdCpuMsPerConnectionMinute: number;
  /** Where the figures come from: the bench's command and date. */
  source: string;
}

export interface RunnerSizing {
  profile: string;
  connections: number;
  runners: number;
  connectionsPerRunner: number;
  memoryRequestMiB: number;
  memoryLimitMiB: number;
  cpuRequestCores: number;
  totalCores: number;
  totalMemoryGiB: number;
  notes: string[];
}

export async function readSizingBasis(file = BENCH_RESULTS_FILE): Promise<SizingBasis> {
  let results: BenchResults;
  try {
    results = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  } catch (err) {
    throw new UsageError(`no bench figures to size runners from (${file}: ${(err as NodeJS.ErrnoException).code ?? err}): run bench/ws-capacity/run.ts`);
  }
  const s = results.suite;
  const need = { marginal: s?.marginalKibPerConnection, ramp: s?.rampCpuMsPerConnection, hold: s?.holdCpuMsPerConnectionMinute, base: s?.k6RssMiB?.base };
  for (const [name, value] of Object.entries(need)) {
    if (typeof value !== 'number' || !(value > 0)) throw new UsageError(`${file}: suite figure '${name}' missing: the bench run held nothing; run it again`);
  }
  return {
    connectionsPerProcess: Math.floor(s.held / s.processes),
    baseMiBPerProcess: need.base! / s.processes,
    marginalKibPerConnection: need.marginal!,
    rampCpuMsPerConnection: need.ramp!,
    holdCpuMsPerConnectionMinute: need.hold!,
    source: `bench/ws-capacity/results.json (${results.date.slice(0, 10)}: ${s.held.toLocaleString('en-US')} sessions on ${s.processes} k6 processes)`,
  };
}

export function sizeRunners(profile: Profile, basis: SizingBasis): RunnerSizing {
  const ws = profile.websocket;
  const runners = Math.max(profile.runners, Math.ceil(ws.connections / basis.connectionsPerProcess));
  const perRunner = Math.ceil(ws.connections / runners);
  const steadyMiB = basis.baseMiBPerProcess + (perRunner * basis.marginalKibPerConnection) / 1024;
  const memoryRequestMiB = roundUp(steadyMiB * MEMORY_HEADROOM, 64);
  const rampCores = ((perRunner / Math.max(1, ws.rampSec)) * basis.rampCpuMsPerConnection) / 1000;
  const holdCores = (perRunner * basis.holdCpuMsPerConnectionMinute) / 60_000;
  const cpuRequestCores = roundUp(Math.max(rampCores, holdCores) * CPU_HEADROOM, 0.25);
  return {
    profile: profile.name,
    connections: ws.connections,
    runners,
    connectionsPerRunner: perRunner,
    memoryRequestMiB,
    memoryLimitMiB: roundUp(memoryRequestMiB * MEMORY_LIMIT_FACTOR, 64),
    cpuRequestCores,
    totalCores: cpuRequestCores * runners,
    totalMemoryGiB: Number(((memoryRequestMiB * runners) / 1024).toFixed(1)),
    notes: [
      `from ${basis.source}`,
      `per runner: ${perRunner.toLocaleString('en-US')} sessions (bench: ${basis.connectionsPerProcess.toLocaleString('en-US')} per k6 process); ramp ${(perRunner / Math.max(1, ws.rampSec)).toFixed(0)} opens/s → ${rampCores.toFixed(2)} cores, hold → ${holdCores.toFixed(2)} cores`,
      `api scenario (${profile.api.ratePerSec} req/s, up to ${profile.api.maxVUs} VUs over all runners) is not in the bench: not sized here`,
      'rooms (media bots, browser probes) run outside the k6 runners: see bench/media-bots and bench/browser-probe',
    ],
  };
}

export function formatSizing(s: RunnerSizing): string {
  return [
    `runner sizing for profile '${s.profile}' (${s.connections.toLocaleString('en-US')} signaling sessions):`,
    `  runners             ${s.runners}`,
    `  sessions per runner ${s.connectionsPerRunner.toLocaleString('en-US')}`,
    `  cpu per runner      ${s.cpuRequestCores} cores (request)`,
    `  memory per runner   ${s.memoryRequestMiB} MiB request, ${s.memoryLimitMiB} MiB limit`,
    `  total               ${s.totalCores} cores, ${s.totalMemoryGiB} GiB`,
    ...s.notes.map((n) => `  · ${n}`),
  ].join('\n');
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
