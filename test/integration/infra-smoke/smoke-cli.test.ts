// `gomeet-capacity smoke` and `run`'s refusal, end to end through the real CLI on a local stack of
// its own (state dir and ports shifted, beside a developer's stack):
//   healthy stack          → smoke exit 0; every endpoint passes; capacity the stack cannot have
//                            (maxclients under its fd limit, one Redis, no standbys, one SFU node)
//                            is a warning with its reason, never a pass
//   TURN server stopped    → smoke exit 2 naming `turn allocate`; `run` exits 2 before any load
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/cli.ts';

const OFFSET = Number(process.env.GOMEET_TEST_SMOKE_PORT_OFFSET ?? 5600);

let work: string;
let env: NodeJS.ProcessEnv;

const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 280_000): Promise<CliResult> => runCli(args, { ...env, ...extraEnv }, timeoutMs);

interface JsonCheck {
  name: string;
  status: string;
  required: boolean;
  observed: string;
  fix?: string;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomeet-smoke-cli-'));
  // The postgres OS user must be able to enter the stack's dirs (mkdtemp makes 0700).
  await chmod(work, 0o755);
  env = { ...process.env, GOMEET_STACK_DIR: join(work, 'stack'), GOMEET_STACK_PORT_OFFSET: String(OFFSET), NO_COLOR: '1' };
});

afterAll(async () => {
  await cli(['stack', 'down'], {}, 60_000);
  await rm(work, { recursive: true, force: true });
});

describe('smoke on the local stack', () => {
  it('passes (exit 0): every endpoint ok, capacity the local stack cannot have is a reasoned warning', async () => {
    const res = await cli(['smoke', '--keep-stack', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { ok: boolean; profile: string; checks: JsonCheck[] };
    expect(report).toMatchObject({ ok: true, profile: 'smoke' });
    const by = new Map(report.checks.map((c) => [c.name, c]));
    for (const name of ['api health', 'api login', 'signaling handshake', 'livekit validate', 'turn allocate', 'prometheus ready', 'influxdb']) {
      expect(by.get(name)?.status, `${name}: ${by.get(name)?.observed}`).toBe('pass');
    }
    expect(by.get('turn allocate')!.observed).toMatch(/transport=udp → relay 127\.0\.0\.1:\d+; .*transport=tcp → relay 127\.0\.0\.1:\d+/);
    expect(by.get('redis maxclients')!.status).toBe('warn');
    expect(by.get('redis maxclients')!.observed).toMatch(/capped by redis-server's open-file limit/);
    expect(by.get('redis cluster')!.status).toBe('warn');
    expect(by.get('postgres replication')!.status).toBe('warn');
    // Right after `stack up`, Prometheus may not have scraped livekit-server yet: still a warning with its reason.
    expect(by.get('livekit nodes')!).toMatchObject({ status: 'warn', observed: expect.stringMatching(/^(1 node reporting|no livekit_\* series in Prometheus)/) });
    expect(by.get('pgbouncer pool')!.status).toBe('skip');
    // No secret of the stack in what smoke prints.
    const secrets = parseEnv(await readFile(join(work, 'stack', 'secrets.env'), 'utf8'));
    for (const value of Object.values(secrets)) expect(res.stdout + res.stderr).not.toContain(value!);
  });

  it('fails (exit 2) naming the check when the TURN server is stopped, and run refuses to send load', async () => {
    const pid = Number((await readFile(join(work, 'stack', 'run', 'turn.pid'), 'utf8')).trim());
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
    const target = join(work, 'stack', 'target.yaml');
    const secrets = parseEnv(await readFile(join(work, 'stack', 'secrets.env'), 'utf8')) as NodeJS.ProcessEnv;

    const smoke = await cli(['smoke', '--target', target], secrets);
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(2);
    expect(smoke.stdout).toMatch(/^FAIL\s+turn allocate\s+turn:127\.0\.0\.1:/m);
    expect(smoke.stdout).toMatch(/^blocking: turn allocate$/m);
    expect(smoke.stdout).toMatch(/^ok\s+api health/m);

    const out = join(work, 'refused');
    const run = await cli(['run', '--profile', 'smoke', '--target', target, '--out', out], secrets);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/turn allocate/);
    expect(run.stdout).not.toMatch(/\] load /);
    expect(existsSync(join(out, 'verdict.json'))).toBe(false);
  });
});
