/**
 * What the rooms came to, judged: the bots' records and the probes' results → observations for the
 * four media rows, whether the generator (bots, browsers) was saturated, the loopback proof, and
 * the context a report shows (per room, per probe).
 *
 *   video_latency_ms         p95 of every probe subscriber's frames pooled, after the row's warm-up
 *   sfu_room_bandwidth_gbps  largest room: its bots' RTP bytes over the steady window (subscribers
 *                            receive + publishers send, media/bandwidth.ts) + its probes' kbps
 *   sfu_join_success_pct     bots connected (JoinResponse + PeerConnection up) / bots planned
 *   sfu_join_p95_ms          p95 of the connected bots' time from start to PeerConnection up
 *
 * A saturated generator measures itself, not the SFU: rows it measured get no value (the number it
 * did get stays in the note) and the step reports the saturation, so the verdict is INCONCLUSIVE
 * with the reason, never a NO_GO or a GO made by the load generator. Missing data is never a pass.
 * Pure: unit-tested on records and results recorded from real runs.
 */
import { roomBandwidths } from '../../../media/bandwidth.ts';
import type { ProbeLayer } from '../../../media/probe/page-api.ts';
import { distribution, type Distribution, type ProbeResult } from '../../../media/probe/probe-results.ts';
import type { BotEventRecord, RunRecord, WorkerRecord } from '../../../media/runner/records.ts';
import { SATURATED_LOOP_DELAY_MS, type RunSummary } from '../../../media/runner/summary.ts';
import type { Observation } from '../../../reports/observation.ts';
import type { RowId, ThresholdRow } from '../../../thresholds/table.ts';
import type { SfuRoomPlan } from './room-plan.ts';

/** A probe below this share of the planned frame rate could not draw, encode or decode in time. */
export const PROBE_FPS_FLOOR = 0.5;
/**
 * A publisher probe's frame rate is the browser's alone (the SFU cannot lower what it is sent), so
 * its floor is higher: measured on this machine, a healthy publisher sends ~21 of 30 fps while one
 * starved by a busy machine sent 15.8 with ~590 ms video latency — the browser's backlog, not the
 * SFU's. Subscribers keep the lower floor: the SFU may legitimately thin what they receive.
 */
export const PUBLISHER_FPS_FLOOR = 0.6;

export const MEDIA_ROWS: readonly RowId[] = ['video_latency_ms', 'sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms'];

export type BotsOutcome = { records: RunRecord[]; summary: RunSummary } | { error: string };
export type ProbesOutcome = { results: ProbeResult[]; pooledLatency: Distribution | undefined; k6ExitCode: number | null } | { error: string };

export interface MediaEvidence {
  plan: SfuRoomPlan;
  /** Effective rows of the run (their warm-ups are used). */
  rows: readonly ThresholdRow[];
  bots: BotsOutcome;
  probes: ProbesOutcome;
}

export interface LoopbackProof {
  /** Selected candidate pairs recorded: one per connected bot, each distinct pair of each probe. */
  pairs: number;
  botPairs: number;
  probePairs: number;
  /** Every pair or failure that put an end outside 127.0.0.0/8. */
  violations: string[];
  /** "all 31 candidate pairs 127.0.0.1 (27 bots, 4 probes)", or what went wrong. */
  statement: string;
}

export interface RoomContext {
  room: string;
  botsPlanned: number;
  botsConnected: number;
  botsFailed: number;
  subscribersWithAllMedia: number;
  bitsPerSec: { total: number; botSubscribers: number; botPublishers: number; probes: number };
  probesOk: number;
  probesPlanned: number;
}

export interface ProbeContext {
  identity: string;
  role: 'publisher' | 'subscriber';
  room: string;
  path: string;
  layerAsked?: ProbeLayer;
  ok: boolean;
  failures: Record<string, number>;
  connectMs: number | undefined;
  latency: Distribution | undefined;
  fps: number | undefined;
  kbps: number | undefined;
  frameHeightP50: number | undefined;
  frameHeightMin: number | undefined;
  /** Subscriber whose median frame height was below the layer it asked for. */
  downgraded: boolean;
  lossPct: number | undefined;
  freezes: number;
  pairs: string[];
}

export interface MediaContext {
  rooms: RoomContext[];
  probes: ProbeContext[];
  joins: { planned: number; connected: number; failedByReason: Record<string, number>; droppedAfterJoin: Record<string, number>; connectMs: Distribution | undefined };
  workers: RunSummary['workers'];
  failedExamples: RunSummary['failedExamples'];
  errors: string[];
  loopback: LoopbackProof;
}

