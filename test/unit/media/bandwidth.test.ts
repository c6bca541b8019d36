/**
 * Per-room bandwidth on records recorded from a real bot run: two runners at once against one
 * livekit-server in a media lab — room big-0 (2 publishers + 3 subscribers) and room small-0
 * (1 + 1) — their records concatenated in test/fixtures/media/bots-run.jsonl (a busy machine: the
 * rates are low, which changes nothing about the arithmetic under test).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roomBandwidthObservation, roomBandwidths } from '../../../media/bandwidth.ts';
import { parseRecords, type BotSampleRecord, type RunRecord } from '../../../media/runner/records.ts';

const records = parseRecords(readFileSync(new URL('../../fixtures/media/bots-run.jsonl', import.meta.url), 'utf8'));
const samples = records.filter((r): r is BotSampleRecord => r.type === 'sample');
const lastT = Math.max(...samples.map((s) => s.t));
const bytes = (s: BotSampleRecord) => s.tracks.reduce((x, t) => x + t.bytes, 0);

/** One bot's rate over [fromSec, end], computed straight from its samples. */
function botRate(botId: string, fromSec: number): number {
  const own = samples.filter((s) => s.botId === botId).sort((a, b) => a.t - b.t);
  const first = own.find((s) => s.t >= fromSec)!;
  const last = own[own.length - 1]!;
  return ((bytes(last) - bytes(first)) * 8) / (last.t - first.t);
}

describe('room bandwidth from bot records', () => {
  it('the fixture is a real two-room run with media in both rooms', () => {
    expect(new Set(samples.map((s) => s.room))).toEqual(new Set(['big-0', 'small-0']));
    for (const room of ['big-0', 'small-0']) {
      const finals = samples.filter((s) => s.room === room && s.final);
      expect(finals.some((s) => s.role === 'publisher' && bytes(s) > 0)).toBe(true);
      expect(finals.some((s) => s.role === 'subscriber' && bytes(s) > 0)).toBe(true);
    }
  });

  it('a room is the sum of its subscribers’ receive and its publishers’ send rates', () => {
    const rooms = roomBandwidths(records, { fromSec: 0 });
    for (const r of rooms) {
      const bots = [...new Set(samples.filter((s) => s.room === r.room).map((s) => s.botId))];
      const pubs = bots.filter((b) => b.includes('-pub-')).reduce((x, b) => x + botRate(b, 0), 0);
      const subs = bots.filter((b) => b.includes('-sub-')).reduce((x, b) => x + botRate(b, 0), 0);
      expect(r.publisherBitsPerSec).toBeCloseTo(pubs, 6);
      expect(r.subscriberBitsPerSec).toBeCloseTo(subs, 6);
      expect(r.bitsPerSec).toBeCloseTo(pubs + subs, 6);
      expect(r.botsCounted).toBe(bots.length);
    }
  });

  it('the observation is the largest room, in Gbit/s, named in `where`', () => {
    const rooms = roomBandwidths(records, { fromSec: 0 });
    const obs = roomBandwidthObservation(records, { fromSec: 0 });
    const top = rooms.reduce((a, b) => (b.bitsPerSec > a.bitsPerSec ? b : a));
    expect(obs.where).toBe(top.room);
    expect(obs.observed).toBeCloseTo(top.bitsPerSec / 1e9, 12);
    // Without the top room's records, the other room is reported.
    const rest = records.filter((r) => !('room' in r) || r.room !== top.room);
    expect(roomBandwidthObservation(rest, { fromSec: 0 }).where).not.toBe(top.room);
  });

  it('one more subscriber receiving the same media raises the room by that subscriber’s rate', () => {
    const sub = samples.find((s) => s.role === 'subscriber' && bytes(s) > 0)!;
    const twin: RunRecord[] = samples.filter((s) => s.botId === sub.botId).map((s) => ({ ...s, botId: `${s.botId}-twin` }));
    const before = roomBandwidths(records, { fromSec: 0 }).find((r) => r.room === sub.room)!;
    const after = roomBandwidths([...records, ...twin], { fromSec: 0 }).find((r) => r.room === sub.room)!;
    expect(after.bitsPerSec - before.bitsPerSec).toBeCloseTo(botRate(sub.botId, 0), 6);
  });

  it('warm-up: samples before fromSec are ignored; no window at all is no observation (never a zero)', () => {
    const late = roomBandwidths(records, { fromSec: lastT - 1 });
    expect(late.every((r) => r.botsCounted === 0 && r.botsWithoutWindow > 0)).toBe(true);
    const obs = roomBandwidthObservation(records, { fromSec: lastT + 10 });
    expect(obs.observed).toBeNull();
    expect(obs.note).toMatch(/warm-up/);
    expect(roomBandwidthObservation([], { fromSec: 0 }).observed).toBeNull();
  });
});
