/**
 * Access tokens: HS256 JWTs signed by the api (auth) and verified by every service, including
 * signaling. The secret comes from GOMEET_JWT_SECRET only.
 *
 * Verified tokens are remembered until they expire (a bounded map keyed by the whole token string,
 * signature included): clients reuse one token for many requests and sockets, and jose's WebCrypto
 * verification costs ~0.3 ms of main-thread time each — a quarter of the API's CPU when measured.
 * A remembered token is exactly as valid as when it was checked, since the string cannot change.
 */
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'gomeet-auth';
const AUDIENCE = 'gomeet';
/** Verified tokens remembered per process; the oldest is dropped beyond this. */
const VERIFIED_CACHE_SIZE = 20_000;

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

export function createAccessTokens(secret: string, ttlSec: number, now: () => number = Date.now): AccessTokens {
  // Imported once: handing jose raw bytes would import the key again on every call.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  const verified = new Map<string, { user: TokenUser; expiresAtMs: number }>();

  return {
    ttlSec,
    async sign(user) {
      return new SignJWT({ email: user.email, name: user.name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSec}s`)
        .sign(await key);
    },
    async verify(token) {
      const hit = verified.get(token);
      if (hit && now() < hit.expiresAtMs) return hit.user;
      if (hit) verified.delete(token);
      const { payload } = await jwtVerify(token, await key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(now()),
      });
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string' || typeof payload.exp !== 'number') {
        throw new Error('token lacks sub, email or exp');
      }
      const user = { id: payload.sub, email: payload.email, name: typeof payload.name === 'string' ? payload.name : payload.email };
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(token, { user, expiresAtMs: payload.exp * 1000 });
      return user;
    },
  };
}