export interface MediaJudgement {
  observations: Map<RowId, Observation>;
  saturated?: { reason: string };
  loopback: LoopbackProof;
  context: MediaContext;
}

const isLoopback = (address: string): boolean => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
const round = (v: number, digits = 0): number => Number(v.toFixed(digits));
const mbps = (bps: number): string => `${(bps / 1e6).toFixed(1)} Mbit/s`;

function warmupOf(rows: readonly ThresholdRow[], id: RowId): number {
  return rows.find((r) => r.id === id)?.warmupSec ?? 0;
}

function layerHeight(layer: ProbeLayer, fullHeight: number): number {
  return layer === 'high' ? fullHeight : layer === 'medium' ? fullHeight / 2 : fullHeight / 4;
}

export function loopbackProof(bots: BotsOutcome, probes: ProbesOutcome): LoopbackProof {
  const violations: string[] = [];
  let botPairs = 0;
  let probePairs = 0;
  if ('records' in bots) {
    for (const r of bots.records) {
      if (r.type !== 'bot') continue;
      if (r.event === 'connected' && r.pair) {
        botPairs++;
        if (!isLoopback(r.pair.local) || !isLoopback(r.pair.remote)) violations.push(`bot ${r.botId}: ${r.pair.local} ↔ ${r.pair.remote}`);
      }
      if (r.event === 'failed' && r.reason === 'non_loopback_pair') violations.push(`bot ${r.botId}: ${r.message ?? 'non-loopback pair'}`);
    }
  }
  if ('results' in probes) {
    for (const p of probes.results) {
      probePairs += p.pairs.length;
      for (const pair of p.pairs) {
        if (!isLoopback(pair.localAddress) || !isLoopback(pair.remoteAddress)) violations.push(`probe ${p.identity}: ${pair.localAddress} ↔ ${pair.remoteAddress}`);
      }
      if (p.nonLoopbackPairSamples > 0 && !violations.some((v) => v.startsWith(`probe ${p.identity}:`))) {
        violations.push(`probe ${p.identity}: ${p.nonLoopbackPairSamples} samples with a pair outside 127.0.0.0/8`);
      }
    }
  }
  const pairs = botPairs + probePairs;
  const statement =
    violations.length > 0
      ? `${violations.length} candidate pair(s) outside 127.0.0.0/8: ${violations.slice(0, 3).join('; ')}`
      : pairs === 0
        ? 'no candidate pair was recorded (no participant connected media)'
        : `all ${pairs} candidate pairs 127.0.0.1 (${botPairs} bots, ${probePairs} probes)`;
  return { pairs, botPairs, probePairs, violations, statement };
}

function probeContexts(plan: SfuRoomPlan, probes: ProbesOutcome): ProbeContext[] {
  const results = 'results' in probes ? probes.results : [];
  return plan.probes.probes.map((spec): ProbeContext => {
    const r = results.find((x) => x.identity === spec.identity);
    const asked = spec.role === 'subscriber' ? (spec.layer ?? 'high') : undefined;
    const heightP50 = r?.frameHeight?.p50;
    return {
      identity: spec.identity,
      role: spec.role,
      room: spec.room,
      path: spec.path ?? 'direct',
      ...(asked ? { layerAsked: asked } : {}),
      ok: r?.ok ?? false,
      failures: r ? r.failures : { no_samples: 1 },
      connectMs: r?.connectMs,
      latency: r?.latency,
      fps: r?.fps,
      kbps: spec.role === 'subscriber' ? r?.inboundKbps : r?.outboundKbps,
      frameHeightP50: heightP50,
      frameHeightMin: r?.frameHeight?.min,
      downgraded: asked !== undefined && heightP50 !== undefined && heightP50 < layerHeight(asked, plan.probes.video.height),
      lossPct: r?.lossPct,
      freezes: r?.freezes ?? 0,
      pairs: (r?.pairs ?? []).map((p) => `${p.localAddress} ↔ ${p.remoteAddress} (${p.protocol}, ${p.localType}/${p.remoteType})`),
    };
  });
}

