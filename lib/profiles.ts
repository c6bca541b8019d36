/**
 * Named load shapes. Scenarios read their shape from here (passed in by `run` as JSON),
 * never hard-code one. Pure data: imported by Node and bundled into k6 scripts.
 *
 *  - smoke:   fits one 2-core machine (generator + local stack) in under 3 minutes.
 *  - nightly: cluster-sized trend run.
 *  - release: the pre-release gate, closer to the seed's scale.
 *  - full:    the seed's scale: 50,000 signaling connections, 100 meetings × 500 participants.
 */
import type { LayoutName } from '../media/bots/layout.ts';
import { THRESHOLD_TABLE, type RowId } from '../thresholds/table.ts';

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

/**
 * How a VU holds its sessions: `gomeet-xk6` in Go (the k6/x/gomeet extension in the suite's k6,
 * ~1/5 of the memory per session), `k6-websockets` on the VU's event loop with k6's built-in
 * k6/websockets (the design bench/ws-capacity compares against).
 */
export type WsEngine = 'gomeet-xk6' | 'k6-websockets';
export const WS_ENGINES: readonly WsEngine[] = ['gomeet-xk6', 'k6-websockets'];
export const DEFAULT_WS_ENGINE: WsEngine = 'gomeet-xk6';

export interface WebsocketLoad {
  /** Concurrent signaling sessions the run plans to hold (the ws_connections row scales to this). */
  connections: number;
  /** Sessions each VU holds (many per VU keeps memory per session small in either engine). */
  connectionsPerVU: number;
  /** Default DEFAULT_WS_ENGINE. */
  engine?: WsEngine;
  /** Seconds over which all sessions are opened (join rate = connections / rampSec). */
  rampSec: number;
  /** Seconds every session is held open after the ramp ends, heartbeating. */
  holdSec: number;
  /** Seconds between heartbeats of one session. */
  heartbeatSec: number;
  /** Meetings the sessions are spread over. */
  meetings: number;
}

/**
 * LiveKit rooms filled with real-WebRTC participants (scripts/run/media): werift bots are the load
 * (media flows, nothing is decoded), Chromium probes are the instruments (clock drawn into every
 * frame, read back → end-to-end latency per frame). The four per-room counts add up to
 * participantsPerRoom (scripts/run/media/room-plan.ts checks it).
 */
export interface SfuLoad {
  /** Rooms, all alike; the largest room's bandwidth is the sfu_room_bandwidth_gbps row. */
  rooms: number;
  /** Participants per room, every kind together. */
  participantsPerRoom: number;
  /** Chromium probes per room publishing a clock-stamped camera (simulcast). Cost ~0.4 core each. */
  probePublishersPerRoom: number;
  /** Chromium probes per room reading a probe publisher's clock back; subscriber i reads publisher
   *  i mod probePublishersPerRoom, the first one the high layer, the others the low layer. */
  probeSubscribersPerRoom: number;
  /** werift bots per room sending pre-encoded VP8 + Opus (the first a 640x360 speaker, the others
   *  320x180 filmstrip tiles). */
  botPublishersPerRoom: number;
  /** werift bots per room subscribing by `layout`. */
  botSubscribersPerRoom: number;
  /** What bot subscribers show: `speaker` = one high-layer video, five low, every audio. */
  layout: LayoutName;
  /** Bot joins per second over all rooms. */
  joinRatePerSec: number;
  /** Seconds the room is held full after the last bot joined; the probes measure inside it. */
  holdSec: number;
  /** Frames per second the probe publishers draw and send (the clock's resolution is one frame). */
  probeFps: number;
  /**
   * `with-load`: the rooms run while the k6 load runs (realistic: the SFU and the API stack are busy
   * at once). `after-load`: the rooms run once the k6 load has ended (for a generator too small to
   * hold both). See scripts/run/media/README.md for the measurement behind smoke's choice.
   */
  phase: 'with-load' | 'after-load';
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
  sfu: SfuLoad;
}

/**
 * Every row of the table, the seed's eight and the suite's four, is gated by every profile: a row a
 * run cannot measure (no Prometheus, no media lab on a cluster) makes the verdict INCONCLUSIVE rather
 * than being dropped from it, so a GO always means every row was seen.
 */
const EVERY_ROW: RowId[] = THRESHOLD_TABLE.map((row) => row.id);

