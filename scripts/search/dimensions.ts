/**
 * What a capacity search can step, as data: each dimension is one knob of the profile, the rows a
 * step gates, and the short steady state every step runs for. A step is the base profile with the
 * knob set to the load (`apply`), run and judged exactly like `run` judges a profile.
 *
 *   connections            websocket.connections — signaling sessions held, at a fixed join rate,
 *                          with the base profile's API traffic beside them
 *   api-rps                api.ratePerSec — the open-model API rate, with the base's sessions held
 *   participants-per-room  sfu.participantsPerRoom of one room (the extra ones are bot subscribers)
 *   rooms                  sfu.rooms of small rooms
 *
 * Pure: unit-tested, and what `search` prints before it starts.
 */
import type { ApiLoad, Profile, SfuLoad, WebsocketLoad } from '../../lib/profiles.ts';
import type { RowId } from '../../thresholds/table.ts';

export type DimensionName = 'connections' | 'api-rps' | 'participants-per-room' | 'rooms';

export interface Dimension {
  name: DimensionName;
  /** What one unit of load is, for people: `sessions`, `requests/s`, … */
  unit: string;
  /** The profile field the load sets, for people (`websocket.connections`). */
  knob: string;
  /** Rows a step gates (the profile's own gates are replaced: a step judges what it loads). */
  gates: RowId[];
  /** --start/--step/--max when not given: sized for this project's 2-core reference machine. */
  defaults: { start: number; step: number; max: number };
  /** Smallest load that makes a valid profile from `base`. */
  min(base: Profile): number;
  /** The base profile with the knob at `load` and a steady state of `steadySec` (default
   *  STEP_STEADY_SEC; the SFU dimensions hold their rooms STEP_SFU_HOLD_SEC at least). */
  apply(base: Profile, load: number, steadySec?: number): Profile;
}

/** Rows the k6 load measures: held sessions, connect success, API latency and errors. */
const CLIENT_ROWS: RowId[] = ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'];
/** Rows the SFU rooms measure (scripts/run/media). */
const MEDIA_ROWS: RowId[] = ['video_latency_ms', 'sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms'];

/**
 * Seconds of steady state per step: sessions held after their ramp (the connections rows are judged
 * at its end), and API traffic at its rate after its ramp. Short, so a search fits in minutes; long
 * enough for several heartbeats (a session that dies is seen) and a few thousand API requests.
 */
export const STEP_STEADY_SEC = 20;
/** Seconds the API takes to reach its rate (open model: a ramp keeps k6 from a cold burst). */
export const STEP_API_RAMP_SEC = 5;
/**
 * Joins per second while a step opens its sessions, whatever the load: the search varies how many
 * sessions are held, not how fast they arrive (a join storm is a different question). 100/s is
 * 3× smoke's rate and keeps an 8,000-session step's ramp at 80 s.
 */
export const STEP_JOINS_PER_SEC = 100;
/** More VUs than this cost the generator more than their sessions do; sessions per VU grow instead. */
export const MAX_WS_VUS = 200;
/** Seconds the rooms are held full at least: the least room-plan.ts accepts (30 s for the probes to start, 20 s measured). */
export const STEP_SFU_HOLD_SEC = 50;
/** Participants per room when the number of rooms is searched: small rooms, one probe pair each,
 *  so that what grows is rooms, and a 2-core generator holds a few of them. */
export const ROOMS_DIMENSION_ROOM_SIZE = 10;

/** The base's API traffic over at least `windowSec`, beside a load that is not the API's. */
function backgroundApi(api: ApiLoad, windowSec: number): ApiLoad {
  return { ...api, rampSec: STEP_API_RAMP_SEC, steadySec: Math.max(1, windowSec - STEP_API_RAMP_SEC) };
}

/** `connections` sessions opened at STEP_JOINS_PER_SEC and held `holdSec`, in meetings as full as the base's. */
function sessions(ws: WebsocketLoad, connections: number, holdSec: number): WebsocketLoad {
  const perMeeting = Math.max(1, Math.ceil(ws.connections / ws.meetings));
  return {
    ...ws,
    connections,
    connectionsPerVU: Math.max(ws.connectionsPerVU, Math.ceil(connections / MAX_WS_VUS)),
    rampSec: Math.max(5, Math.ceil(connections / STEP_JOINS_PER_SEC)),
    holdSec,
    meetings: Math.max(1, Math.ceil(connections / perMeeting)),
  };
}