/** Why the probes' numbers describe the browsers rather than the SFU, if they do. */
function probeSaturation(plan: SfuRoomPlan, probes: ProbeContext[]): string | undefined {
  const floorOf = (p: ProbeContext) => (p.role === 'publisher' ? PUBLISHER_FPS_FLOOR : PROBE_FPS_FLOOR) * plan.probes.video.fps;
  const slow = probes.filter((p) => p.fps !== undefined && p.fps < floorOf(p));
  // A page that does not load within its (generous) timeout is the browser starved, not the SFU.
  const unloaded = probes.filter((p) => (p.failures.page_error ?? 0) > 0);
  const parts = [
    ...(slow.length
      ? [`browser probes ran below their floor of the planned ${plan.probes.video.fps} fps (publishers ${Math.round(PUBLISHER_FPS_FLOOR * 100)} %, subscribers ${Math.round(PROBE_FPS_FLOOR * 100)} %: ${slow.map((p) => `${p.identity} ${p.fps!.toFixed(1)} fps`).join(', ')}): the browsers could not draw, encode or decode in time`]
      : []),
    ...(unloaded.length ? [`${unloaded.length} browser probe(s) could not load their page (${unloaded.map((p) => p.identity).join(', ')})`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}

/** Share of a worker's samples in the measured window that may stall before the bots count as saturated. */
export const STALLED_SHARE_LIMIT = 0.25;
/** And at least this many stalled samples (5 s each): a window holding a single sample (the smoke
 *  room's 14 joins take ~7 s) would otherwise call one slow sample — a worker's start-up, loading
 *  its modules — a sustained stall (seen: "1 of 1 samples while joining over 200 ms", the media
 *  matrix's healthy room INCONCLUSIVE at load 1). */
export const STALLED_SAMPLES_MIN = 2;

/**
 * Whether the bots kept their media in time over the window their rows are measured in (after the
 * bandwidth warm-up). Measured on this machine: the bots' event loop stalls while the Chromium
 * probes start beside them (p99 0.3–0.5 s in the first 20 s), then runs at 15–100 ms; judging the
 * whole run called every smoke room saturated. A worker is saturated when more than a quarter of
 * its samples in the window, and at least two, stalled past SATURATED_LOOP_DELAY_MS — a sustained
 * stall, not a blip.
 */
function botSaturation(summary: RunSummary, records: readonly RunRecord[], window: { fromSec: number; toSec: number; what: string }): string | undefined {
  const byWorker = new Map<number, WorkerRecord[]>();
  for (const r of records) if (r.type === 'worker') byWorker.set(r.worker, [...(byWorker.get(r.worker) ?? []), r]);
  const stalled: string[] = [];
  for (const [worker, samples] of byWorker) {
    samples.sort((a, b) => a.t - b.t);
    // A sample covers (previous t, t]; it belongs to the window when most of it lies inside.
    const inWindow = samples.filter((s, i) => {
      const start = i === 0 ? 0 : samples[i - 1]!.t;
      const inside = Math.min(s.t, window.toSec) - Math.max(start, window.fromSec);
      return inside > (s.t - start) / 2;
    });
    const over = inWindow.filter((s) => s.loopDelayP99Ms > SATURATED_LOOP_DELAY_MS);
    if (inWindow.length === 0 ? summary.saturated : over.length >= STALLED_SAMPLES_MIN && over.length / inWindow.length > STALLED_SHARE_LIMIT) {
      const worst = Math.max(...(inWindow.length ? inWindow : samples).map((s) => s.loopDelayP99Ms));
      stalled.push(`worker ${worker}: ${over.length} of ${inWindow.length} samples ${window.what} over ${SATURATED_LOOP_DELAY_MS} ms, p99 up to ${Math.round(worst)} ms`);
    }
  }
  return stalled.length ? `bot workers' event loop stalled (${stalled.join('; ')}): bots could not keep their media in time` : undefined;
}

interface JoinFacts {
  planned: number;
  connected: number;
  failedByReason: Record<string, number>;
  droppedAfterJoin: Record<string, number>;
  connectMs: Distribution | undefined;
}

function joinFacts(plan: SfuRoomPlan, records: readonly RunRecord[]): JoinFacts {
  const planned = plan.bots.rooms * (plan.bots.publishersPerRoom + plan.bots.subscribersPerRoom);
  const events = records.filter((r): r is BotEventRecord => r.type === 'bot');
  const connectedIds = new Set<string>();
  const connectMs: number[] = [];
  for (const e of events) {
    if (e.event !== 'connected' || connectedIds.has(e.botId)) continue;
    connectedIds.add(e.botId);
    if (typeof e.connectMs === 'number') connectMs.push(e.connectMs);
  }
  const failedByReason: Record<string, number> = {};
  const droppedAfterJoin: Record<string, number> = {};
  const firstFailure = new Map<string, BotEventRecord>();
  for (const e of events) if (e.event === 'failed' && !firstFailure.has(e.botId)) firstFailure.set(e.botId, e);
  for (const [botId, f] of firstFailure) {
    const bucket = connectedIds.has(botId) ? droppedAfterJoin : failedByReason;
    bucket[f.reason ?? 'error'] = (bucket[f.reason ?? 'error'] ?? 0) + 1;
  }
  // Planned bots with no record at all never started (the run ended first, or their worker died).
  const neverStarted = planned - connectedIds.size - Object.values(failedByReason).reduce((a, b) => a + b, 0);
  if (neverStarted > 0) failedByReason.never_started = neverStarted;
  return { planned, connected: connectedIds.size, failedByReason, droppedAfterJoin, connectMs: distribution(connectMs) };
}

const reasonsText = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function judgeMedia(e: MediaEvidence): MediaJudgement {
  const observations = new Map<RowId, Observation>();
  const loopback = loopbackProof(e.bots, e.probes);
  const probes = probeContexts(e.plan, e.probes);
  const errors: string[] = [];
  const saturation: string[] = [];
  const proof = `; ${loopback.statement}`;

  // video_latency_ms — the probes.
  const latencyWarmup = warmupOf(e.rows, 'video_latency_ms');
  const subscribers = probes.filter((p) => p.role === 'subscriber');
  const failedProbes = probes.filter((p) => !p.ok).map((p) => `${p.identity} [${Object.keys(p.failures).join(', ') || 'no verdict'}]`);
  const probeSat = 'results' in e.probes ? probeSaturation(e.plan, probes) : undefined;
  if (probeSat) saturation.push(probeSat);
  if ('error' in e.probes) {
    errors.push(`probes: ${e.probes.error}`);
    observations.set('video_latency_ms', { observed: null, note: `the browser probes did not run: ${e.probes.error}` });
  } else {
    const pooled = e.probes.pooledLatency;
    const withFrames = subscribers.filter((p) => p.latency).length;
    const perProbe = subscribers
      .filter((p) => p.latency)
      .map((p) => `${p.identity} ${p.layerAsked ?? 'high'} p95 ${Math.round(p.latency!.p95)}`)
      .join(', ');
    const failed = failedProbes.length ? `; failed probes: ${failedProbes.join(', ')}` : '';
    if (!pooled) {
      observations.set('video_latency_ms', { observed: null, note: `no latency frame after ${latencyWarmup} s of warm-up from ${subscribers.length} subscriber probe(s)${failed}${proof}` });
    } else {
      const measured = `p95 ${Math.round(pooled.p95)} ms over ${pooled.count} frames from ${withFrames} of ${subscribers.length} subscriber probes after ${latencyWarmup} s warm-up (p50 ${Math.round(pooled.p50)} ms; ${perProbe})${failed}`;
      observations.set(
        'video_latency_ms',
        probeSat ? { observed: null, note: `not judged — ${probeSat}; ${measured}${proof}` } : { observed: round(pooled.p95, 1), note: `${measured}${proof}`, where: e.plan.rooms.length === 1 ? e.plan.rooms[0] : 'all rooms' },
      );
    }
  }

  // Bot rows — bandwidth and joins.
  let rooms: RoomContext[] = [];
  let joins: JoinFacts = { planned: 0, connected: 0, failedByReason: {}, droppedAfterJoin: {}, connectMs: undefined };
  if ('error' in e.bots) {
    errors.push(`bots: ${e.bots.error}`);
    for (const id of ['sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms'] as const) {
      observations.set(id, { observed: null, note: `the bots did not run: ${e.bots.error}` });
    }
  } else {
    const { records, summary } = e.bots;
    const bandwidthWarmup = warmupOf(e.rows, 'sfu_room_bandwidth_gbps');
    // Each bot row is judged over its own window: bandwidth after its warm-up, joins while the bots
    // joined (a stalled bot times its own join, so a slow join would be the generator's).
    const botSat = botSaturation(summary, records, { fromSec: bandwidthWarmup, toSec: Infinity, what: `after ${bandwidthWarmup} s` });
    const lastJoinSec = Math.max(0, ...records.filter((r): r is BotEventRecord => r.type === 'bot' && (r.event === 'connected' || r.event === 'failed')).map((r) => r.t));
    const joinSat = botSaturation(summary, records, { fromSec: 0, toSec: lastJoinSec, what: `while joining (first ${Math.ceil(lastJoinSec)} s)` });
    for (const sat of new Set([botSat, joinSat])) if (sat) saturation.push(sat);
    errors.push(...summary.workerErrors.map((w) => `bots: ${w}`));
    const judgedBy = (sat: string | undefined) => (obs: Observation): Observation => (sat ? { observed: null, note: `not judged — ${sat}; measured ${obs.note ?? ''}` } : obs);
    const judged = judgedBy(botSat);
    const judgedJoin = judgedBy(joinSat);

    const botRooms = roomBandwidths(records, { fromSec: bandwidthWarmup });
    rooms = e.plan.rooms.map((room): RoomContext => {
      const b = botRooms.find((x) => x.room === room);
      const inRoom = probes.filter((p) => p.room === room);
      const probeBps = inRoom.reduce((s, p) => s + (p.kbps ?? 0) * 1000, 0);
      const connected = new Set(records.filter((r): r is BotEventRecord => r.type === 'bot' && r.room === room && r.event === 'connected').map((r) => r.botId));
      const failed = new Set(records.filter((r): r is BotEventRecord => r.type === 'bot' && r.room === room && r.event === 'failed').map((r) => r.botId));
      const lastSample = new Map<string, { expected: number; flowing: number; role: string }>();
      for (const r of records) if (r.type === 'sample' && r.room === room) lastSample.set(r.botId, r);
      return {
        room,
        botsPlanned: e.plan.bots.publishersPerRoom + e.plan.bots.subscribersPerRoom,
        botsConnected: connected.size,
        botsFailed: failed.size,
        subscribersWithAllMedia: [...lastSample.values()].filter((s) => s.role === 'subscriber' && s.expected > 0 && s.flowing === s.expected).length,
        bitsPerSec: { total: (b?.bitsPerSec ?? 0) + probeBps, botSubscribers: b?.subscriberBitsPerSec ?? 0, botPublishers: b?.publisherBitsPerSec ?? 0, probes: probeBps },
        probesOk: inRoom.filter((p) => p.ok).length,
        probesPlanned: inRoom.length,
      };
    });
    const largest = [...rooms].sort((a, b) => b.bitsPerSec.total - a.bitsPerSec.total)[0];
    const counted = botRooms.find((r) => r.room === largest?.room);
    if (!largest || !counted || counted.botsCounted === 0 || largest.bitsPerSec.total <= 0) {
      observations.set('sfu_room_bandwidth_gbps', { observed: null, note: `no bot media counted after ${bandwidthWarmup} s of warm-up (no samples spanning the window, or no bytes)${proof}` });
    } else {
      const bw = largest.bitsPerSec;
      const note =
        `largest of ${rooms.length} room(s): bot subscribers receive ${mbps(bw.botSubscribers)} + bot publishers send ${mbps(bw.botPublishers)} + probes ${mbps(bw.probes)}, ` +
        `${counted.botsCounted} bots over the window after ${bandwidthWarmup} s${counted.botsWithoutWindow ? ` (${counted.botsWithoutWindow} without samples in it left out)` : ''}${proof}`;
      observations.set('sfu_room_bandwidth_gbps', judged({ observed: bw.total / 1e9, note, where: largest.room }));
    }

    joins = joinFacts(e.plan, records);
    const failedText = Object.keys(joins.failedByReason).length ? `; failed: ${reasonsText(joins.failedByReason)}` : '';
    const droppedText = Object.keys(joins.droppedAfterJoin).length ? `; dropped after joining: ${reasonsText(joins.droppedAfterJoin)}` : '';
    observations.set(
      'sfu_join_success_pct',
      judgedJoin({ observed: joins.planned > 0 ? (joins.connected / joins.planned) * 100 : null, note: `${joins.connected} of ${joins.planned} bots joined with media connected${failedText}${droppedText}` }),
    );
    observations.set(
      'sfu_join_p95_ms',
      judgedJoin(
        joins.connectMs
          ? { observed: round(joins.connectMs.p95, 1), note: `p95 over ${joins.connectMs.count} connected bots (p50 ${Math.round(joins.connectMs.p50)} ms, max ${Math.round(joins.connectMs.max)} ms) at ${e.plan.bots.joinRatePerSec} joins/s` }
          : { observed: null, note: `no bot connected${failedText}` },
      ),
    );
  }

  const context: MediaContext = {
    rooms,
    probes,
    joins,
    workers: 'summary' in e.bots ? e.bots.summary.workers : [],
    failedExamples: 'summary' in e.bots ? e.bots.summary.failedExamples : [],
    errors,
    loopback,
  };
  return { observations, ...(saturation.length ? { saturated: { reason: saturation.join('; ') } } : {}), loopback, context };
}
