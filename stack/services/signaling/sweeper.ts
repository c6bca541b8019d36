/**
 * Session deadlines, checked by one sweep per worker instead of a timer per socket (timers are
 * ~100 bytes each and churn the timer heap at 12,500 sockets a worker):
 *   - no auth frame within 10 s of opening         → close 4001 (the contract: "does not send auth")
 *   - no frame at all for 3 heartbeat intervals   → close 4002
 * Any frame counts as a sign of life, not only heartbeats: a client busy chatting is not dead.
 */
import { CLOSE } from '../../../lib/gomeet/contract.ts';
import type { Session } from './session.ts';

export const AUTH_TIMEOUT_MS = 10_000;
/** Missed heartbeat intervals after which a session is considered dead. */
export const MISSED_HEARTBEATS = 3;
/** How often the sweep runs; a deadline is enforced at most this late. */
export const SWEEP_INTERVAL_MS = 1000;

export interface Expired {
  session: Session;
  code: (typeof CLOSE)['authTimeout'] | (typeof CLOSE)['heartbeatTimeout'];
  reason: string;
}

export function expiredSessions(sessions: Iterable<Session>, now: number, heartbeatSec: number): Expired[] {
  const silenceLimitMs = MISSED_HEARTBEATS * heartbeatSec * 1000;
  const expired: Expired[] = [];
  for (const session of sessions) {
    if (session.closed) continue;
    if (session.userId === undefined) {
      if (!session.authSent && now - session.openedAt >= AUTH_TIMEOUT_MS) expired.push({ session, code: CLOSE.authTimeout, reason: 'auth timeout' });
    } else if (now - session.lastSeenAt >= silenceLimitMs) {
      expired.push({ session, code: CLOSE.heartbeatTimeout, reason: 'heartbeat timeout' });
    }
  }
  return expired;
}
