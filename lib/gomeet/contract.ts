/**
 * The GoMeet API and signaling contract the suite speaks — written down once.
 *
 * The local reference stack (stack/services) implements exactly this; the k6 adapter
 * (lib/k6/gomeet-api.ts, lib/k6/signaling.ts) speaks exactly this. A team whose GoMeet API differs
 * changes the paths and message shapes here and in that one adapter, nothing else.
 *
 * Pure types and constants: bundled into k6 scripts and imported by Node.
 */

/** HTTP endpoints, relative to the target's `api.baseUrl`. `:id` is a meeting id. */
export const API = {
  /** POST {email, password} → LoginResponse. 401 on bad credentials. */
  login: '/api/auth/login',
  /** POST {refreshToken} → LoginResponse. 401 on an unknown or expired refresh token. */
  refresh: '/api/auth/refresh',
  /** GET → {meetings: Meeting[]} (newest first, `?limit=` up to 100). POST {title, maxParticipants?} → Meeting (201). */
  meetings: '/api/meetings',
  /** GET → Meeting, 404 if unknown. */
  meeting: (id: string) => `/api/meetings/${id}`,
  /** POST → JoinResponse. 404 if unknown meeting, 409 if the meeting is full. */
  join: (id: string) => `/api/meetings/${id}/join`,
  /** POST {text} → ChatMessage (201); GET `?limit=` (≤ 100) → {messages: ChatMessage[]} newest first. */
  chat: (id: string) => `/api/meetings/${id}/chat`,
  /** GET → {status: 'ok', service, checks: {postgres, redis}}; 503 with the failing check otherwise. */
  health: '/health',
} as const;

/** Every authenticated call carries `Authorization: Bearer <accessToken>` (a JWT, HS256). */
export interface LoginResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds until accessToken expires. */
  expiresIn: number;
  user: { id: string; email: string; name: string };
}

export interface Meeting {
  id: string;
  title: string;
  hostId: string;
  maxParticipants: number;
  createdAt: string;
}

export interface JoinResponse {
  meetingId: string;
  participantId: string;
  /** Where to open the signaling WebSocket for this meeting. */
  signalingUrl: string;
  /** LiveKit room and a token minted server-side (present when the stack has LiveKit; issue 3). */
  livekit?: { url: string; room: string; token: string };
}

export interface ChatMessage {
  id: string;
  meetingId: string;
  userId: string;
  text: string;
  createdAt: string;
}

/** Load-test users of the local stack: `loadtest-<n>@gomeet.local`, n = 0..N-1, one shared password
 *  taken from the environment variable the target names (never written in a file). */
export function loadTestUserEmail(n: number): string {
  return `loadtest-${n}@gomeet.local`;
}

/* ------------------------------------------------------------------------------------------------
 * Signaling: one WebSocket per participant, JSON text frames, one message per frame.
 * Order: open → auth → auth_ok → join → joined → (heartbeat ↔ heartbeat_ack, presence, chat)* → leave.
 * A session that does not send `auth` within 10 s, or misses 3 heartbeat intervals, is closed by the
 * server (close code 4001 / 4002). Server events of a meeting fan out across signaling processes
 * through Redis pub/sub channel `meeting:<id>`.
 * ---------------------------------------------------------------------------------------------- */

export type ClientMessage =
  | { type: 'auth'; token: string }
  | { type: 'join'; meetingId: string }
  /** `ts` is the client's clock (ms); echoed back so the client measures round-trip time. */
  | { type: 'heartbeat'; ts: number }
  | { type: 'chat'; text: string }
  | { type: 'leave' };

export type ServerMessage =
  | { type: 'auth_ok'; userId: string }
  | { type: 'joined'; meetingId: string; participantId: string; participants: number }
  | { type: 'heartbeat_ack'; ts: number }
  /** Presence changes are coalesced per meeting (at most one message per second per meeting) so a
   *  500-person join storm costs O(n) messages per second, not O(n²). */
  | { type: 'presence'; meetingId: string; participants: number; joined: string[]; left: string[] }
  | { type: 'chat'; meetingId: string; message: ChatMessage }
  | { type: 'error'; code: SignalingErrorCode; message: string };

export type SignalingErrorCode = 'unauthenticated' | 'bad_message' | 'unknown_meeting' | 'meeting_full' | 'not_joined';

/** WebSocket close codes the server uses. */
export const CLOSE = {
  authTimeout: 4001,
  heartbeatTimeout: 4002,
  badToken: 4003,
  shuttingDown: 1001,
} as const;
