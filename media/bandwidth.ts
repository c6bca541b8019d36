/**
 * SFU bandwidth per room, from the bots' own counters: no LiveKit metric has a room label, so a
 * room's SFU traffic is what its subscribers receive plus what its publishers send (RTP bytes),
 * each bot's rate taken over the steady window (after the row's warm-up), summed per room.
 * The verdict's `sfu_room_bandwidth_gbps` is the largest room's. Pure: records in, numbers out.
 */
import type { Observation } from '../reports/observation.ts';
import type { BotSampleRecord, RunRecord } from './runner/records.ts';

export interface RoomBandwidth {
  room: string;
  /** Subscribers' receive + publishers' send, bits per second. */
  bitsPerSec: number;
  subscriberBitsPerSec: number;
  publisherBitsPerSec: number;
  /** Bots whose samples span the window (the others are left out, and counted here). */
  botsCounted: number;
  botsWithoutWindow: number;
}

export interface BandwidthWindow {
  /** Seconds after the run's start before which samples are ignored (the row's warm-up). */
  fromSec: number;
  /** Shortest span of samples, s, for a bot's rate to count (default 2). */
  minSpanSec?: number;
}

function bytesOf(s: BotSampleRecord): number {
  return s.tracks.reduce((sum, t) => sum + t.bytes, 0);
}

export function roomBandwidths(records: readonly RunRecord[], window: BandwidthWindow): RoomBandwidth[] {
  const minSpan = window.minSpanSec ?? 2;
  const byBot = new Map<string, BotSampleRecord[]>();
  for (const r of records) {
    if (r.type !== 'sample') continue;
    const key = `${r.room}\u0000${r.botId}`;
    const list = byBot.get(key);
    if (list) list.push(r);
    else byBot.set(key, [r]);
  }
  const rooms = new Map<string, RoomBandwidth>();
  for (const samples of byBot.values()) {
    samples.sort((a, b) => a.t - b.t);
    const room = samples[0]!.room;
    const acc = rooms.get(room) ?? { room, bitsPerSec: 0, subscriberBitsPerSec: 0, publisherBitsPerSec: 0, botsCounted: 0, botsWithoutWindow: 0 };
    rooms.set(room, acc);
    const first = samples.find((s) => s.t >= window.fromSec);
    const last = samples[samples.length - 1]!;
    if (!first || last.t - first.t < minSpan) {
      acc.botsWithoutWindow += 1;
      continue;
    }
    const bps = (Math.max(0, bytesOf(last) - bytesOf(first)) * 8) / (last.t - first.t);
    if (last.role === 'publisher') acc.publisherBitsPerSec += bps;
    else acc.subscriberBitsPerSec += bps;
    acc.bitsPerSec += bps;
    acc.botsCounted += 1;
  }
  return [...rooms.values()].sort((a, b) => b.bitsPerSec - a.bitsPerSec || a.room.localeCompare(b.room));
}

/** The `sfu_room_bandwidth_gbps` observation: the largest room's bandwidth in Gbit/s. */
export function roomBandwidthObservation(records: readonly RunRecord[], window: BandwidthWindow): Observation {
  const rooms = roomBandwidths(records, window).filter((r) => r.botsCounted > 0);
  const top = rooms[0];
  if (!top || top.bitsPerSec <= 0) {
    return { observed: null, note: `no bot media counted after ${window.fromSec} s of warm-up (no samples spanning the window, or no bytes)` };
  }
  const mbps = (b: number) => (b / 1e6).toFixed(1);
  return {
    observed: top.bitsPerSec / 1e9,
    where: top.room,
    note: `largest of ${rooms.length} room(s): subscribers receive ${mbps(top.subscriberBitsPerSec)} Mbit/s + publishers send ${mbps(top.publisherBitsPerSec)} Mbit/s over ${top.botsCounted} bots${top.botsWithoutWindow ? ` (${top.botsWithoutWindow} without samples in the window left out)` : ''}`,
  };
}
