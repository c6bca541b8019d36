/**
 * Access tokens: HS256 JWTs signed by the api (auth) and verified by every service, including
 * signaling. The secret comes from GOMEET_JWT_SECRET only.
 */
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'gomeet-auth';
const AUDIENCE = 'gomeet';

export interface TokenUser {
  id: string;
  email: string;
  name: string;
}

export interface AccessTokens {
  sign(user: TokenUser): Promise<string>;
  /** The user the token names; throws on a bad signature, wrong issuer/audience or expiry. */
  verify(token: string): Promise<TokenUser>;
  /** Seconds a fresh token is valid (LoginResponse.expiresIn). */
  ttlSec: number;
}

export function createAccessTokens(secret: string, ttlSec: number): AccessTokens {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSec,
    sign: (user) =>
      new SignJWT({ email: user.email, name: user.name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSec}s`)
        .sign(key),
    async verify(token) {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') throw new Error('token lacks sub or email');
      return { id: payload.sub, email: payload.email, name: typeof payload.name === 'string' ? payload.name : payload.email };
    },
  };
}
