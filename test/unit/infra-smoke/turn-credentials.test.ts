// TURN REST credentials and URIs. The expected password comes from openssl, not from this code:
//   echo -n "1700000300:alice" | openssl dgst -binary -sha1 -hmac "north-secret" | base64
import { describe, expect, it } from 'vitest';
import { turnRestCredentials } from '../../../infra-smoke/turn/rest-credentials.ts';
import { isTurnUrl, parseTurnUrl } from '../../../infra-smoke/turn/turn-url.ts';

describe('turnRestCredentials', () => {
  it('username is <expiry>:<user>, password base64(HMAC-SHA1(secret, username))', () => {
    const c = turnRestCredentials('north-secret', 'alice', 300, 1_700_000_000_000);
    expect(c).toEqual({ username: '1700000300:alice', password: 'C2QuijlntM6h5jVC8rjKAoTzKFI=', expiresAtSec: 1_700_000_300 });
  });

  it('refuses an empty secret and a user with a colon', () => {
    expect(() => turnRestCredentials('', 'alice', 60)).toThrow(/empty/);
    expect(() => turnRestCredentials('s', 'a:b', 60)).toThrow(/':'/);
  });
});

describe('parseTurnUrl', () => {
  it.each([
    ['turn:127.0.0.1', { host: '127.0.0.1', port: 3478, transport: 'udp' }],
    ['turn:127.0.0.1:13478?transport=tcp', { host: '127.0.0.1', port: 13478, transport: 'tcp' }],
    ['turns:turn.gomeet.com', { host: 'turn.gomeet.com', port: 5349, transport: 'tls' }],
    ['turn:[::1]:3478?transport=udp', { host: '::1', port: 3478, transport: 'udp' }],
  ])('%s', (url, expected) => {
    expect(parseTurnUrl(url)).toEqual(expected);
  });

  it.each(['stun:127.0.0.1', 'turn:', 'turn:host:99999', 'turns:host?transport=udp', 'http://x', 'turn:host?transport=sctp'])('refuses %s', (url) => {
    expect(isTurnUrl(url)).toBe(false);
  });
});