/** A light k6 load beside the rooms (the comprehensive scenario always runs both halves). */
function quietClients(base: Profile, windowSec: number): Pick<Profile, 'api' | 'websocket'> {
  const api: ApiLoad = { ...base.api, ratePerSec: 2, rampSec: 0, steadySec: windowSec, preAllocatedVUs: 2, maxVUs: 10, users: Math.min(base.api.users, 5) };
  return { api, websocket: sessions(base.websocket, 20, Math.max(10, windowSec - 5)) };
}

function sfuWindowSec(sfu: SfuLoad): number {
  return Math.ceil((sfu.rooms * sfu.participantsPerRoom) / sfu.joinRatePerSec) + sfu.holdSec;
}

/** Probes and bot publishers per room: everyone in a room who is not a bot subscriber. */
function fixedPerRoom(sfu: SfuLoad): number {
  return sfu.probePublishersPerRoom + sfu.probeSubscribersPerRoom + sfu.botPublishersPerRoom;
}

export const DIMENSIONS: Record<DimensionName, Dimension> = {
  connections: {
    name: 'connections',
    unit: 'sessions',
    knob: 'websocket.connections',
    gates: CLIENT_ROWS,
    defaults: { start: 500, step: 500, max: 8000 },
    min: () => 1,
    apply(base, load, steadySec = STEP_STEADY_SEC) {
      const websocket = sessions(base.websocket, load, steadySec);
      return { ...base, gates: CLIENT_ROWS, websocket, api: backgroundApi(base.api, websocket.rampSec + websocket.holdSec) };
    },
  },
  'api-rps': {
    name: 'api-rps',
    unit: 'requests/s',
    knob: 'api.ratePerSec',
    gates: CLIENT_ROWS,
    defaults: { start: 20, step: 20, max: 400 },
    min: () => 1,
    apply(base, load, steadySec = STEP_STEADY_SEC) {
      const rate = Math.round(load);
      // VUs as the profiles size them: ~rate × latency up front, enough to hold the rate at the
      // critical latency at most (smoke: 20/s → 10 and 60).
      const api: ApiLoad = {
        ...base.api,
        ratePerSec: rate,
        rampSec: STEP_API_RAMP_SEC,
        steadySec,
        preAllocatedVUs: Math.max(base.api.preAllocatedVUs, Math.ceil(rate / 2)),
        maxVUs: Math.max(base.api.maxVUs, 3 * rate),
      };
      // The base's sessions, held for as long as the API runs.
      const held = sessions(base.websocket, base.websocket.connections, 0);
      const websocket = { ...held, holdSec: Math.max(10, STEP_API_RAMP_SEC + steadySec - held.rampSec) };
      return { ...base, gates: CLIENT_ROWS, api, websocket };
    },
  },
  'participants-per-room': {
    name: 'participants-per-room',
    unit: 'participants',
    knob: 'sfu.participantsPerRoom',
    gates: MEDIA_ROWS,
    defaults: { start: 10, step: 10, max: 60 },
    min: (base) => fixedPerRoom(base.sfu) + 1,
    apply(base, load, steadySec = STEP_STEADY_SEC) {
      const n = Math.round(load);
      const holdSec = Math.max(STEP_SFU_HOLD_SEC, steadySec);
      const sfu: SfuLoad = { ...base.sfu, rooms: 1, participantsPerRoom: n, botSubscribersPerRoom: n - fixedPerRoom(base.sfu), holdSec, phase: 'with-load' };
      return { ...base, gates: MEDIA_ROWS, sfu, ...quietClients(base, sfuWindowSec(sfu)) };
    },
  },
  rooms: {
    name: 'rooms',
    unit: 'rooms',
    knob: 'sfu.rooms',
    gates: MEDIA_ROWS,
    defaults: { start: 1, step: 1, max: 4 },
    min: () => 1,
    apply(base, load, steadySec = STEP_STEADY_SEC) {
      const rooms = Math.round(load);
      const size = ROOMS_DIMENSION_ROOM_SIZE;
      const sfu: SfuLoad = {
        ...base.sfu,
        rooms,
        participantsPerRoom: size,
        probePublishersPerRoom: 1,
        probeSubscribersPerRoom: 1,
        botPublishersPerRoom: 2,
        botSubscribersPerRoom: size - 4,
        holdSec: Math.max(STEP_SFU_HOLD_SEC, steadySec),
        phase: 'with-load',
      };
      return { ...base, gates: MEDIA_ROWS, sfu, ...quietClients(base, sfuWindowSec(sfu)) };
    },
  },
};

export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as DimensionName[];

export function isDimensionName(name: string): name is DimensionName {
  return (DIMENSION_NAMES as string[]).includes(name);
}

