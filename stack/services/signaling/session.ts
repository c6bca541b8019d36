/**
 * One signaling WebSocket's state. Deliberately small and timer-free: at 12,500 sockets per worker
 * every field costs memory, and timeouts are checked by the worker's single sweep (sweeper.ts).
 */
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../../lib/gomeet/contract.ts';

export interface Session {
  readonly ws: WebSocket;
  /** Date.now() when the socket opened; the auth deadline counts from here. */
  readonly openedAt: number;
  /** Date.now() of the last frame from the client; the heartbeat deadline counts from here. */
  lastSeenAt: number;
  /** An auth frame has arrived (its verification may still be running): the auth deadline is met. */
  authSent: boolean;
  /** Set by a successful auth. */
  userId: string | undefined;
  /** Set while joined to a meeting. */
  meetingId: string | undefined;
  participantId: string | undefined;
  /** Set only while a join is in flight: meeting frames that arrive meanwhile wait here and are sent
   *  right after `joined`, so the participant misses nothing after its own join, yet sees nothing
   *  before `joined` (the contract's order). */
  deferred: Array<{ type: ServerMessage['type']; frame: string }> | undefined;
  /** Frames are handled one after another per session (auth must finish before join is read). */
  queue: Promise<void>;
  closed: boolean;
}

export function newSession(ws: WebSocket, now: number): Session {
  return {
    ws,
    openedAt: now,
    lastSeenAt: now,
    authSent: false,
    userId: undefined,
    meetingId: undefined,
    participantId: undefined,
    deferred: undefined,
    queue: Promise.resolve(),
    closed: false,
  };
}
