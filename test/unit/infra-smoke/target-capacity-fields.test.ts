// The target's optional capacity endpoints (turn, redis, postgres, pgbouncer): accepted as given,
// and refused — naming the field — when a URL carries a password or a TURN URI is malformed.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../../lib/config/target.ts';
import { renderCoturnConf } from '../../../stack/config/coturn-conf.ts';

const base = `
name: t
api: { baseUrl: http://127.0.0.1:18080 }
signaling: { url: ws://127.0.0.1:18090/ws }
livekit: { url: ws://127.0.0.1:17880 }
prometheus: { url: http://127.0.0.1:19090 }
`;

describe('target capacity fields', () => {
  it('accepts turn, redis, postgres and pgbouncer with their defaults', () => {
    const t = parseTarget(`${base}
turn: { urls: ['turn:127.0.0.1:13478?transport=udp', 'turns:turn.gomeet.com'] }
redis: { url: redis://127.0.0.1:16379, passwordEnv: REDIS_PASSWORD }
postgres: { url: postgresql://monitor@127.0.0.1:15432/gomeet, passwordEnv: PG_MONITOR_PASSWORD }
pgbouncer: { url: postgresql://admin@127.0.0.1:6432/pgbouncer }
`);
    expect(t.turn).toEqual({ urls: ['turn:127.0.0.1:13478?transport=udp', 'turns:turn.gomeet.com'], secretEnv: 'GOMEET_TURN_SECRET', credentialTtlSec: 300 });
    expect(t.redis?.passwordEnv).toBe('REDIS_PASSWORD');
    expect(t.pgbouncer?.passwordEnv).toBeUndefined();
  });

  it.each([
    ['postgres: { url: "postgresql://u:secret@h:5432/db" }', /postgres\.url: must not contain a password/],
    ['redis: { url: "redis://:secret@h:6379" }', /redis\.url: must not contain a password/],
    ['turn: { urls: ["stun:h:3478"] }', /turn\.urls\.0: must be turn:/],
    ['turn: { urls: [] }', /turn\.urls/],
    ['pgbouncer: { url: "http://h:6432/pgbouncer" }', /pgbouncer\.url: must be a URL with scheme postgres or postgresql/],
    ['turn: { urls: ["turn:h"], secret: "x" }', /turn: Unrecognized key/],
  ])('refuses %s', (extra, message) => {
    expect(() => parseTarget(`${base}${extra}\n`)).toThrow(message);
  });
});

describe('coturn config', () => {
  const conf = renderCoturnConf({ host: '127.0.0.1', port: 13478, relayMinPort: 13480, relayMaxPort: 13529, realm: 'gomeet.local', staticAuthSecret: 's3cret', pidFile: '/p', userDbFile: '/d' });
  it('is a REST-credential TURN server on loopback whose relay reaches loopback only', () => {
    for (const line of ['use-auth-secret', 'static-auth-secret=s3cret', 'listening-ip=127.0.0.1', 'relay-ip=127.0.0.1', 'min-port=13480', 'max-port=13529', 'denied-peer-ip=0.0.0.0-255.255.255.255', 'allowed-peer-ip=127.0.0.0-127.255.255.255', 'no-tls', 'no-cli']) {
      expect(conf.split('\n')).toContain(line);
    }
  });
  it('refuses a secret that would end the line', () => {
    expect(() => renderCoturnConf({ host: 'h', port: 1, relayMinPort: 2, relayMaxPort: 3, realm: 'r', staticAuthSecret: 'a\nno-auth', pidFile: 'p', userDbFile: 'd' })).toThrow(/one line/);
  });
});
