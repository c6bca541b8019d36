/**
 * Named load shapes. Scenarios read their shape from here (passed in by `run` as JSON),
 * never hard-code one. Pure data: imported by Node and bundled into k6 scripts.
 *
 *  - smoke:   fits one 2-core machine (generator + local stack) in under 3 minutes.
 *  - nightly: cluster-sized trend run.
 *  - release: the pre-release gate, closer to the seed's scale.
 *  - full:    the seed's scale: 50,000 signaling connections, 100 meetings × 500 participants.
 */
import type { RowId } from '../thresholds/table.ts';

export type ProfileName = 'smoke' | 'nightly' | 'release' | 'full';

export interface ApiLoad {
  /** Open model: new iterations (one API call each) started per second, whatever the server's speed. */
  ratePerSec: number;
  /** Seconds to ramp from 0 to ratePerSec before the steady state. */
  rampSec: number;
  /** Seconds of steady state at ratePerSec. */
  steadySec: number;
  /** VUs k6 allocates up front; arrival-rate executors need ~ rate × latency of them. */
  preAllocatedVUs: number;
  /** Cap on VUs; sized so that even at the critical latency (500 ms) the rate can be held. */
  maxVUs: number;
  /** Distinct load-test users that log in (tokens are reused across iterations, as real clients do). */
  users: number;
}

export interface WebsocketLoad {
  /** Concurrent signaling sessions the run plans to hold (the ws_connections row scales to this). */
  connections: number;
  /** Sessions each VU holds on its own event loop (k6/websockets): memory per session stays small. */
  connectionsPerVU: number;
  /** Seconds over which all sessions are opened (join rate = connections / rampSec). */
  rampSec: number;
  /** Seconds every session is held open after the ramp ends, heartbeating. */
  holdSec: number;
  /** Seconds between heartbeats of one session. */
  heartbeatSec: number;
  /** Meetings the sessions are spread over. */
  meetings: number;
}

export interface Profile {
  name: ProfileName;
  description: string;
  /** Rows this profile gates; every other row of the table is reported `not_measured`. */
  gates: RowId[];
  api: ApiLoad;
  websocket: WebsocketLoad;
  /** k6 processes the load is split over (execution segments). One process holds ≤ ~18k sockets here. */
  runners: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  smoke: {
    name: 'smoke',
    description: 'Fits one 2-core machine with the local stack, under 3 minutes.',
    gates: ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'],
    api: { ratePerSec: 20, rampSec: 10, steadySec: 50, preAllocatedVUs: 10, maxVUs: 60, users: 20 },
    websocket: { connections: 500, connectionsPerVU: 25, rampSec: 15, holdSec: 45, heartbeatSec: 5, meetings: 10 },
    runners: 1,
  },
  nightly: {
    name: 'nightly',
    description: 'Cluster-sized trend run: a fifth of the seed scale, long enough to see drift.',
    gates: ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'],
    api: { ratePerSec: 300, rampSec: 60, steadySec: 600, preAllocatedVUs: 100, maxVUs: 600, users: 500 },
    websocket: { connections: 10_000, connectionsPerVU: 100, rampSec: 120, holdSec: 600, heartbeatSec: 15, meetings: 20 },
    runners: 1,
  },
  release: {
    name: 'release',
    description: 'Pre-release gate: half the seed scale for 15 minutes.',
    gates: ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'],
    api: { ratePerSec: 600, rampSec: 120, steadySec: 900, preAllocatedVUs: 200, maxVUs: 1200, users: 1000 },
    websocket: { connections: 25_000, connectionsPerVU: 200, rampSec: 300, holdSec: 900, heartbeatSec: 15, meetings: 50 },
    runners: 2,
  },
  full: {
    name: 'full',
    description: "The seed's scale: 50,000 signaling connections, 100 meetings × 500 participants.",
    gates: ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'],
    api: { ratePerSec: 1000, rampSec: 120, steadySec: 900, preAllocatedVUs: 300, maxVUs: 2000, users: 1000 },
    websocket: { connections: 50_000, connectionsPerVU: 250, rampSec: 300, holdSec: 600, heartbeatSec: 15, meetings: 100 },
    runners: 4,
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as string[]).includes(name);
}
