/**
 * The chat service: a sent message is stored in PostgreSQL, then published on the meeting's Redis
 * channel so every signaling worker relays it to its sockets in that meeting. History is newest first.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { API } from '../../../lib/gomeet/contract.ts';
import type { AccessTokens } from '../shared/access-token.ts';
import type { Database } from '../shared/database.ts';
import { CHAT_TEXT_MAX, clampLimit } from '../shared/limits.ts';
import { type MeetingEvent, isMeetingId, meetingChannel } from '../shared/meeting-channel.ts';
import type { ServiceMetrics } from '../shared/metrics.ts';
import { requireUser } from './authenticate.ts';
import { HttpError } from './http-error.ts';
import { recordHttpMetrics } from './http-metrics.ts';
import { CHAT_COLUMNS, type ChatRow, toChatMessage } from '../shared/rows.ts';

export interface ChatRoutesOptions {
  db: Database;
  redis: Redis;
  tokens: AccessTokens;
  metrics: ServiceMetrics;
}

export const chatRoutes: FastifyPluginAsync<ChatRoutesOptions> = async (app, { db, redis, tokens, metrics }) => {
  recordHttpMetrics(app, 'chat', metrics);

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    API.chat(':id'),
    {
      schema: {
        body: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string', minLength: 1, maxLength: CHAT_TEXT_MAX } },
        },
      },
    },
    async (request, reply) => {
      const user = await requireUser(tokens, request);
      const meetingId = request.params.id;
      if (!isMeetingId(meetingId)) throw new HttpError(404, 'unknown meeting');
      // Existence check and insert in one statement: no row back means no such meeting.
      const rows = await db.query<ChatRow>(
        'chat_insert',
        `INSERT INTO chat_messages (meeting_id, user_id, text)
         SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM meetings WHERE id = $1)
         RETURNING ${CHAT_COLUMNS}`,
        [meetingId, user.id, request.body.text],
      );
      if (!rows[0]) throw new HttpError(404, 'unknown meeting');
      const message = toChatMessage(rows[0]);
      const event: MeetingEvent = { kind: 'chat', message };
      await redis.publish(meetingChannel(meetingId), JSON.stringify(event));
      return reply.code(201).send(message);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>(API.chat(':id'), async (request) => {
    await requireUser(tokens, request);
    const meetingId = request.params.id;
    if (!isMeetingId(meetingId)) throw new HttpError(404, 'unknown meeting');
    const rows = await db.query<ChatRow>(
      'chat_history',
      `SELECT ${CHAT_COLUMNS} FROM chat_messages WHERE meeting_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [meetingId, clampLimit(request.query.limit)],
    );
    if (rows.length === 0) {
      // Only an empty answer needs telling "no messages yet" from "no such meeting".
      const found = await db.query('chat_meeting_exists', 'SELECT 1 FROM meetings WHERE id = $1', [meetingId]);
      if (found.length === 0) throw new HttpError(404, 'unknown meeting');
    }
    return { messages: rows.map(toChatMessage) };
  });
};
