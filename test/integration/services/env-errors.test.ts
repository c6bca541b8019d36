/** Both service entries refuse to start without their required environment: one line, exit 2. */
import { describe, expect, it } from 'vitest';
import { API_ENTRY, SIGNALING_ENTRY, startService } from './service-processes.ts';

async function exitOf(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const service = startService(entry, env);
  const deadline = Date.now() + 60_000;
  while (service.exitCode() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const code = service.exitCode();
  await service.stop();
  return { code, output: service.output() };
}

describe('service environment', () => {
  it.each([API_ENTRY, SIGNALING_ENTRY])('%s exits 2 naming GOMEET_JWT_SECRET when it is missing', async (entry) => {
    const { code, output } = await exitOf(entry, { GOMEET_LOADTEST_PASSWORD: 'pw' });
    expect(code).toBe(2);
    expect(output.trim()).toBe('error: GOMEET_JWT_SECRET is required');
  });

  it('exits 2 on a malformed port list without echoing secrets', async () => {
    const secret = 'a-secret-that-must-not-leak-0123456789';
    const { code, output } = await exitOf(SIGNALING_ENTRY, {
      GOMEET_JWT_SECRET: secret,
      GOMEET_LOADTEST_PASSWORD: 'pw',
      GOMEET_SIGNALING_PORTS: '18090,nope',
    });
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/^error: GOMEET_SIGNALING_PORTS /);
    expect(output).not.toContain(secret);
  });
});
