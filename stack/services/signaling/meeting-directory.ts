/**
 * "Does this meeting exist, and how many may join it?" — asked of PostgreSQL once per meeting per
 * worker, then answered from memory: a 500-person join storm is one query, not 500. Concurrent
 * first lookups of one meeting share a single query. Only found meetings are cached (meetings are
 * never deleted here), so a meeting created a moment after a miss is found on the next try.
 */
import type { Database } from '../shared/database.ts';
import { isMeetingId } from '../shared/meeting-channel.ts';

export interface MeetingInfo {
  id: string;
  maxParticipants: number;
}

/** Cached meetings per worker before the cache is dropped and refilled (bounds memory under id churn). */
const CACHE_LIMIT = 100_000;

export class MeetingDirectory {
  private readonly known = new Map<string, MeetingInfo>();
  private readonly inFlight = new Map<string, Promise<MeetingInfo | undefined>>();

  constructor(private readonly db: Database) {}

  /** The meeting, or undefined if there is none; throws if PostgreSQL cannot be asked. */
  lookup(meetingId: string): Promise<MeetingInfo | undefined> {
    if (!isMeetingId(meetingId)) return Promise.resolve(undefined);
    const hit = this.known.get(meetingId);
    if (hit) return Promise.resolve(hit);
    let pending = this.inFlight.get(meetingId);
    if (!pending) {
      pending = this.fetch(meetingId).finally(() => this.inFlight.delete(meetingId));
      this.inFlight.set(meetingId, pending);
    }
    return pending;
  }

  private async fetch(meetingId: string): Promise<MeetingInfo | undefined> {
    const rows = await this.db.query<{ id: string; max_participants: number }>(
      'signaling_meeting_by_id',
      'SELECT id, max_participants FROM meetings WHERE id = $1',
      [meetingId],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (this.known.size >= CACHE_LIMIT) this.known.clear();
    const info = { id: row.id, maxParticipants: row.max_participants };
    this.known.set(meetingId, info);
    return info;
  }
}