export const PROFILES: Record<ProfileName, Profile> = {
  smoke: {
    name: 'smoke',
    description: 'Fits one 2-core machine with the local stack, under 3 minutes.',
    gates: EVERY_ROW,
    api: { ratePerSec: 20, rampSec: 10, steadySec: 50, preAllocatedVUs: 10, maxVUs: 60, users: 20 },
    websocket: { connections: 500, connectionsPerVU: 25, rampSec: 15, holdSec: 45, heartbeatSec: 5, meetings: 10 },
    runners: 1,
    sfu: {
      // 16 participants, after the k6 load: measured on this 2-core machine, 30 participants with the
      // k6 load stalled the bots' event loops (p99 3 s → saturated → INCONCLUSIVE), and even 16 did
      // (p99 0.6–1.2 s) while k6, the stack and four browsers shared the cores. Smoke answers "does
      // the SFU path work and meet the table", so it runs the room alone; bigger profiles run with load.
      rooms: 1,
      // One probe pair: a Chromium probe costs ~0.4 core, and four of them left the bots starved.
      participantsPerRoom: 16,
      probePublishersPerRoom: 1,
      probeSubscribersPerRoom: 1,
      botPublishersPerRoom: 2,
      botSubscribersPerRoom: 12,
      layout: 'speaker',
      // 2 joins/s: at 10/s the bots' joins (DTLS in JavaScript) stalled their event loops next to
      // two starting Chromiums and the join p95 was the generator's (3.4 s); at 2/s it was 2.0 s.
      joinRatePerSec: 2,
      holdSec: 50,
      probeFps: 30,
      phase: 'after-load',
    },
  },
  nightly: {
    name: 'nightly',
    description: 'Cluster-sized trend run: a fifth of the seed scale, long enough to see drift.',
    gates: EVERY_ROW,
    api: { ratePerSec: 300, rampSec: 60, steadySec: 600, preAllocatedVUs: 100, maxVUs: 600, users: 500 },
    websocket: { connections: 10_000, connectionsPerVU: 100, rampSec: 120, holdSec: 600, heartbeatSec: 15, meetings: 20 },
    runners: 1,
    sfu: {
      rooms: 10,
      participantsPerRoom: 100,
      probePublishersPerRoom: 2,
      probeSubscribersPerRoom: 2,
      botPublishersPerRoom: 4,
      botSubscribersPerRoom: 92,
      layout: 'speaker',
      joinRatePerSec: 20,
      holdSec: 600,
      probeFps: 30,
      phase: 'with-load',
    },
  },
  release: {
    name: 'release',
    description: 'Pre-release gate: half the seed scale for 15 minutes.',
    gates: EVERY_ROW,
    api: { ratePerSec: 600, rampSec: 120, steadySec: 900, preAllocatedVUs: 200, maxVUs: 1200, users: 1000 },
    websocket: { connections: 25_000, connectionsPerVU: 200, rampSec: 300, holdSec: 900, heartbeatSec: 15, meetings: 50 },
    runners: 2,
    sfu: {
      rooms: 50,
      participantsPerRoom: 250,
      probePublishersPerRoom: 2,
      probeSubscribersPerRoom: 2,
      botPublishersPerRoom: 4,
      botSubscribersPerRoom: 242,
      layout: 'speaker',
      joinRatePerSec: 50,
      holdSec: 900,
      probeFps: 30,
      phase: 'with-load',
    },
  },
  full: {
    name: 'full',
    description: "The seed's scale: 50,000 signaling connections, 100 meetings × 500 participants.",
    gates: EVERY_ROW,
    api: { ratePerSec: 1000, rampSec: 120, steadySec: 900, preAllocatedVUs: 300, maxVUs: 2000, users: 1000 },
    websocket: { connections: 50_000, connectionsPerVU: 250, rampSec: 300, holdSec: 600, heartbeatSec: 15, meetings: 100 },
    runners: 4,
    sfu: {
      rooms: 100,
      participantsPerRoom: 500,
      probePublishersPerRoom: 2,
      probeSubscribersPerRoom: 2,
      botPublishersPerRoom: 4,
      botSubscribersPerRoom: 492,
      layout: 'speaker',
      joinRatePerSec: 100,
      holdSec: 600,
      probeFps: 30,
      phase: 'with-load',
    },
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as string[]).includes(name);
}
