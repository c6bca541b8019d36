// Production safety through the real CLI: a target file marked `environment: production` is refused
// (exit 2, one line naming the flag to add, not one request to the target) unless --confirm-production
// is given, and a confirmed one is refused above smoke size unless --lift-production-cap is given too.
// The target is a listener on 127.0.0.1 that counts every request it gets.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCountingListener, type CountingListener } from '../../helpers/cli.ts';


let work: string;
let listener: CountingListener;
let base: string;

function cli(args: string[]) {
  // Its own stack dir and offset: nothing here may touch a developer's stack.
  return runCli(args, { ...process.env, GOMEET_STACK_DIR: join(work, 'stack'), GOMEET_STACK_PORT_OFFSET: '6800', NO_COLOR: '1' }, 90_000);
}

const targetYaml = (hostPort: string, environment = 'production') => `name: gomeet-prod
environment: ${environment}
api: { baseUrl: http://${hostPort} }
signaling: { url: ws://${hostPort}/ws }
livekit: { url: ws://${hostPort} }
prometheus: { url: http://${hostPort} }
`;

async function file(name: string, text: string): Promise<string> {
  const f = join(work, name);
  await writeFile(f, text);
  return f;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomeet-prod-cli-'));
  listener = await startCountingListener();
  base = listener.base;
});

afterAll(async () => {
  await listener.close();
  await rm(work, { recursive: true, force: true });
});

describe('a production target: refused with one line and no request unless confirmed, capped unless lifted', () => {
  const refused: [string, () => Promise<string[]>, RegExp][] = [
    ['run without --confirm-production', async () => ['run', '--target', await file('p1.yaml', targetYaml(base))], /environment: production: add --confirm-production to run/],
    ['run --profile release --confirm-production (over the cap)', async () => ['run', '--profile', 'release', '--runners', '1', '--confirm-production', '--target', await file('p2.yaml', targetYaml(base))], /profile 'release' exceeds the production cap \(signaling sessions 25000 > 500.*add --lift-production-cap/],
    ['run --lift-production-cap without --confirm-production', async () => ['run', '--lift-production-cap', '--target', await file('p3.yaml', targetYaml(base))], /--lift-production-cap only applies together with --confirm-production/],
    ['search without --confirm-production', async () => ['search', '--dimension', 'connections', '--max', '500', '--target', await file('p4.yaml', targetYaml(base))], /add --confirm-production to search/],
    ['search --confirm-production to 8000 sessions (over the cap)', async () => ['search', '--dimension', 'connections', '--confirm-production', '--target', await file('p5.yaml', targetYaml(base))], /search's largest step exceeds the production cap \(signaling sessions 8000 > 500/],
  ];
  for (const [name, args, message] of refused) {
    it(name, async () => {
      const before = listener.requests();
      const res = await cli(await args());
      expect(res.code, res.stdout + res.stderr).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines, res.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(message);
      expect(listener.requests() - before).toBe(0);
    });
  }

  // Allowed combinations get past the guard to pre-flight; the target is unreachable (port 9, the
  // discard port, nothing listens), so pre-flight stops them with its own message — proof the guard
  // let them through without sending load anywhere.
  const allowed: [string, string[]][] = [
    ['run --confirm-production (smoke)', ['run', '--confirm-production']],
    ['run --profile full --confirm-production --lift-production-cap', ['run', '--profile', 'full', '--runners', '1', '--confirm-production', '--lift-production-cap']],
  ];
  for (const [name, args] of allowed) {
    it(`${name} passes the guard (then stops at pre-flight on an unreachable target)`, async () => {
      const res = await cli([...args, '--target', await file(`ok-${name.length}.yaml`, targetYaml('127.0.0.1:9'))]);
      expect(res.code, res.stdout + res.stderr).toBe(2);
      expect(res.stdout).toMatch(/safety +production target 'gomeet-prod': confirmed/);
      expect(res.stderr).toMatch(/^error: pre-flight failed/);
    });
  }

  it('a staging target needs no flag (the guard is about production only)', async () => {
    const res = await cli(['run', '--target', await file('staging.yaml', targetYaml('127.0.0.1:9', 'staging'))]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: pre-flight failed/);
    expect(res.stdout).not.toMatch(/production/);
  });
});
