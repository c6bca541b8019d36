import { describe, expect, it } from 'vitest';
import { EnvError, loadServiceEnv } from '../../../stack/services/config/env.ts';

const required = { GOMEET_JWT_SECRET: 'x'.repeat(32), GOMEET_LOADTEST_PASSWORD: 'pw' };

describe('loadServiceEnv', () => {
  it('fills the documented defaults', () => {
    const env = loadServiceEnv(required);
    expect(env.GOMEET_PG_POOL).toBe(20);
    expect(env.GOMEET_LOADTEST_USERS).toBe(1000);
    expect(env.GOMEET_API_PORT).toBe(18080);
    expect(env.GOMEET_SIGNALING_PORTS).toEqual([18090, 18091, 18092, 18093]);
    expect(env.signalingPublicUrl).toBe('ws://127.0.0.1:18090/ws');
    expect(env.GOMEET_HEARTBEAT_SEC).toBe(15);
    expect(env.GOMEET_API_DELAY_MS).toBe(0);
    expect(env.livekit).toBeUndefined();
  });

  it('derives the public signaling URL from the first port unless it is set', () => {
    expect(loadServiceEnv({ ...required, GOMEET_SIGNALING_PORTS: '2000, 2001' }).signalingPublicUrl).toBe('ws://127.0.0.1:2000/ws');
    expect(
      loadServiceEnv({ ...required, GOMEET_SIGNALING_PUBLIC_URL: 'wss://signal.example/ws' }).signalingPublicUrl,
    ).toBe('wss://signal.example/ws');
  });

  it.each([
    [{ GOMEET_LOADTEST_PASSWORD: 'pw' }, 'GOMEET_JWT_SECRET is required'],
    [{ GOMEET_JWT_SECRET: 'x'.repeat(32) }, 'GOMEET_LOADTEST_PASSWORD is required'],
    [{ ...required, GOMEET_LOADTEST_PASSWORD: '' }, 'GOMEET_LOADTEST_PASSWORD is required'],
    [{ ...required, GOMEET_JWT_SECRET: 'short' }, 'GOMEET_JWT_SECRET must be at least 16 characters'],
    [{ ...required, GOMEET_SIGNALING_PORTS: '18090,x' }, 'GOMEET_SIGNALING_PORTS must be a comma-separated list of ports'],
    [{ ...required, GOMEET_SIGNALING_PORTS: '18090,18090' }, 'GOMEET_SIGNALING_PORTS lists a port twice'],
    [{ ...required, GOMEET_PG_URL: 'mysql://x' }, 'GOMEET_PG_URL must be a URL with scheme postgres or postgresql'],
    [{ ...required, GOMEET_LIVEKIT_URL: 'ws://127.0.0.1:7880' }, 'GOMEET_LIVEKIT_URL, GOMEET_LIVEKIT_API_KEY and GOMEET_LIVEKIT_API_SECRET must be set together'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadServiceEnv(env)).toThrow(new EnvError(message));
  });

  it('never puts a value in its error (secrets may be among them)', () => {
    try {
      loadServiceEnv({ GOMEET_JWT_SECRET: 'tooshort-secret', GOMEET_LOADTEST_PASSWORD: 'pw' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('tooshort-secret');
    }
  });

  it('takes LiveKit settings only all together', () => {
    const env = loadServiceEnv({
      ...required,
      GOMEET_LIVEKIT_URL: 'ws://127.0.0.1:17880',
      GOMEET_LIVEKIT_API_KEY: 'k',
      GOMEET_LIVEKIT_API_SECRET: 's',
    });
    expect(env.livekit).toEqual({ url: 'ws://127.0.0.1:17880', apiKey: 'k', apiSecret: 's' });
  });
});
