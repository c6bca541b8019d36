// The TURN check against a real coturn started by the stack's own component (its config, its
// secret from a fresh secrets.env), on a shifted port: allocations over UDP and TCP with minted
// REST credentials pass; a wrong secret, expired credentials and a stopped server each fail the
// check with the reason and the fix. Loopback only.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTarget, type Target } from '../../../lib/config/target.ts';
import { turnCheck } from '../../../infra-smoke/checks/turn.ts';
import { allocate, TurnError } from '../../../infra-smoke/turn/allocate.ts';
import { turnRestCredentials } from '../../../infra-smoke/turn/rest-credentials.ts';
import { parseTurnUrl } from '../../../infra-smoke/turn/turn-url.ts';
import type { StackContext } from '../../../scripts/stack/component.ts';
import { turn, turnUrls } from '../../../scripts/stack/components/coturn.ts';
import { stackContext } from '../../../scripts/stack/context.ts';
import { stackDown } from '../../../scripts/stack/down.ts';
import { configFileOf } from '../../../scripts/stack/layout.ts';
import { stackUp } from '../../../scripts/stack/up.ts';

const OFFSET = Number(process.env.GOMEET_TEST_TURN_PORT_OFFSET ?? 5300);
let work: string;
let ctx: StackContext;
let target: Target;

const run = (t: Target, env: NodeJS.ProcessEnv) => turnCheck(t, env).run(AbortSignal.timeout(5000));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomeet-turn-'));
  ctx = await stackContext({ stateDir: join(work, 'stack'), portOffset: OFFSET, onProgress: () => {} });
  await stackUp(ctx, { components: [turn] });
  target = parseTarget(`
name: turn-test
api: { baseUrl: http://127.0.0.1:1 }
signaling: { url: ws://127.0.0.1:1/ws }
livekit: { url: ws://127.0.0.1:1 }
prometheus: { url: http://127.0.0.1:1 }
turn: { urls: ${JSON.stringify(turnUrls(ctx))}, secretEnv: TEST_TURN_SECRET, credentialTtlSec: 60 }
`);
});

afterAll(async () => {
  await stackDown(ctx, [turn]);
  await rm(work, { recursive: true, force: true });
});

describe('coturn with REST credentials (the local stack component)', () => {
  it('keeps its secret in a 0600 config, never on its command line', async () => {
    expect((await stat(configFileOf(ctx.layout, 'turnserver.conf'))).mode & 0o777).toBe(0o600);
  });

  it('allocates over UDP and TCP with credentials minted from the secret, and releases the relay', async () => {
    for (const url of turnUrls(ctx)) {
      const c = turnRestCredentials(ctx.secrets.GOMEET_TURN_SECRET, 'it', 60);
      const a = await allocate(parseTurnUrl(url), c.username, c.password, AbortSignal.timeout(5000));
      expect(a.realm).toBe('gomeet.local');
      const [ip, port] = a.relayedAddress.split(':');
      expect(ip).toBe('127.0.0.1');
      expect(Number(port)).toBeGreaterThanOrEqual(ctx.ports.turnRelayMin);
      expect(Number(port)).toBeLessThanOrEqual(ctx.ports.turnRelayMax);
      expect(a.released).toBe(true);
    }
  });

  it('refuses credentials whose expiry has passed (401)', async () => {
    const c = turnRestCredentials(ctx.secrets.GOMEET_TURN_SECRET, 'it', -60);
    const err = await allocate(parseTurnUrl(turnUrls(ctx)[0]!), c.username, c.password, AbortSignal.timeout(5000)).catch((e) => e);
    expect(err).toBeInstanceOf(TurnError);
    expect((err as TurnError).code).toBe(401);
  });
});

describe('turn allocate check', () => {
  it('passes with the right secret, naming each relay', async () => {
    const r = await run(target, { TEST_TURN_SECRET: ctx.secrets.GOMEET_TURN_SECRET });
    expect(r.status, r.observed).toBe('pass');
    expect(r.observed).toMatch(/transport=udp → relay 127\.0\.0\.1:\d+; .*transport=tcp → relay 127\.0\.0\.1:\d+/);
  });

  it('fails with a wrong secret: 401, and the fix names the variable', async () => {
    const r = await run(target, { TEST_TURN_SECRET: 'not-the-secret' });
    expect(r.status).toBe('fail');
    expect(r.observed).toMatch(/401 Unauthorized/);
    expect(r.fix).toMatch(/TEST_TURN_SECRET must be its static-auth-secret/);
    expect(r.observed).not.toContain('not-the-secret');
  });

  it('fails when the secret variable is not set, without trying', async () => {
    const r = await run(target, {});
    expect(r).toMatchObject({ status: 'fail', observed: 'TEST_TURN_SECRET is not set' });
  });

  it('is skipped (not passed) for a target without turn', async () => {
    const { turn: _omit, ...rest } = target;
    const r = await run(rest as Target, {});
    expect(r.status).toBe('skip');
    expect(turnCheck(rest as Target, {}).required).toBe(false);
  });

  it('fails when the server is stopped: no answer over UDP, refused over TCP', async () => {
    await stackDown(ctx, [turn]);
    const r = await run(target, { TEST_TURN_SECRET: ctx.secrets.GOMEET_TURN_SECRET });
    expect(r.status).toBe('fail');
    // Refused, or reset when the stop races the connect: either way nothing serves TURN there.
    expect(r.observed).toMatch(/transport=tcp: (read |connect )?(ECONNREFUSED|ECONNRESET)/);
    expect(r.observed).toMatch(/transport=udp: /);
    expect(r.fix).toMatch(/is the TURN server up/);
  });
});
