/**
 * Time-limited TURN credentials of the "TURN REST API" (coturn's `use-auth-secret` +
 * `static-auth-secret`): username `<unix expiry>:<user>`, password base64(HMAC-SHA1(secret, username)).
 * The application server mints them; the TURN server recomputes the password from the shared secret
 * and refuses a username whose expiry has passed.
 */
import { createHmac } from 'node:crypto';

export interface TurnCredentials {
  username: string;
  password: string;
  /** When the TURN server stops accepting them (unix seconds). */
  expiresAtSec: number;
}

export function turnRestCredentials(secret: string, user: string, ttlSec: number, nowMs = Date.now()): TurnCredentials {
  if (!secret) throw new Error('empty TURN secret');
  if (user.includes(':')) throw new Error(`TURN user must not contain ':' (got ${user})`);
  const expiresAtSec = Math.floor(nowMs / 1000) + ttlSec;
  const username = `${expiresAtSec}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expiresAtSec };
}
