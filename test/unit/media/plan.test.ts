import { describe, expect, it } from 'vitest';
import { planBots, publisherFeed, runEndMs, validateConfig, type BotRunConfig } from '../../../media/runner/plan.ts';

const base: BotRunConfig = {
  url: 'ws://127.0.0.1:17880',
  rooms: 2,
  roomPrefix: 'r',
  publishersPerRoom: 2,
  subscribersPerRoom: 3,
  layout: 'speaker',
  publisherMedia: 'speaker-and-filmstrip',
  subscriberTransportCc: true,
  joinRatePerSec: 4,
  holdSec: 10,
  statsIntervalSec: 5,
  workers: 3,
  joinTimeoutMs: 15_000,
  iceTimeoutMs: 20_000,
};

describe('planBots', () => {
  const bots = planBots(base, 'run1');

  it('publishers of every room join first, rooms interleaved, at the join rate', () => {
    expect(bots).toHaveLength(10);
    expect(bots.slice(0, 4).map((b) => b.botId)).toEqual(['r-0-pub-0', 'r-1-pub-0', 'r-0-pub-1', 'r-1-pub-1']);
    expect(bots.slice(4).every((b) => b.role === 'subscriber')).toBe(true);
    expect(bots.map((b) => b.startOffsetMs)).toEqual(bots.map((_, i) => i * 250));
    expect(runEndMs(base, bots)).toBe(9 * 250 + 10_000);
  });

  it('spreads bots round-robin over workers with unique identities', () => {
    expect(bots.map((b) => b.worker)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    expect(new Set(bots.map((b) => b.identity)).size).toBe(bots.length);
    expect(bots.every((b) => b.identity.startsWith('run1-'))).toBe(true);
    expect(bots.filter((b) => b.role === 'publisher').map((b) => b.publisherIndex)).toEqual([0, 0, 1, 1]);
  });

  it('publisher 0 is the speaker; the others are filmstrip tiles unless media is uniform', () => {
    expect(publisherFeed('speaker-and-filmstrip', 0)).toEqual({ camera: 'high', microphone: true });
    expect(publisherFeed('speaker-and-filmstrip', 3)).toEqual({ camera: 'low', microphone: false });
    expect(publisherFeed('uniform', 3)).toEqual({ camera: 'high', microphone: true });
  });
});

describe('validateConfig', () => {
  it('accepts the base and names what is wrong otherwise', () => {
    expect(validateConfig(base)).toBeNull();
    expect(validateConfig({ ...base, publishersPerRoom: 0, subscribersPerRoom: 0 })).toMatch(/no bots/);
    expect(validateConfig({ ...base, rooms: 1000, subscribersPerRoom: 100 })).toMatch(/more than/);
    expect(validateConfig({ ...base, joinRatePerSec: 0 })).toMatch(/joinRatePerSec/);
    expect(validateConfig({ ...base, holdSec: 0 })).toMatch(/holdSec/);
    expect(validateConfig({ ...base, workers: 0 })).toMatch(/workers/);
    expect(validateConfig({ ...base, roomPrefix: 'a b' })).toMatch(/roomPrefix/);
    expect(validateConfig({ ...base, publisherMedia: 'simulcast' as never })).toMatch(/publisherMedia/);
  });
});
