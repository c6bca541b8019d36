/**
 * A worker's meetings: which local sessions are in which meeting, the worker's one Redis
 * subscriber connection, and the relay of meeting events (chat, presence) to local sockets.
 *
 * A worker subscribes to `meeting:<id>` when its first local participant joins that meeting and
 * unsubscribes when its last one leaves — one subscription per (worker, meeting), never per socket.
 * Joins wait for the subscription, so a participant's own join event cannot slip past unheard.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/log.ts';
import { meetingChannel, parseMeetingEvent } from '../shared/meeting-channel.ts';
import type { MeetingInfo } from './meeting-directory.ts';
import type { Outbound } from './outbound.ts';
import type { ParticipantCounts } from './participant-counts.ts';
import { PresenceCoalescer, type PresenceUpdate } from './presence-coalescer.ts';
import type { Session } from './session.ts';

interface LocalMeeting {
  sessions: Set<Session>;
  /** Joins in flight: the meeting must not be unsubscribed under them. */
  joining: number;
  subscribed: Promise<unknown>;
}

const CHANNEL_PREFIX = meetingChannel('');

export class MeetingHub {
  private readonly meetings = new Map<string, LocalMeeting>();
  private readonly presence = new PresenceCoalescer();

  constructor(
    private readonly counts: ParticipantCounts,
    private readonly subscriber: Redis,
    private readonly outbound: Outbound,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (channel: string, payload: string) => this.onEvent(channel, payload));
  }

  /** Meetings with at least one local participant (or a join in flight). */
  get localMeetings(): number {
    return this.meetings.size;
  }

  /** Joins the session; sets its meetingId/participantId. Returns the meeting's new count or 'full'. */
  async join(session: Session, meeting: MeetingInfo, participantId: string): Promise<number | 'full'> {
    let local = this.meetings.get(meeting.id);
    if (!local) {
      local = { sessions: new Set(), joining: 0, subscribed: this.subscriber.subscribe(meetingChannel(meeting.id)) };
      this.meetings.set(meeting.id, local);
    }
    local.joining += 1;
    let joined = false;
    try {
      await local.subscribed;
      // In the meeting's set before the count changes: the join's own presence event may reach this
      // worker's subscriber before the script's reply, and must not pass the newcomer by. Until the
      // caller sends `joined`, its frames wait in `deferred`.
      session.deferred = [];
      local.sessions.add(session);
      const n = await this.counts.join(meeting.id, participantId, meeting.maxParticipants);
      if (n === 'full') return 'full';
      session.meetingId = meeting.id;
      session.participantId = participantId;
      joined = true;
      return n;
    } finally {
      if (!joined) {
        local.sessions.delete(session);
        session.deferred = undefined;
      }
      local.joining -= 1;
      this.releaseIfEmpty(meeting.id, local);
    }
  }

  /** Leaves the session's meeting, if any (presence tells the others). */
  async leave(session: Session): Promise<void> {
    const { meetingId, participantId } = session;
    if (!meetingId || !participantId) return;
    session.meetingId = undefined;
    session.participantId = undefined;
    session.deferred = undefined;
    const local = this.meetings.get(meetingId);
    local?.sessions.delete(session);
    try {
      await this.counts.leave(meetingId, [participantId]);
    } finally {
      if (local) this.releaseIfEmpty(meetingId, local);
    }
  }

  /** Shutdown: every local participant leaves, one Redis call per meeting. */
  async leaveAll(): Promise<void> {
    const calls: Promise<unknown>[] = [];
    for (const [meetingId, local] of this.meetings) {
      const ids: string[] = [];
      for (const s of local.sessions) {
        if (s.participantId) ids.push(s.participantId);
        s.meetingId = undefined;
        s.participantId = undefined;
      }
      local.sessions.clear();
      if (ids.length > 0) calls.push(this.counts.leave(meetingId, ids));
    }
    this.meetings.clear();
    await Promise.allSettled(calls);
  }

  /** Sends presence updates whose one-second window has passed; called by the worker's tick. */
  flushPresence(now: number): void {
    for (const update of this.presence.takeDue(now)) this.sendPresence(update);
  }

  private releaseIfEmpty(meetingId: string, local: LocalMeeting): void {
    if (local.sessions.size > 0 || local.joining > 0 || this.meetings.get(meetingId) !== local) return;
    this.meetings.delete(meetingId);
    this.presence.forget(meetingId);
    this.subscriber.unsubscribe(meetingChannel(meetingId)).catch((err: unknown) => {
      this.log.warn('unsubscribe failed', { meetingId, err });
    });
  }

  private onEvent(channel: string, payload: string): void {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    const meetingId = channel.slice(CHANNEL_PREFIX.length);
    const local = this.meetings.get(meetingId);
    if (!local) return;
    const event = parseMeetingEvent(payload);
    if (!event) {
      this.log.warn('unreadable meeting event', { channel });
      return;
    }
    if (event.kind === 'chat') {
      this.outbound.broadcast(local.sessions, { type: 'chat', meetingId, message: event.message });
      return;
    }
    const update = this.presence.add(meetingId, event, Date.now());
    if (update) this.sendPresence(update);
  }

  private sendPresence(update: PresenceUpdate): void {
    const local = this.meetings.get(update.meetingId);
    if (!local) return;
    this.outbound.broadcast(local.sessions, {
      type: 'presence',
      meetingId: update.meetingId,
      participants: update.participants,
      joined: update.joined,
      left: update.left,
    });
  }
}
