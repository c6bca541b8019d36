/**
 * The auth service: login with email + password, refresh with a refresh token.
 * Refresh tokens are random, single-use (rotated on every refresh), valid 7 days, and stored in
 * PostgreSQL only as a SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { API, type LoginResponse } from '../../../lib/gomeet/contract.ts';
import type { AccessTokens, TokenUser } from '../shared/access-token.ts';
import type { Database } from '../shared/database.ts';
import type { ServiceMetrics } from '../shared/metrics.ts';
import { verifyPassword } from '../shared/password.ts';
import { HttpError } from './http-error.ts';
import { recordHttpMetrics } from './http-metrics.ts';

export interface AuthRoutesOptions {
  db: Database;
  tokens: AccessTokens;
  metrics: ServiceMetrics;
}

const REFRESH_TTL = '7 days';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, { db, tokens, metrics }) => {
  recordHttpMetrics(app, 'auth', metrics);

  async function issue(user: TokenUser): Promise<LoginResponse> {
    const refreshToken = randomBytes(32).toString('base64url');
    const [accessToken] = await Promise.all([
      tokens.sign(user),
      db.query(
        'auth_refresh_insert',
        `INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, now() + $3::interval)`,
        [sha256(refreshToken), user.id, REFRESH_TTL],
      ),
    ]);
    return { accessToken, refreshToken, expiresIn: tokens.ttlSec, user };
  }

  app.post<{ Body: { email: string; password: string } }>(
    API.login,
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: { email: { type: 'string', maxLength: 320 }, password: { type: 'string', maxLength: 1024 } },
        },
      },
    },
    async (request) => {
      const rows = await db.query<{ id: string; email: string; name: string; password_hash: string }>(
        'auth_user_by_email',
        'SELECT id, email, name, password_hash FROM users WHERE email = $1',
        [request.body.email],
      );
      const row = rows[0];
      if (!row || !(await verifyPassword(request.body.password, row.password_hash))) {
        throw new HttpError(401, 'bad email or password');
      }
      return issue({ id: row.id, email: row.email, name: row.name });
    },
  );

  app.post<{ Body: { refreshToken: string } }>(
    API.refresh,
    {
      schema: {
        body: {
          type: 'object',
          required: ['refreshToken'],
          properties: { refreshToken: { type: 'string', maxLength: 200 } },
        },
      },
    },
    async (request) => {
      // Delete-and-return in one statement: a token can be redeemed once even under concurrency.
      const rows = await db.query<{ id: string; email: string; name: string }>(
        'auth_refresh_redeem',
        `WITH used AS (DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING user_id, expires_at)
         SELECT u.id, u.email, u.name FROM used JOIN users u ON u.id = used.user_id WHERE used.expires_at > now()`,
        [sha256(request.body.refreshToken)],
      );
      const user = rows[0];
      if (!user) throw new HttpError(401, 'unknown or expired refresh token');
      return issue(user);
    },
  );
};
