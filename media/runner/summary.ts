/**
 * What a bot run came to: joins, connections and failures by reason, subscribers with media on every
 * expected track, candidate pairs seen, per-room bandwidth, and each worker's CPU and memory.
 * Also the one-line progress view. Pure (records in).
 */
import { roomBandwidths, type RoomBandwidth } from '../bandwidth.ts';
import type { BotSpec } from './plan.ts';
import type { BotSampleRecord, RunRecord, WorkerRecord } from './records.ts';

export interface RoleSummary {
  planned: number;
  joined: number;
  connected: number;
  failed: number;
  /** Bots whose last sample had bytes on every expected track (and expected > 0). */
  withAllMedia: number;
}

export interface WorkerSummary {
  worker: number;
  bots: number;
  /** CPU seconds (user + system) between the first and last resource record. */
  cpuSec: number;
  wallSec: number;
  /** cpuSec / wallSec: cores this worker kept busy. */
  cores: number;
  rssMaxBytes: number;
  loopDelayP99MaxMs: number;
}

/** A worker whose event loop stalled longer than this (p99) could not keep its bots' media in time:
 *  its numbers describe the load generator, not the SFU. */
export const SATURATED_LOOP_DELAY_MS = 200;

export interface RunSummary {
  bots: number;
  /** Some worker's event loop stalled past SATURATED_LOOP_DELAY_MS: the run is inconclusive. */
  saturated: boolean;
  publisher: RoleSummary;
  subscriber: RoleSummary;
  failures: Record<string, number>;
  /** A few failed bots with their reasons (the full list is in the results file). */
  failedExamples: { botId: string; reason: string; message: string }[];
  /** Distinct "local ↔ remote" addresses of selected candidate pairs. */
  candidatePairs: string[];
  joinMs: { p50: number | null; p95: number | null; max: number | null };
  rooms: RoomBandwidth[];
  workers: WorkerSummary[];
  workerErrors: string[];
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

function lastSamples(records: readonly RunRecord[]): Map<string, BotSampleRecord> {
  const last = new Map<string, BotSampleRecord>();
  for (const r of records) {
    if (r.type !== 'sample') continue;
    const prev = last.get(r.botId);
    if (!prev || r.t >= prev.t) last.set(r.botId, r);
  }
  return last;
}

function roleSummary(records: readonly RunRecord[], bots: readonly BotSpec[], role: 'publisher' | 'subscriber'): RoleSummary {
  const ids = new Set(bots.filter((b) => b.role === role).map((b) => b.botId));
  const has = (event: string) => new Set(records.filter((r) => r.type === 'bot' && r.event === event && ids.has(r.botId)).map((r) => (r as { botId: string }).botId)).size;
  let withAllMedia = 0;
  for (const [id, s] of lastSamples(records)) if (ids.has(id) && s.expected > 0 && s.flowing === s.expected) withAllMedia += 1;
  return { planned: ids.size, joined: has('joined'), connected: has('connected'), failed: has('failed'), withAllMedia };
}

function workerSummaries(records: readonly RunRecord[]): WorkerSummary[] {
  const by = new Map<number, WorkerRecord[]>();
  for (const r of records) if (r.type === 'worker') by.set(r.worker, [...(by.get(r.worker) ?? []), r]);
  return [...by]
    .sort(([a], [b]) => a - b)
    .map(([worker, rs]) => {
      rs.sort((a, b) => a.t - b.t);
      const first = rs[0]!;
      const last = rs[rs.length - 1]!;
      const cpuSec = last.cpuUserSec + last.cpuSystemSec - (first.cpuUserSec + first.cpuSystemSec);
      const wallSec = last.t - first.t;
      return {
        worker,
        bots: Math.max(...rs.map((r) => r.bots)),
        cpuSec,
        wallSec,
        cores: wallSec > 0 ? cpuSec / wallSec : 0,
        rssMaxBytes: Math.max(...rs.map((r) => r.rssBytes)),
        loopDelayP99MaxMs: Math.max(...rs.map((r) => r.loopDelayP99Ms)),
      };
    });
}

export function summarize(records: readonly RunRecord[], bots: readonly BotSpec[], workerErrors: string[] = [], warmupSec = 0): RunSummary {
  const failures: Record<string, number> = {};
  const failedExamples: RunSummary['failedExamples'] = [];
  const pairs = new Set<string>();
  const joinMs: number[] = [];
  for (const r of records) {
    if (r.type !== 'bot') continue;
    if (r.event === 'failed') {
      failures[r.reason ?? 'error'] = (failures[r.reason ?? 'error'] ?? 0) + 1;
      if (failedExamples.length < 10) failedExamples.push({ botId: r.botId, reason: r.reason ?? 'error', message: r.message ?? '' });
    }
    if (r.event === 'connected' && r.pair) pairs.add(`${r.pair.local} ↔ ${r.pair.remote}`);
    if (r.event === 'joined' && typeof r.joinMs === 'number') joinMs.push(r.joinMs);
  }
  const workers = workerSummaries(records);
  return {
    bots: bots.length,
    saturated: workers.some((w) => w.loopDelayP99MaxMs > SATURATED_LOOP_DELAY_MS),
    publisher: roleSummary(records, bots, 'publisher'),
    subscriber: roleSummary(records, bots, 'subscriber'),
    failures,
    failedExamples,
    candidatePairs: [...pairs].sort(),
    joinMs: { p50: percentile(joinMs, 50), p95: percentile(joinMs, 95), max: percentile(joinMs, 100) },
    rooms: roomBandwidths(records, { fromSec: warmupSec }),
    workers,
    workerErrors,
  };
}

/** `t=12s joined 38/40 connected 37 failed 1 [ice_timeout 1] media 36/38 subs · 12.3 Mbit/s rx · 1.10 cores · 310 MB` */
export function progressLine(records: readonly RunRecord[], bots: readonly BotSpec[], tSec: number): string {
  const s = summarize(records, bots);
  const joined = s.publisher.joined + s.subscriber.joined;
  const connected = s.publisher.connected + s.subscriber.connected;
  const failed = s.publisher.failed + s.subscriber.failed;
  const reasons = Object.entries(s.failures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  // Receive rate from the two newest samples of each subscriber.
  const bySub = new Map<string, BotSampleRecord[]>();
  for (const r of records) if (r.type === 'sample' && r.role === 'subscriber') bySub.set(r.botId, [...(bySub.get(r.botId) ?? []).slice(-1), r]);
  let rxBps = 0;
  for (const [a, b] of bySub.values()) {
    if (a && b && b.t > a.t) rxBps += ((b.tracks.reduce((x, t) => x + t.bytes, 0) - a.tracks.reduce((x, t) => x + t.bytes, 0)) * 8) / (b.t - a.t);
  }
  const lastWorker = new Map<number, WorkerRecord>();
  const prevWorker = new Map<number, WorkerRecord>();
  for (const r of records) {
    if (r.type !== 'worker') continue;
    const cur = lastWorker.get(r.worker);
    if (cur) prevWorker.set(r.worker, cur);
    lastWorker.set(r.worker, r);
  }
  let cores = 0;
  let rss = 0;
  for (const [w, cur] of lastWorker) {
    rss += cur.rssBytes;
    const prev = prevWorker.get(w);
    if (prev && cur.t > prev.t) cores += (cur.cpuUserSec + cur.cpuSystemSec - prev.cpuUserSec - prev.cpuSystemSec) / (cur.t - prev.t);
  }
  return (
    `t=${Math.round(tSec)}s joined ${joined}/${bots.length} connected ${connected} failed ${failed}${reasons ? ` [${reasons}]` : ''}` +
    ` media ${s.subscriber.withAllMedia}/${s.subscriber.planned} subs · ${(rxBps / 1e6).toFixed(1)} Mbit/s rx · ${cores.toFixed(2)} cores · ${Math.round(rss / 2 ** 20)} MB`
  );
}
