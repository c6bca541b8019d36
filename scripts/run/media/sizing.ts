/**
 * `run --plan`, the media part: cores and memory the profile's rooms need on the generator side,
 * from what the benches measured — never from numbers written twice:
 *
 *   bots    bench/media-bots/results.json: projected subscribers per core of the least-lossy point
 *           (its CPU per packet × the speaker layout's packet rate); memory per worker process and
 *           per subscriber from its points. A bot publisher sends about what a speaker-layout
 *           subscriber receives and is counted as one (the bench has no publisher point).
 *   probes  bench/browser-probe/results.json: CPU per probe at 30 fps (from CPU per frame), scaled
 *           to the profile's probe fps; PSS per probe.
 *   both    × CPU_HEADROOM (a saturated generator measures itself), like the k6 runners' sizing.
 *
 * Import `readMediaSizingBasis`, `sizeMedia`, `formatMediaSizing` (H4's `run --plan` prints it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '../../../lib/profiles.ts';
import { MAX_BOTS } from '../../../media/runner/plan.ts';
import { UsageError } from '../../exit-codes.ts';
import { PROJECT_ROOT } from '../../tools/paths.ts';
import { CPU_HEADROOM } from '../plan-sizing.ts';

export const BOT_BENCH_FILE = join(PROJECT_ROOT, 'bench', 'media-bots', 'results.json');
export const PROBE_BENCH_FILE = join(PROJECT_ROOT, 'bench', 'browser-probe', 'results.json');

export interface MediaSizingBasis {
  botSubscribersPerCore: number;
  /** RSS of a bot worker process before its bots, MiB. */
  botWorkerBaseMiB: number;
  botMiBPerBot: number;
  /** Cores one probe keeps busy at 30 fps. */
  probeCoresAt30Fps: number;
  probeMiB: number;
  source: string;
}

export interface MediaSizing {
  profile: string;
  rooms: number;
  participants: number;
  bots: number;
  botPublishers: number;
  probes: number;
  botCores: number;
  probeCores: number;
  totalCores: number;
  totalMemoryGiB: number;
  /** Bot runner processes (hosts) at most MAX_BOTS bots each. */
  botRunners: number;
  notes: string[];
}

interface BotPoint {
  subscribers: number;
  rssMB: number;
  lossPct: number;
  projectedSubscribersPerCore: number;
}

interface ProbePoint {
  cpuPctAtFullFps: number;
  pssMbMax: number;
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    throw new UsageError(`no bench figures to size media from (${file}: ${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

export function mediaBasisFrom(bots: { date: string; points: BotPoint[] }, probes: { measuredAt: string; video: { fps: number }; probes: ProbePoint[] }): MediaSizingBasis {
  const points = (bots.points ?? []).filter((p) => p.projectedSubscribersPerCore > 0 && p.subscribers > 0);
  if (points.length === 0) throw new UsageError(`${BOT_BENCH_FILE}: no point with a projected subscribers-per-core figure`);
  const best = [...points].sort((a, b) => a.lossPct - b.lossPct)[0]!;
  // Memory: a worker's base and the slope between the smallest and the largest point; with one
  // point, that point's RSS per worker and no slope (the process dominates: ~155 MB vs < 1 MB a bot).
  const bySize = [...points].sort((a, b) => a.subscribers - b.subscribers);
  const lo = bySize[0]!;
  const hi = bySize[bySize.length - 1]!;
  const slope = hi.subscribers > lo.subscribers ? Math.max(0, (hi.rssMB - lo.rssMB) / (hi.subscribers - lo.subscribers)) : 0;
  const base = Math.max(0, lo.rssMB - slope * lo.subscribers);
  const probePoints = (probes.probes ?? []).filter((p) => p.cpuPctAtFullFps > 0);
  if (probePoints.length === 0) throw new UsageError(`${PROBE_BENCH_FILE}: no probe with a CPU figure`);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    botSubscribersPerCore: best.projectedSubscribersPerCore,
    botWorkerBaseMiB: base,
    botMiBPerBot: slope,
    // The bench projects each probe's CPU per frame to its planned frame rate ("full fps").
    probeCoresAt30Fps: (mean(probePoints.map((p) => p.cpuPctAtFullFps)) / 100) * (30 / (probes.video?.fps ?? 30)),
    probeMiB: mean(probePoints.map((p) => p.pssMbMax)),
    source: `bench/media-bots (${bots.date.slice(0, 10)}, ${best.subscribers} subscribers, ${best.lossPct.toFixed(0)} % loss) and bench/browser-probe (${probes.measuredAt.slice(0, 10)})`,
  };
}

export async function readMediaSizingBasis(): Promise<MediaSizingBasis> {
  return mediaBasisFrom(await readJson(BOT_BENCH_FILE), await readJson(PROBE_BENCH_FILE));
}

export function sizeMedia(profile: Profile, basis: MediaSizingBasis): MediaSizing {
  const s = profile.sfu;
  const botPublishers = s.rooms * s.botPublishersPerRoom;
  const bots = botPublishers + s.rooms * s.botSubscribersPerRoom;
  const probes = s.rooms * (s.probePublishersPerRoom + s.probeSubscribersPerRoom);
  const botCores = (bots / basis.botSubscribersPerCore) * CPU_HEADROOM;
  const probeCores = probes * basis.probeCoresAt30Fps * (s.probeFps / 30) * CPU_HEADROOM;
  const workers = Math.max(1, Math.ceil(botCores));
  const memoryMiB = workers * basis.botWorkerBaseMiB + bots * basis.botMiBPerBot + probes * basis.probeMiB;
  const quarter = (v: number) => Math.ceil(v * 4) / 4;
  return {
    profile: profile.name,
    rooms: s.rooms,
    participants: s.rooms * s.participantsPerRoom,
    bots,
    botPublishers,
    probes,
    botCores: quarter(botCores),
    probeCores: quarter(probeCores),
    totalCores: quarter(botCores) + quarter(probeCores),
    totalMemoryGiB: Number((memoryMiB / 1024).toFixed(1)),
    botRunners: Math.ceil(bots / MAX_BOTS),
    notes: [
      `from ${basis.source}`,
      `bots: ${basis.botSubscribersPerCore.toFixed(1)} per core (a publisher counted as a subscriber), one worker process per core of ${basis.botWorkerBaseMiB.toFixed(0)} MiB + ${basis.botMiBPerBot.toFixed(2)} MiB per bot${basis.botMiBPerBot === 0 ? ' (one bench point: no per-bot slope)' : ''}`,
      `probes: ${basis.probeCoresAt30Fps.toFixed(2)} core at 30 fps each (${s.probeFps} fps planned), ${basis.probeMiB.toFixed(0)} MiB PSS each`,
      `× ${CPU_HEADROOM} CPU headroom; bots and probes run next to the SFU (its network namespace), not in the k6 runners`,
    ],
  };
}

export function formatMediaSizing(m: MediaSizing): string {
  const k = (v: number) => v.toLocaleString('en-US');
  return [
    `media sizing for profile '${m.profile}' (${k(m.rooms)} room(s), ${k(m.participants)} participants):`,
    `  bots                ${k(m.bots)} (${k(m.botPublishers)} publishers) → ${k(m.botCores)} cores, ${k(m.botRunners)} bot runner(s) of ≤ ${k(MAX_BOTS)}`,
    `  browser probes      ${k(m.probes)} → ${k(m.probeCores)} cores`,
    `  total               ${k(m.totalCores)} cores, ${m.totalMemoryGiB} GiB`,
    ...m.notes.map((n) => `  · ${n}`),
  ].join('\n');
}
