/** `Authorization: Bearer <accessToken>` → the calling user, or a 401. */
import type { FastifyRequest } from 'fastify';
import type { AccessTokens, TokenUser } from '../shared/access-token.ts';
import { HttpError } from './http-error.ts';

export async function requireUser(tokens: AccessTokens, request: FastifyRequest): Promise<TokenUser> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new HttpError(401, 'missing bearer token');
  try {
    return await tokens.verify(match[1]);
  } catch {
    throw new HttpError(401, 'invalid or expired token');
  }
}
