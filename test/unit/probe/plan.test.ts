import { describe, expect, it } from 'vitest';
import { parseProbePlan, parseProbeTokens, ProbePlanError, watchedPublishers, watchersOf } from '../../../media/probe/plan.ts';
import { DEFAULT_VIDEO } from '../../../media/probe/page-api.ts';

const valid = {
  runId: 'r1',
  pageUrl: 'http://127.0.0.1:34000/',
  livekitUrl: 'ws://127.0.0.1:7880',
  durationSec: 20,
  probes: [
    { identity: 'pub-0', room: 'room-a', role: 'publisher' },
    { identity: 'sub-0', room: 'room-a', role: 'subscriber', layer: 'low', livekitUrl: 'ws://127.0.0.1:40000', path: 'relay+200ms' },
  ],
};
const parse = (o: unknown) => parseProbePlan(JSON.stringify(o));

describe('parseProbePlan', () => {
  it('fills defaults and keeps what was given', () => {
    const plan = parse(valid);
    expect(plan).toMatchObject({ connectTimeoutSec: 20, sampleIntervalSec: 1, publisherLingerSec: 3, launchStaggerSec: 1, video: DEFAULT_VIDEO });
    expect(plan.probes[1]).toEqual(valid.probes[1]);
  });

  it.each([
    [{ ...valid, pageUrl: 'http://192.0.2.2:34000/' }, 'plan.pageUrl: must point at a 127.x address'],
    [{ ...valid, livekitUrl: 'wss://example.com' }, 'plan.livekitUrl: must point at a 127.x address'],
    [{ ...valid, livekitUrl: 'http://127.0.0.1:7880' }, 'plan.livekitUrl: must be a ws or wss URL'],
    [{ ...valid, durationSec: 0 }, 'plan.durationSec: must be a number > 0'],
    [{ ...valid, probes: [] }, 'plan.probes: must be a non-empty array'],
    [{ ...valid, probes: [{ identity: 'x', room: 'r', role: 'viewer' }] }, "plan.probes[0].role: must be 'publisher' or 'subscriber'"],
    [{ ...valid, probes: [valid.probes[0], valid.probes[0]] }, 'plan.probes[1].identity: duplicate identity pub-0'],
    [{ ...valid, probes: [{ ...valid.probes[1], livekitUrl: 'ws://10.0.0.1:1' }] }, 'plan.probes[0].livekitUrl: must point at a 127.x address'],
    [{ ...valid, video: { fps: -1 } }, 'plan.video.fps: must be a number > 0'],
  ])('refuses a bad plan with the field’s path (%#)', (plan, message) => {
    expect(() => parse(plan)).toThrow(new ProbePlanError(message));
  });

  it('refuses a missing or non-JSON plan', () => {
    expect(() => parseProbePlan(undefined)).toThrow(/GOMEET_PROBE_PLAN is not set/);
    expect(() => parseProbePlan('{')).toThrow(/not JSON/);
  });
});

describe('parseProbeTokens', () => {
  const plan = parse(valid);
  it('returns the tokens by identity', () => {
    expect(parseProbeTokens(JSON.stringify({ 'pub-0': 'a', 'sub-0': 'b' }), plan)).toEqual({ 'pub-0': 'a', 'sub-0': 'b' });
  });
  it('names the identity without a token, and never echoes a token', () => {
    expect(() => parseProbeTokens(JSON.stringify({ 'pub-0': 'secret-token' }), plan)).toThrow('GOMEET_PROBE_TOKENS: has no token for sub-0');
    let message = '';
    try {
      parseProbeTokens('{"pub-0": "secret-token"', plan);
    } catch (err) {
      message = String(err);
    }
    expect(message).toContain('not JSON');
    expect(message).not.toContain('secret-token');
  });
});

describe('watchedPublishers', () => {
  const plan = parse({
    ...valid,
    probes: [
      { identity: 'pub-a1', room: 'a', role: 'publisher' },
      { identity: 'pub-b1', room: 'b', role: 'publisher' },
      { identity: 'pub-a2', room: 'a', role: 'publisher' },
      { identity: 'sub-a', room: 'a', role: 'subscriber' },
      { identity: 'sub-a-pinned', room: 'a', role: 'subscriber', watch: 'pub-a2' },
      { identity: 'sub-c', room: 'c', role: 'subscriber' },
    ],
  });
  const spec = (id: string) => plan.probes.find((p) => p.identity === id)!;

  it('is the probe publishers of the subscriber’s room, in plan order (never bots)', () => {
    expect(watchedPublishers(plan, spec('sub-a'))).toEqual(['pub-a1', 'pub-a2']);
  });
  it('is the pinned publisher when the subscriber names one', () => {
    expect(watchedPublishers(plan, spec('sub-a-pinned'))).toEqual(['pub-a2']);
  });
  it('is empty for a room without probe publishers (the subscriber then reads anyone’s camera)', () => {
    expect(watchedPublishers(plan, spec('sub-c'))).toEqual([]);
  });
  it('has the inverse: the subscribers that read a publisher', () => {
    expect(watchersOf(plan, spec('pub-a1'))).toEqual(['sub-a']);
    expect(watchersOf(plan, spec('pub-a2'))).toEqual(['sub-a', 'sub-a-pinned']);
    expect(watchersOf(plan, spec('pub-b1'))).toEqual([]);
  });
});
