/**
 * The GoMeet signaling adapter: the only k6 code that knows the signaling frames (from
 * lib/gomeet/contract.ts). Frames are built as strings and incoming frames are classified by a
 * cheap scan for their `"type":"…"` before any JSON.parse — at 50,000 sessions most frames are
 * presence updates the load test ignores, and parsing them would cost more than the rest of the
 * session's work.
 */
import type { ClientMessage, ServerMessage } from '../gomeet/contract.ts';

export { CLOSE } from '../gomeet/contract.ts';

type ServerType = ServerMessage['type'];

function frame(message: ClientMessage): string {
  return JSON.stringify(message);
}

export function authFrame(token: string): string {
  return frame({ type: 'auth', token });
}

export function joinFrame(meetingId: string): string {
  return frame({ type: 'join', meetingId });
}

/** `ts` (client clock, ms) comes back in heartbeat_ack: the round trip needs no per-session state. */
export function heartbeatFrame(ts: number): string {
  return `{"type":"heartbeat","ts":${ts}}`;
}

export function leaveFrame(): string {
  return frame({ type: 'leave' });
}

/** The server frame types a session reacts to (the Go engine, k6/x/gomeet, gets them as options). */
export const REPLY = { authOk: 'auth_ok', joined: 'joined', error: 'error', heartbeatAck: 'heartbeat_ack' } as const satisfies Record<string, ServerType>;

const TYPE_KEY = '"type":"';

/** The `type` of a server frame without parsing it. JSON escapes quotes inside strings, so the raw
 *  text `"type":"` can only be a real key; server messages carry no nested object with a `type`. */
export function frameType(data: string): ServerType | undefined {
  const at = data.indexOf(TYPE_KEY);
  if (at < 0) return undefined;
  const start = at + TYPE_KEY.length;
  const end = data.indexOf('"', start);
  return end < 0 ? undefined : (data.slice(start, end) as ServerType);
}

/** The echoed client timestamp of a heartbeat_ack frame, or NaN. */
export function heartbeatAckTs(data: string): number {
  try {
    const msg = JSON.parse(data) as Extract<ServerMessage, { type: 'heartbeat_ack' }>;
    return typeof msg.ts === 'number' ? msg.ts : NaN;
  } catch {
    return NaN;
  }
}
