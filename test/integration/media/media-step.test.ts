/**
 * Before any load, against a real livekit-server in a media lab of the test's own (namespace, ports
 * = the stack's + 12000 on both sides, so the lab URL is the same inside and on the host, as the
 * local stack's is):
 *
 *  - the LiveKit pre-flight check passes with the server's key pair; a wrong secret, unset variables
 *    and a port nobody serves fail it in one line with a fix, and no token is ever shown;
 *  - prepareMediaStep finds the lab, creates the run's rooms; a wrong secret is a UsageError (exit 2)
 *    before load; a cluster target gets the "needs the media lab next to the SFU" note on every
 *    media row and sends nothing; the local stack without its lab is a UsageError.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetSchema, type Target } from '../../../lib/config/target.ts';
import { PROFILES, type Profile } from '../../../lib/profiles.ts';
import { startMediaLab, type MediaLab } from '../../../media/lab/lab.ts';
import { livekitCheck } from '../../../infra-smoke/checks/livekit.ts';
import { freeLoopbackPort } from '../../../scripts/clients/socat.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { MEDIA_ROWS } from '../../../scripts/run/media/observe.ts';
import { NO_LAB_NOTE } from '../../../scripts/run/media/lab-location.ts';
import { prepareMediaStep, type MediaStepInput } from '../../../scripts/run/media/media-step.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';
import { PORTS } from '../../../stack/ports.ts';

const isRoot = process.getuid?.() === 0;
const NETNS = 'gomeet-test-mstep';
const SHIFT = 12_000;
const API_KEY = 'stepkey';
const API_SECRET = `step-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;
const KEY_ENV = 'GM_TEST_LK_KEY';
const SECRET_ENV = 'GM_TEST_LK_SECRET';
const env = { [KEY_ENV]: API_KEY, [SECRET_ENV]: API_SECRET };
const SMOKE_MEDIA: Profile = { ...PROFILES.smoke, gates: [...PROFILES.smoke.gates.filter((g) => !MEDIA_ROWS.includes(g)), ...MEDIA_ROWS] };

function target(livekitUrl: string, environment: 'local' | 'staging' = 'local'): Target {
  return TargetSchema.parse({
    name: 'media-step-test',
    environment,
    api: { baseUrl: 'http://127.0.0.1:9' },
    signaling: { url: 'ws://127.0.0.1:9/ws' },
    livekit: { url: livekitUrl, apiKeyEnv: KEY_ENV, apiSecretEnv: SECRET_ENV },
    prometheus: { url: 'http://127.0.0.1:9' },
  });
}

describe.skipIf(!isRoot)('media step before load, against a real livekit-server', () => {
  let dir = '';
  let lab: MediaLab;
  const stepInput = (t: Target, over: Partial<MediaStepInput> = {}): MediaStepInput => ({
    target: t,
    env,
    localStack: false,
    profile: SMOKE_MEDIA,
    runId: `it-${Date.now().toString(36)}`,
    rows: THRESHOLD_TABLE,
    outDir: dir,
    k6Path: '/nonexistent/k6',
    onLine: () => {},
    netns: NETNS,
    ...over,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-mstep-'));
    lab = await startMediaLab({
      netns: NETNS,
      dir,
      httpPort: PORTS.livekitHttp + SHIFT,
      udpPort: PORTS.livekitUdp + SHIFT,
      prometheusPort: PORTS.livekitPrometheus + SHIFT,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    });
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('livekit pre-flight check', () => {
    it('passes with the server’s key pair', async () => {
      const r = await livekitCheck(target(lab.hostUrl), env, true).run(AbortSignal.timeout(5000));
      expect(r).toMatchObject({ status: 'pass', observed: `${lab.hostUrl.replace('ws', 'http')}: OK, token accepted` });
    });

    it('a wrong secret fails with 401 and a fix naming the variables, never showing the token', async () => {
      const r = await livekitCheck(target(lab.hostUrl), { ...env, [SECRET_ENV]: `${API_SECRET}-wrong` }, true).run(AbortSignal.timeout(5000));
      expect(r.status).toBe('fail');
      expect(r.observed).toMatch(/^401 from http:\/\/127\.0\.0\.1:\d+\/rtc\/validate: invalid token/);
      expect(r.observed).not.toMatch(/eyJ/);
      expect(r.fix).toContain(`${KEY_ENV}/${SECRET_ENV}`);
      // Not required (no media row gated): the same finding is a warning, not a block.
      expect((await livekitCheck(target(lab.hostUrl), { ...env, [SECRET_ENV]: 'x'.repeat(40) }, false).run(AbortSignal.timeout(5000))).status).toBe('warn');
    });

    it('unset variables fail naming the variable, before any request', async () => {
      const r = await livekitCheck(target('ws://127.0.0.1:9'), {}, true).run(AbortSignal.timeout(5000));
      expect(r).toMatchObject({ status: 'fail', observed: `environment variable ${KEY_ENV} (LiveKit API key) is not set` });
    });

    it('a port nobody serves fails as unreachable', async () => {
      const r = await livekitCheck(target(`ws://127.0.0.1:${await freeLoopbackPort()}`), env, true).run(AbortSignal.timeout(5000));
      expect(r.status).toBe('fail');
      expect(r.observed).toMatch(/ECONNREFUSED/);
    });
  });

  describe('prepareMediaStep', () => {
    it('finds the lab, creates the run’s rooms and plans to run with the load', async () => {
      const input = stepInput(target(lab.hostUrl));
      const step = await prepareMediaStep(input);
      expect(step.phase).toBe(SMOKE_MEDIA.sfu.phase);
      const rooms = await new RoomServiceClient(lab.hostUrl.replace('ws', 'http'), API_KEY, API_SECRET).listRooms();
      expect(rooms.map((r) => r.name)).toContain(`${input.runId}-0`);
    });

    it('a wrong secret is a UsageError before any load, without the secret or a token in it', async () => {
      const err = await prepareMediaStep(stepInput(target(lab.hostUrl), { env: { ...env, [SECRET_ENV]: `${API_SECRET}-wrong` } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^LiveKit refused to create room .*: invalid token: \*\*\*, error: token signature is invalid/);
      expect((err as Error).message).not.toContain(API_SECRET);
      expect((err as Error).message).not.toMatch(/eyJ/);
    });

    it('a cluster target: every media row says it needs the lab next to the SFU, and nothing is sent', async () => {
      const step = await prepareMediaStep(stepInput(target('wss://livekit.gomeet.example', 'staging')));
      expect(step.phase).toBe('none');
      const out = await step.run();
      expect([...out.observations.keys()].sort()).toEqual([...MEDIA_ROWS].sort());
      for (const o of out.observations.values()) expect(o).toEqual({ observed: null, note: NO_LAB_NOTE });
    });

    it('the local stack without its lab is a UsageError, not a quiet not-measured', async () => {
      const err = await prepareMediaStep(stepInput(target(lab.hostUrl), { localStack: true, netns: 'gomeet-test-nolab' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/media lab is not usable: .*namespace gomeet-test-nolab does not exist/);
    });

    it('a profile that gates no media row has nothing to do', async () => {
      // Every named profile gates the media rows; a search step or a custom profile may not.
      const noMedia = { ...PROFILES.nightly, gates: PROFILES.nightly.gates.filter((id) => !MEDIA_ROWS.includes(id)) };
      const step = await prepareMediaStep(stepInput(target(lab.hostUrl), { profile: noMedia }));
      expect(step.phase).toBe('none');
      expect((await step.run()).observations.size).toBe(0);
    });
  });
});
