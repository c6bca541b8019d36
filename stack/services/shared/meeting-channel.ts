/**
 * What the api and signaling processes say to each other through Redis. Each meeting has one
 * pub/sub channel, `meeting:<id>` (the contract names it); every signaling worker with a local
 * participant in the meeting subscribes and relays events to its sockets.
 */
import type { ChatMessage } from '../../../lib/gomeet/contract.ts';

export function meetingChannel(meetingId: string): string {
  return `meeting:${meetingId}`;
}

/** Hash: field = meeting id, value = live signaling participants across all workers. */
export const PARTICIPANT_COUNTS_KEY = 'gomeet:participants';

export type MeetingEvent =
  | { kind: 'chat'; message: ChatMessage }
  /** One participant joined or left; `participants` is the count right after (set atomically with it). */
  | { kind: 'presence'; joined: string[]; left: string[]; participants: number };

/** Parses a channel payload; undefined for anything that is not a MeetingEvent (never throws). */
export function parseMeetingEvent(payload: string): MeetingEvent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const e = v as Record<string, unknown>;
  if (e.kind === 'chat' && typeof e.message === 'object' && e.message !== null) return e as MeetingEvent;
  if (
    e.kind === 'presence' &&
    Array.isArray(e.joined) &&
    Array.isArray(e.left) &&
    typeof e.participants === 'number'
  ) {
    return e as MeetingEvent;
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Meeting ids are UUIDs; anything else is unknown without asking PostgreSQL (which would reject
 *  the cast with an error rather than return no row). */
export function isMeetingId(id: string): boolean {
  return UUID.test(id);
}
