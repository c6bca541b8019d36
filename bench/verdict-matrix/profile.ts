/**
 * The matrix's load shape: the smoke profile, shortened (~45 s of k6 load) and gating the client +
 * server rows only (MATRIX_GATES). No media row is gated, so executeRun's media step is `none`: no
 * room, no bots, no browsers (they cost more than the whole matrix on 2 cores).
 */
import { PROFILES, type Profile } from '../../lib/profiles.ts';
import { MATRIX_GATES } from './faults.ts';

export function matrixProfile(): Profile {
  const smoke = PROFILES.smoke;
  return {
    ...smoke,
    description: 'verdict matrix: smoke shortened to ~45 s, client + server rows only (no media room)',
    gates: [...MATRIX_GATES],
    // 30 VUs up front: with +300 ms injected, 15 req/s keeps ~6 VUs busy and the tail ~15; starting
    // VUs mid-run on a busy machine dropped 1.3 % of the iterations once (→ generator saturated,
    // INCONCLUSIVE) with the smoke's 10 pre-allocated.
    api: { ...smoke.api, ratePerSec: 15, rampSec: 5, steadySec: 40, preAllocatedVUs: 30, maxVUs: 60, users: 20 },
    websocket: { ...smoke.websocket, connections: 200, connectionsPerVU: 25, rampSec: 10, holdSec: 30, heartbeatSec: 5, meetings: 5 },
    runners: 1,
  };
}
