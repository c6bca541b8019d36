/**
 * How a capacity setting read from the target (Redis maxclients, PgBouncer max_client_conn, replicas,
 * LiveKit nodes) is judged against the seed's figure and against the load about to be sent:
 *
 *   meets the seed                                   → pass
 *   below the seed, and the planned load needs more  → fail (blocks load: it would hit the cap)
 *   below the seed, the planned load is seed-sized   → fail (a full-scale test of a smaller stack
 *                                                      would judge the wrong thing)
 *   below the seed, enough for the planned load      → warn, with the reason when one is known
 *                                                      (e.g. the local stack's fd limit)
 */
import type { CheckStatus } from './check.ts';

/** What the run is about to send; absent for a bare `smoke` (then the seed alone is the bar). */
export interface PlannedLoad {
  /** Profile name, shown in messages. */
  profile: string;
  /** Concurrent signaling connections (the seed sizes Redis clients 1:1 with them). */
  connections: number;
  /** Participants in SFU rooms at once. */
  sfuParticipants: number;
  /** True when the profile is at the seed's scale (50,000 connections). */
  seedScale: boolean;
}

export interface CapacityJudgement {
  status: CheckStatus;
  expected: string;
}

export interface CapacityInput {
  observed: number;
  /** The seed's figure (a floor). */
  seedMin: number;
  /** What the planned load needs, when the setting scales with load. */
  need?: number;
  load?: PlannedLoad;
  /** Seed wording for `expected`, e.g. "≥ 50,000 (seed)". */
  seedText: string;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function judgeCapacity(c: CapacityInput): CapacityJudgement {
  const needText = c.need !== undefined && c.load ? `; ${c.load.profile} needs ≥ ${n(c.need)}` : '';
  const expected = `${c.seedText}${needText}`;
  if (c.observed >= c.seedMin) return { status: 'pass', expected };
  if (c.need !== undefined && c.load && c.observed < c.need) return { status: 'fail', expected };
  if (c.load?.seedScale) return { status: 'fail', expected: `${expected} (${c.load.profile} is the seed's scale)` };
  return { status: 'warn', expected };
}

export const formatCount = n;
