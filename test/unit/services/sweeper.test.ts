import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CLOSE } from '../../../lib/gomeet/contract.ts';
import { newSession } from '../../../stack/services/signaling/session.ts';
import { AUTH_TIMEOUT_MS, expiredSessions } from '../../../stack/services/signaling/sweeper.ts';

// The sweep only reads session fields; the socket is never touched.
const socket = {} as WebSocket;

describe('expiredSessions', () => {
  it('closes an unauthenticated session at the auth deadline (4001), not before', () => {
    const s = newSession(socket, 0);
    expect(expiredSessions([s], AUTH_TIMEOUT_MS - 1, 15)).toEqual([]);
    expect(expiredSessions([s], AUTH_TIMEOUT_MS, 15)).toEqual([{ session: s, code: CLOSE.authTimeout, reason: 'auth timeout' }]);
  });

  it('closes an authenticated session silent for 3 heartbeat intervals (4002); any frame resets it', () => {
    const s = newSession(socket, 0);
    s.userId = 'u';
    s.lastSeenAt = 40_000;
    expect(expiredSessions([s], 40_000 + 44_999, 15)).toEqual([]);
    expect(expiredSessions([s], 40_000 + 45_000, 15)[0]?.code).toBe(CLOSE.heartbeatTimeout);
    // The auth deadline no longer applies once authenticated.
    expect(expiredSessions([s], 40_000 + 20_000, 15)).toEqual([]);
  });

  it('skips sessions already closed', () => {
    const s = newSession(socket, 0);
    s.closed = true;
    expect(expiredSessions([s], 1e9, 15)).toEqual([]);
  });
});

describe('expiredSessions: auth sent but still being verified', () => {
  it('does not close a session whose auth frame arrived in time', () => {
    const s = newSession(socket, 0);
    s.authSent = true;
    expect(expiredSessions([s], AUTH_TIMEOUT_MS * 3, 15)).toEqual([]);
  });
});
