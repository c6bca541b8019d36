/**
 * The sfu-room plan: every profile's sfu section is valid and adds up, the bots and probes of a plan
 * fill the same rooms, subscribers read the probe publishers (bots draw no clock), the probes measure
 * inside the bots' hold, and the step's bound covers both sides' own bounds.
 */
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, PROFILES, type SfuLoad } from '../../../lib/profiles.ts';
import { probeScenarioBoundSec } from '../../../media/probe/plan.ts';
import { planBots } from '../../../media/runner/plan.ts';
import { PROBE_START_ALLOWANCE_SEC, planSfuRoom, probeSpecs, roomPrefixOf, validateSfuLoad } from '../../../scripts/run/media/room-plan.ts';

const smoke = PROFILES.smoke.sfu;
const plan = (sfu: SfuLoad = smoke, runId = '20261130-120000-smoke-ab12') => planSfuRoom({ runId, sfu, livekitUrl: 'ws://127.0.0.1:17880' });

describe('sfu sections of the profiles', () => {
  it.each(PROFILE_NAMES)('%s: valid, and the four counts add up to participants per room', (name) => {
    const sfu = PROFILES[name].sfu;
    expect(validateSfuLoad(sfu)).toBeNull();
    expect(sfu.probePublishersPerRoom + sfu.probeSubscribersPerRoom + sfu.botPublishersPerRoom + sfu.botSubscribersPerRoom).toBe(sfu.participantsPerRoom);
  });

  it('full is the seed: 100 rooms × 500', () => {
    expect(PROFILES.full.sfu.rooms).toBe(100);
    expect(PROFILES.full.sfu.participantsPerRoom).toBe(500);
  });

  it.each([
    ['counts that do not add up', { botSubscribersPerRoom: smoke.botSubscribersPerRoom + 1 }, /not participantsPerRoom/],
    ['probe subscribers without a probe publisher', { probePublishersPerRoom: 0, botSubscribersPerRoom: smoke.botSubscribersPerRoom + smoke.probePublishersPerRoom }, /need a probe publisher/],
    ['no probe subscriber', { probeSubscribersPerRoom: 0, botSubscribersPerRoom: smoke.botSubscribersPerRoom + smoke.probeSubscribersPerRoom }, /no video latency/],
    ['a hold too short for the probes to start and measure', { holdSec: PROBE_START_ALLOWANCE_SEC + 5 }, /holdSec must be/],
    ['no room', { rooms: 0 }, /rooms must be ≥ 1/],
    ['a fractional count', { botPublishersPerRoom: 1.5 }, /integer/],
  ])('refuses %s', (_name, change, message) => {
    expect(validateSfuLoad({ ...smoke, ...change } as SfuLoad)).toMatch(message);
    expect(() => plan({ ...smoke, ...change } as SfuLoad)).toThrow(message);
  });
});

describe('planSfuRoom', () => {
  it('names the rooms after the run, and bots and probes fill the same ones', () => {
    const p = plan({ ...smoke, rooms: 3, participantsPerRoom: smoke.participantsPerRoom });
    expect(p.rooms).toEqual(['20261130-120000-smoke-ab12-0', '20261130-120000-smoke-ab12-1', '20261130-120000-smoke-ab12-2']);
    const botRooms = new Set(planBots(p.bots, 'x').map((b) => b.room));
    const probeRooms = new Set(p.probes.probes.map((s) => s.room));
    expect(botRooms).toEqual(new Set(p.rooms));
    expect(probeRooms).toEqual(new Set(p.rooms));
    expect(p.participants).toBe(3 * smoke.participantsPerRoom);
  });

  it('takes the bot run from the profile', () => {
    const p = plan();
    expect(p.bots).toMatchObject({
      url: 'ws://127.0.0.1:17880',
      rooms: smoke.rooms,
      publishersPerRoom: smoke.botPublishersPerRoom,
      subscribersPerRoom: smoke.botSubscribersPerRoom,
      layout: smoke.layout,
      joinRatePerSec: smoke.joinRatePerSec,
      holdSec: smoke.holdSec,
    });
    expect(planBots(p.bots, 'x')).toHaveLength(smoke.rooms * (smoke.botPublishersPerRoom + smoke.botSubscribersPerRoom));
  });

  it('subscriber probes read probe publishers: the first the high layer, the rest low', () => {
    const specs = probeSpecs({ ...smoke, probePublishersPerRoom: 2, probeSubscribersPerRoom: 3 }, ['r']);
    const pubs = specs.filter((s) => s.role === 'publisher').map((s) => s.identity);
    const subs = specs.filter((s) => s.role === 'subscriber');
    expect(pubs).toEqual(['r-probe-pub-0', 'r-probe-pub-1']);
    expect(subs.map((s) => [s.watch, s.layer])).toEqual([
      ['r-probe-pub-0', 'high'],
      ['r-probe-pub-1', 'low'],
      ['r-probe-pub-0', 'low'],
    ]);
    expect(new Set(specs.map((s) => s.identity)).size).toBe(specs.length);
  });

  it('probes measure inside the hold, at the profile frame rate, and the bound covers both sides', () => {
    const p = plan();
    expect(p.probes.durationSec).toBe(smoke.holdSec - PROBE_START_ALLOWANCE_SEC);
    expect(p.probes.video.fps).toBe(smoke.probeFps);
    expect(p.botsEndSec).toBeGreaterThanOrEqual(smoke.holdSec);
    expect(p.boundSec).toBeGreaterThanOrEqual(probeScenarioBoundSec(p.probes));
    expect(p.boundSec).toBeGreaterThan(p.botsEndSec);
  });

  it('keeps room names within what the bot runner and LiveKit accept', () => {
    expect(roomPrefixOf('20261130-120000-smoke-ab12')).toBe('20261130-120000-smoke-ab12');
    const long = roomPrefixOf(`a-very-long-run-id-${'x'.repeat(60)}/with:odd chars`);
    expect(long.length).toBeLessThanOrEqual(36);
    expect(long).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(() => plan(smoke, `a-very-long-run-id-${'x'.repeat(60)}`)).not.toThrow();
  });
});
