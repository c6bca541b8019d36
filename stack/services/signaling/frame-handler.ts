/**
 * What a signaling worker does with each client frame (the contract's session protocol):
 *   auth      → verify the JWT; auth_ok, or close 4003 on a bad token
 *   join      → meeting known? room left? → joined (a participant id of user id + random suffix)
 *   heartbeat → heartbeat_ack echoing ts
 *   chat      → stored in PostgreSQL and published on the meeting's channel (echoed to everyone,
 *               the sender included, by the relay)
 *   leave     → leave the meeting; the socket stays open (it may join another)
 */
import { randomBytes } from 'node:crypto';
import { CLOSE, type ClientMessage } from '../../../lib/gomeet/contract.ts';
import type { AccessTokens } from '../shared/access-token.ts';
import type { Database } from '../shared/database.ts';
import type { Logger } from '../shared/log.ts';
import { type MeetingEvent, meetingChannel } from '../shared/meeting-channel.ts';
import type { Redis } from 'ioredis';
import type { ServiceMetrics } from '../shared/metrics.ts';
import { CHAT_COLUMNS, type ChatRow, toChatMessage } from '../shared/rows.ts';
import { parseClientMessage } from './client-message.ts';
import type { MeetingDirectory } from './meeting-directory.ts';
import type { MeetingHub } from './meeting-hub.ts';
import type { Outbound } from './outbound.ts';
import type { Session } from './session.ts';

/** WebSocket close code 1011: the server met a condition that prevented it from serving the frame. */
const SERVER_ERROR = 1011;

export interface FrameHandlerDeps {
  tokens: AccessTokens;
  directory: MeetingDirectory;
  hub: MeetingHub;
  outbound: Outbound;
  db: Database;
  publisher: Redis;
  metrics: ServiceMetrics;
  log: Logger;
}

export function createFrameHandler(deps: FrameHandlerDeps): (session: Session, raw: string) => Promise<void> {
  const { tokens, directory, hub, outbound, db, publisher, metrics, log } = deps;

  const handlers: { [T in ClientMessage['type']]: (s: Session, m: Extract<ClientMessage, { type: T }>) => Promise<void> | void } = {
    async auth(s, m) {
      s.authSent = true;
      try {
        s.userId = (await tokens.verify(m.token)).id;
      } catch {
        s.ws.close(CLOSE.badToken, 'bad token');
        return;
      }
      outbound.send(s, { type: 'auth_ok', userId: s.userId });
    },

    async join(s, m) {
      if (!s.userId) return outbound.send(s, { type: 'error', code: 'unauthenticated', message: 'send auth first' });
      if (s.meetingId) await hub.leave(s); // joining another meeting leaves the current one
      const meeting = await directory.lookup(m.meetingId);
      if (!meeting) return outbound.send(s, { type: 'error', code: 'unknown_meeting', message: 'no such meeting' });
      const participantId = `${s.userId}-${randomBytes(4).toString('hex')}`;
      const participants = await hub.join(s, meeting, participantId);
      if (participants === 'full') return outbound.send(s, { type: 'error', code: 'meeting_full', message: 'meeting is full' });
      // The socket may have closed while we waited on PostgreSQL/Redis: undo rather than leak a count.
      if (s.closed) return hub.leave(s);
      outbound.send(s, { type: 'joined', meetingId: meeting.id, participantId, participants });
      outbound.flushDeferred(s);
    },

    heartbeat(s, m) {
      outbound.send(s, { type: 'heartbeat_ack', ts: m.ts });
    },

    async chat(s, m) {
      if (!s.userId || !s.meetingId) return outbound.send(s, { type: 'error', code: 'not_joined', message: 'join a meeting first' });
      const rows = await db.query<ChatRow>(
        'signaling_chat_insert',
        `INSERT INTO chat_messages (meeting_id, user_id, text) VALUES ($1, $2, $3) RETURNING ${CHAT_COLUMNS}`,
        [s.meetingId, s.userId, m.text],
      );
      const message = toChatMessage(rows[0]!);
      const event: MeetingEvent = { kind: 'chat', message };
      await publisher.publish(meetingChannel(message.meetingId), JSON.stringify(event));
    },

    leave(s) {
      return hub.leave(s);
    },
  };

  return async (session, raw) => {
    const parsed = parseClientMessage(raw);
    metrics.signalingMessages.inc({ service: 'signaling', type: parsed.ok ? parsed.message.type : 'invalid', direction: 'in' });
    if (!parsed.ok) return outbound.send(session, { type: 'error', code: 'bad_message', message: parsed.reason });
    if (session.closed) return;
    const m = parsed.message;
    try {
      // The cast is safe: handlers[m.type] takes exactly the message of that type.
      await (handlers[m.type] as (s: Session, m: ClientMessage) => Promise<void> | void)(session, m);
    } catch (err) {
      // PostgreSQL or Redis failed under this frame; logged at debug only, since an outage would
      // otherwise print a line per frame (the breaker metrics and /health say it once).
      log.debug('frame failed', { type: m.type, err });
      if (m.type === 'join') {
        // A session that cannot join is useless: 1011 (server error) tells the client to retry later.
        session.ws.close(SERVER_ERROR, 'join failed on the server');
      } else {
        // The contract has no server-error code; `bad_message` with the reason is the nearest.
        outbound.send(session, { type: 'error', code: 'bad_message', message: `${m.type} failed on the server` });
      }
    }
  };
}
