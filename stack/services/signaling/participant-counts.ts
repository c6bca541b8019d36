/**
 * Live participant counts per meeting, kept in one Redis hash so every signaling worker (and the
 * api's join, which answers 409 when full) agrees. Each change and its presence event are one Lua
 * script: the count is changed and the event carrying the new count is published atomically, so
 * events on a meeting's channel arrive in count order and the latest one is always right.
 *
 * (The keys of one call — the hash and the channel — would need a hash tag on Redis Cluster; the
 * reference stack runs a single Redis.)
 */
import type { Redis } from 'ioredis';
import { PARTICIPANT_COUNTS_KEY, meetingChannel } from '../shared/meeting-channel.ts';

/** Join one participant unless the meeting is at `max`; returns the new count or -1 when full. */
const JOIN_LUA = `
local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if n >= tonumber(ARGV[2]) then return -1 end
n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('PUBLISH', KEYS[2], ARGV[3] .. n .. '}')
return n`;

/** Remove ARGV[2] participants at once (a worker shutting down leaves in bulk); never below 0. */
const LEAVE_LUA = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]); n = 0 end
redis.call('PUBLISH', KEYS[2], ARGV[3] .. n .. '}')
return n`;

type CountScript = (countsKey: string, channel: string, ...args: (string | number)[]) => Promise<number>;

/** The presence event without its final count: the script appends `<count>}`. */
function presencePrefix(joined: string[], left: string[]): string {
  return `{"kind":"presence","joined":${JSON.stringify(joined)},"left":${JSON.stringify(left)},"participants":`;
}

export interface ParticipantCounts {
  /** New count after joining, or 'full' when the meeting already has `max` participants. */
  join(meetingId: string, participantId: string, max: number): Promise<number | 'full'>;
  /** New count after these participants left. */
  leave(meetingId: string, participantIds: string[]): Promise<number>;
}

export function participantCounts(redis: Redis): ParticipantCounts {
  redis.defineCommand('gomeetParticipantJoin', { numberOfKeys: 2, lua: JOIN_LUA });
  redis.defineCommand('gomeetParticipantLeave', { numberOfKeys: 2, lua: LEAVE_LUA });
  // defineCommand adds methods ioredis cannot type; they run by EVALSHA with an EVAL fallback.
  const scripts = redis as unknown as Record<'gomeetParticipantJoin' | 'gomeetParticipantLeave', CountScript>;
  return {
    async join(meetingId, participantId, max) {
      const n = await scripts.gomeetParticipantJoin(
        PARTICIPANT_COUNTS_KEY,
        meetingChannel(meetingId),
        meetingId,
        max,
        presencePrefix([participantId], []),
      );
      return n < 0 ? 'full' : n;
    },
    leave(meetingId, participantIds) {
      return scripts.gomeetParticipantLeave(
        PARTICIPANT_COUNTS_KEY,
        meetingChannel(meetingId),
        meetingId,
        participantIds.length,
        presencePrefix([], participantIds),
      );
    },
  };
}
