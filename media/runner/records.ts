/**
 * The bot run's results file: one JSON object per line, each tagged with the run, the worker and
 * (for bots) the room. Written by the runner as workers report; read back by the verdict's media
 * observer (media/bandwidth.ts) and the bench. Pure types.
 */
import type { BotFailureReason } from '../bots/session.ts';
import type { BotRole } from './plan.ts';

export interface TrackSample {
  trackSid: string;
  kind: 'audio' | 'video';
  layer?: 'high' | 'low';
  /** RTP bytes (payload + header): received for a subscriber, sent for a publisher. */
  bytes: number;
  packets: number;
  lost?: number;
  jitterMs?: number;
}

interface Base {
  run: string;
  /** Seconds since the run's start. */
  t: number;
  worker: number;
}

/** A bot's life: started → joined → connected (→ failed) → left. */
export interface BotEventRecord extends Base {
  type: 'bot';
  room: string;
  botId: string;
  role: BotRole;
  event: 'joined' | 'connected' | 'failed' | 'left';
  joinMs?: number;
  /** Milliseconds from the bot's start to its PeerConnection(s) being connected. */
  connectMs?: number;
  /** The selected ICE candidate pair's addresses (connected). */
  pair?: { local: string; remote: string };
  reason?: BotFailureReason;
  message?: string;
}

/** Cumulative counters of one bot at time t. */
export interface BotSampleRecord extends Base {
  type: 'sample';
  room: string;
  botId: string;
  role: BotRole;
  /** Tracks the layout asks for (subscriber) or publishes (publisher). */
  expected: number;
  /** Of those, tracks with bytes > 0. */
  flowing: number;
  tracks: TrackSample[];
  final?: boolean;
}

/** One worker process's resource use at time t (cumulative CPU). */
export interface WorkerRecord extends Base {
  type: 'worker';
  bots: number;
  cpuUserSec: number;
  cpuSystemSec: number;
  rssBytes: number;
  /** 99th percentile event-loop delay since the previous record, ms (a saturated worker shows here). */
  loopDelayP99Ms: number;
}

export type RunRecord = BotEventRecord | BotSampleRecord | WorkerRecord;

export function parseRecords(text: string): RunRecord[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunRecord);
}
