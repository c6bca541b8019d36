/**
 * The meeting service: create, get, list (newest first) and join. Join checks the live participant
 * count that signaling keeps in Redis (409 when full), records the join, and returns where to open
 * the signaling socket plus, when the stack has LiveKit, a room token.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { API, type JoinResponse } from '../../../lib/gomeet/contract.ts';
import type { AccessTokens } from '../shared/access-token.ts';
import type { Database } from '../shared/database.ts';
import { DEFAULT_MAX_PARTICIPANTS, MAX_PARTICIPANTS_CAP, clampLimit } from '../shared/limits.ts';
import { PARTICIPANT_COUNTS_KEY, isMeetingId } from '../shared/meeting-channel.ts';
import type { ServiceMetrics } from '../shared/metrics.ts';
import { requireUser } from './authenticate.ts';
import { HttpError } from './http-error.ts';
import { recordHttpMetrics } from './http-metrics.ts';
import { type LivekitSettings, mintLivekitJoin } from './livekit-token.ts';
import { MEETING_COLUMNS, type MeetingRow, toMeeting } from '../shared/rows.ts';

export interface MeetingRoutesOptions {
  db: Database;
  redis: Redis;
  tokens: AccessTokens;
  metrics: ServiceMetrics;
  signalingPublicUrl: string;
  livekit: LivekitSettings | undefined;
}

export const meetingRoutes: FastifyPluginAsync<MeetingRoutesOptions> = async (app, opts) => {
  const { db, redis, tokens, metrics } = opts;
  recordHttpMetrics(app, 'meeting', metrics);

  async function findMeeting(id: string): Promise<MeetingRow> {
    if (!isMeetingId(id)) throw new HttpError(404, 'unknown meeting');
    const rows = await db.query<MeetingRow>('meeting_by_id', `SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = $1`, [id]);
    if (!rows[0]) throw new HttpError(404, 'unknown meeting');
    return rows[0];
  }

  app.get<{ Querystring: { limit?: string } }>(API.meetings, async (request) => {
    await requireUser(tokens, request);
    const rows = await db.query<MeetingRow>(
      'meeting_list',
      `SELECT ${MEETING_COLUMNS} FROM meetings ORDER BY created_at DESC, id DESC LIMIT $1`,
      [clampLimit(request.query.limit)],
    );
    return { meetings: rows.map(toMeeting) };
  });

  app.post<{ Body: { title: string; maxParticipants?: number } }>(
    API.meetings,
    {
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200 },
            maxParticipants: { type: 'integer', minimum: 1, maximum: MAX_PARTICIPANTS_CAP },
          },
        },
      },
    },
    async (request, reply) => {
      const user = await requireUser(tokens, request);
      const rows = await db.query<MeetingRow>(
        'meeting_insert',
        `INSERT INTO meetings (title, host_id, max_participants) VALUES ($1, $2, $3) RETURNING ${MEETING_COLUMNS}`,
        [request.body.title, user.id, request.body.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS],
      );
      return reply.code(201).send(toMeeting(rows[0]!));
    },
  );

  app.get<{ Params: { id: string } }>(API.meeting(':id'), async (request) => {
    await requireUser(tokens, request);
    return toMeeting(await findMeeting(request.params.id));
  });

  app.post<{ Params: { id: string } }>(API.join(':id'), async (request): Promise<JoinResponse> => {
    const user = await requireUser(tokens, request);
    const meeting = await findMeeting(request.params.id);
    const live = Number((await redis.hget(PARTICIPANT_COUNTS_KEY, meeting.id)) ?? 0);
    if (live >= meeting.max_participants) throw new HttpError(409, 'meeting is full');
    const participantId = `${user.id}-${randomBytes(4).toString('hex')}`;
    await db.query('meeting_participant_insert', 'INSERT INTO participants (id, meeting_id, user_id) VALUES ($1, $2, $3)', [
      participantId,
      meeting.id,
      user.id,
    ]);
    const response: JoinResponse = { meetingId: meeting.id, participantId, signalingUrl: opts.signalingPublicUrl };
    if (opts.livekit) response.livekit = await mintLivekitJoin(opts.livekit, meeting.id, participantId, user.name);
    return response;
  });
};
