/**
 * Who joins where and when: the bot run's schedule, decided up front so several worker processes
 * hold one global join rate without talking to each other (each bot has its own start offset).
 * Publishers of every room join first, so subscribers find tracks to subscribe to. Pure.
 */
import type { LayoutName } from '../bots/layout.ts';

export interface BotRunConfig {
  /** LiveKit URL as the bots see it (inside the media namespace: ws://127.0.0.1:<port>). */
  url: string;
  /** Rooms `<roomPrefix>-<i>`, i = 0..rooms-1. */
  rooms: number;
  roomPrefix: string;
  /** Publisher bots per room (VP8 camera + Opus microphone each). */
  publishersPerRoom: number;
  /** Subscriber bots per room. */
  subscribersPerRoom: number;
  layout: LayoutName;
  /**
   * What publishers send. `speaker-and-filmstrip` (default): publisher 0 of a room is the speaker
   * (640x360 ~500 kbit/s camera + microphone), the others are filmstrip tiles (320x180 ~150 kbit/s,
   * microphone muted) — what a speaker-layout subscriber receives from simulcast browsers, which
   * werift cannot imitate with layers. `uniform`: every publisher sends camera + microphone at 640x360.
   */
  publisherMedia: PublisherMedia;
  /** Subscribers send transport-wide CC feedback, as browsers do (default true). Off saves about a
   *  third of a subscriber bot's CPU; the SFU then has no bandwidth estimate for bots. */
  subscriberTransportCc: boolean;
  /** Joins per second over all workers (default 10). */
  joinRatePerSec: number;
  /** Seconds every bot stays after the last scheduled join (the steady window). */
  holdSec: number;
  /** Seconds between stats samples of each bot (default 5). */
  statsIntervalSec: number;
  /** Worker processes (default: one per core). */
  workers: number;
  /** Milliseconds to the JoinResponse before a bot counts as failed (default 15000). */
  joinTimeoutMs: number;
  /** Milliseconds from JoinResponse to a connected PeerConnection (default 20000). */
  iceTimeoutMs: number;
}

export type BotRole = 'publisher' | 'subscriber';

export type PublisherMedia = 'speaker-and-filmstrip' | 'uniform';
export const PUBLISHER_MEDIA: PublisherMedia[] = ['speaker-and-filmstrip', 'uniform'];

/** What one publisher sends: camera layer and whether its microphone is published. */
export interface PublisherFeed {
  camera: 'high' | 'low';
  microphone: boolean;
}

/** The feed of publisher number `n` (0-based) of a room. */
export function publisherFeed(media: PublisherMedia, n: number): PublisherFeed {
  if (media === 'uniform' || n === 0) return { camera: 'high', microphone: true };
  return { camera: 'low', microphone: false };
}

export interface BotSpec {
  botId: string;
  room: string;
  role: BotRole;
  /** Participant identity (unique per run). */
  identity: string;
  /** Publisher number within its room (0 = the speaker); absent for subscribers. */
  publisherIndex?: number;
  /** Milliseconds after the run's start at which this bot joins. */
  startOffsetMs: number;
  worker: number;
}

export const MAX_BOTS = 5000;

export function validateConfig(c: BotRunConfig): string | null {
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  if (!positiveInt(c.rooms)) return `rooms must be a positive integer, got ${c.rooms}`;
  if (!Number.isInteger(c.publishersPerRoom) || c.publishersPerRoom < 0) return `publishersPerRoom must be ≥ 0, got ${c.publishersPerRoom}`;
  if (!Number.isInteger(c.subscribersPerRoom) || c.subscribersPerRoom < 0) return `subscribersPerRoom must be ≥ 0, got ${c.subscribersPerRoom}`;
  const total = c.rooms * (c.publishersPerRoom + c.subscribersPerRoom);
  if (total === 0) return 'no bots: publishersPerRoom + subscribersPerRoom is 0';
  if (total > MAX_BOTS) return `${total} bots is more than ${MAX_BOTS} for one runner`;
  if (!(c.joinRatePerSec > 0 && c.joinRatePerSec <= 1000)) return `joinRatePerSec must be in (0, 1000], got ${c.joinRatePerSec}`;
  if (!(c.holdSec > 0 && c.holdSec <= 3600)) return `holdSec must be in (0, 3600], got ${c.holdSec}`;
  if (!(c.statsIntervalSec >= 1 && c.statsIntervalSec <= 60)) return `statsIntervalSec must be in [1, 60], got ${c.statsIntervalSec}`;
  if (!PUBLISHER_MEDIA.includes(c.publisherMedia)) return `publisherMedia must be one of ${PUBLISHER_MEDIA.join(', ')}, got ${c.publisherMedia}`;
  if (!positiveInt(c.workers) || c.workers > 64) return `workers must be 1..64, got ${c.workers}`;
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(c.roomPrefix)) return `roomPrefix must be 1-40 of [A-Za-z0-9_-], got ${JSON.stringify(c.roomPrefix)}`;
  return null;
}

export function roomName(c: Pick<BotRunConfig, 'roomPrefix'>, i: number): string {
  return `${c.roomPrefix}-${i}`;
}

/** Every bot of the run, in join order, spread round-robin over the workers. */
export function planBots(c: BotRunConfig, runTag: string): BotSpec[] {
  const bots: Omit<BotSpec, 'startOffsetMs' | 'worker'>[] = [];
  for (const role of ['publisher', 'subscriber'] as const) {
    const perRoom = role === 'publisher' ? c.publishersPerRoom : c.subscribersPerRoom;
    // Interleave rooms so every room fills at the same pace.
    for (let n = 0; n < perRoom; n++) {
      for (let r = 0; r < c.rooms; r++) {
        const room = roomName(c, r);
        const botId = `${room}-${role === 'publisher' ? 'pub' : 'sub'}-${n}`;
        bots.push({ botId, room, role, identity: `${runTag}-${botId}`, ...(role === 'publisher' ? { publisherIndex: n } : {}) });
      }
    }
  }
  const gapMs = 1000 / c.joinRatePerSec;
  return bots.map((b, i) => ({ ...b, startOffsetMs: Math.round(i * gapMs), worker: i % c.workers }));
}

/** Milliseconds from the run's start to the moment every bot leaves. */
export function runEndMs(c: BotRunConfig, bots: readonly BotSpec[]): number {
  const lastJoin = bots.reduce((m, b) => Math.max(m, b.startOffsetMs), 0);
  return lastJoin + c.holdSec * 1000;
}
