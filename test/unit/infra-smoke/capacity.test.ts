// How capacity settings are judged against the seed and the planned load (infra-smoke/capacity.ts),
// and the plan each profile implies (check-set.ts).
import { describe, expect, it } from 'vitest';
import { judgeCapacity, type PlannedLoad } from '../../../infra-smoke/capacity.ts';
import { checkSetOptionsFor, plannedLoad } from '../../../infra-smoke/check-set.ts';
import { PROFILES } from '../../../lib/profiles.ts';
import { SEED_SIZING, sfuNodesFor } from '../../../thresholds/sizing.ts';

const smoke: PlannedLoad = { profile: 'smoke', connections: 500, sfuParticipants: 30, seedScale: false };
const full: PlannedLoad = { profile: 'full', connections: 50_000, sfuParticipants: 50_000, seedScale: true };

describe('judgeCapacity', () => {
  it('passes at or above the seed', () => {
    expect(judgeCapacity({ observed: 50_000, seedMin: 50_000, need: 500, load: smoke, seedText: 's' }).status).toBe('pass');
  });
  it('warns below the seed when the planned load fits', () => {
    const j = judgeCapacity({ observed: 19_968, seedMin: 50_000, need: 500, load: smoke, seedText: '≥ 50,000 (seed)' });
    expect(j).toEqual({ status: 'warn', expected: '≥ 50,000 (seed); smoke needs ≥ 500' });
  });
  it('fails when the planned load needs more than there is', () => {
    expect(judgeCapacity({ observed: 400, seedMin: 50_000, need: 500, load: smoke, seedText: 's' }).status).toBe('fail');
  });
  it("fails any shortfall under a seed-scale load, even one that does not scale with load", () => {
    const j = judgeCapacity({ observed: 2, seedMin: 3, load: full, seedText: '3 standbys' });
    expect(j.status).toBe('fail');
    expect(j.expected).toMatch(/full is the seed's scale/);
  });
  it('without a planned load, the seed alone decides: below it warns', () => {
    expect(judgeCapacity({ observed: 1, seedMin: 6, seedText: 's' }).status).toBe('warn');
  });
});

describe('plannedLoad / checkSetOptionsFor', () => {
  it('full is the seed scale; smoke is not', () => {
    expect(plannedLoad(PROFILES.full)).toMatchObject({ connections: SEED_SIZING.loadTest.totalParticipants, sfuParticipants: 50_000, seedScale: true });
    expect(plannedLoad(PROFILES.smoke).seedScale).toBe(false);
  });
  it('LiveKit blocks load exactly when the profile gates a media row', () => {
    for (const p of Object.values(PROFILES)) {
      const gatesMedia = p.gates.some((id) => ['video_latency_ms', 'sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms'].includes(id));
      expect(checkSetOptionsFor(p).livekitRequired, p.name).toBe(gatesMedia);
    }
  });
  it('SFU nodes needed at 400 participants per node', () => {
    expect(sfuNodesFor(30)).toBe(1);
    expect(sfuNodesFor(400)).toBe(1);
    expect(sfuNodesFor(401)).toBe(2);
    expect(sfuNodesFor(50_000)).toBe(125);
  });
});
