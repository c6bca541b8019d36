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
  // Promises, not results: a token arriving on many sockets at once (a client opening its sessions)
  // is verified once, not once per socket.
  const verified = new Map<string, Promise<{ user: TokenUser; expiresAtMs: number }>>();

  async function check(token: string): Promise<{ user: TokenUser; expiresAtMs: number }> {
    const { payload } = await jwtVerify(token, await key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: new Date(now()),
    });
    if (typeof payload.sub !== 'string' || typeof payload.email !== 'string' || typeof payload.exp !== 'number') {
      throw new Error('token lacks sub, email or exp');
    }
    const name = typeof payload.name === 'string' ? payload.name : payload.email;
    return { user: { id: payload.sub, email: payload.email, name }, expiresAtMs: payload.exp * 1000 };
  }

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
      let entry = verified.get(token);
      if (!entry) {
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        entry = check(token);
        verified.set(token, entry);
        // A token that fails is forgotten at once, so garbage cannot crowd out good tokens.
        entry.catch(() => verified.delete(token));
      }
      const { user, expiresAtMs } = await entry;
      if (now() >= expiresAtMs) {
        verified.delete(token);
        throw new Error('token expired');
      }
      return user;
    },
  };
}
