// When a component fails to start, `stack up` shows the last 20 lines of its log, fails with one
// line naming it, and stops what that call had started. Real processes: Redis (real component)
// plus small shell processes standing in for a component that crashes or never gets ready.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTS, stackPorts } from '../../../stack/ports.ts';
import { tcp, type Component, type StackContext } from '../../../scripts/stack/component.ts';
import { redis } from '../../../scripts/stack/components/redis.ts';
import { stackContext } from '../../../scripts/stack/context.ts';
import { stackDown } from '../../../scripts/stack/down.ts';
import { logFileOf, pidFileOf } from '../../../scripts/stack/layout.ts';
import { assertPortsFree } from '../../../scripts/stack/port-check.ts';
import { probeAll } from '../../../scripts/stack/probe.ts';
import { isAlive, readPidFile, startDetached } from '../../../scripts/stack/process.ts';
import { tcpOpen } from '../../../scripts/stack/readiness.ts';
import { stackUp } from '../../../scripts/stack/up.ts';

const OFFSET = Number(process.env.GOMEET_TEST_FAILURE_PORT_OFFSET ?? 2500);
const ports = stackPorts(OFFSET);

/** A component that runs `script` in sh, listens nowhere, and is "ready" when a port opens. */
function fakeComponent(name: string, script: string, readyTimeoutSec: number): Component {
  return {
    name,
    dependsOn: ['redis'],
    ports: (ctx) => [tcp(ctx.ports.api, name)],
    processMarker: 'sh',
    readyTimeoutSec,
    start: (ctx) => startDetached({ cmd: 'sh', args: ['-c', script] }, logFileOf(ctx.layout, name), pidFileOf(ctx.layout, name)),
    healthy: (ctx) => tcpOpen(ctx.host, ctx.ports.api, 500),
  };
}

let stateDir: string;
let ctx: StackContext;
const lines: string[] = [];
let portsBusy: string | null = null;

beforeAll(async () => {
  try {
    await assertPortsFree('127.0.0.1', [tcp(ports.redis, 'redis'), tcp(ports.api, 'fake')]);
  } catch (err) {
    portsBusy = (err as Error).message;
    return;
  }
  stateDir = await mkdtemp(join(tmpdir(), 'gomeet-stack-failure-'));
  await chmod(stateDir, 0o755);
  ctx = await stackContext({ stateDir, portOffset: OFFSET, onProgress: (l) => lines.push(l) });
});

afterAll(async () => {
  if (ctx) await stackDown(ctx, [redis]);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('stack up when a component fails', () => {
  it('uses ports apart from the default stack', () => {
    expect(ports.redis).not.toBe(PORTS.redis);
    expect(Object.values(PORTS).flat()).not.toContain(ports.redis);
  });

  it('shows the log tail of a component that exits, and stops what it started', async (t) => {
    if (portsBusy) t.skip(`ports busy (set GOMEET_TEST_FAILURE_PORT_OFFSET): ${portsBusy}`);
    // 25 numbered lines then a crash: only the last 20 may be shown.
    const crash = fakeComponent('crasher', 'for i in $(seq 1 25); do echo "crasher line $i"; done; exit 3', 30);
    const components = [redis, crash];
    await expect(stackUp(ctx, { components })).rejects.toThrow(/stack up failed: crasher exited during start \(log: .*crasher\.log\)/);

    const shown = lines.filter((l) => l.includes('| crasher line'));
    expect(shown).toHaveLength(20);
    expect(shown[0]).toContain('crasher line 6');
    expect(shown.at(-1)).toContain('crasher line 25');

    // Redis was started by this call and must be stopped again; its pidfile gone.
    expect(lines.some((l) => l.includes('✓ redis'))).toBe(true);
    expect((await probeAll(components, ctx)).every((p) => p.state === 'down')).toBe(true);
    expect(await readPidFile(pidFileOf(ctx.layout, 'redis'))).toBeNull();
    expect(await tcpOpen('127.0.0.1', ports.redis, 500)).toBe(false);
  });

  it('gives up on a component that never becomes ready, within its timeout, and kills it', async (t) => {
    if (portsBusy) t.skip('ports busy');
    lines.length = 0;
    const selfPidFile = join(stateDir, 'hanger.self');
    const hang = fakeComponent('hanger', `echo $$ > ${selfPidFile}; echo "hanger waiting forever"; exec sleep 300`, 2);
    const started = Date.now();
    await expect(stackUp(ctx, { components: [redis, hang] })).rejects.toThrow(/hanger was not ready within 2 s/);
    // Redis start + 2 s readiness budget + stop; nowhere near the sleep's 300 s.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(lines.some((l) => l.includes('| hanger waiting forever'))).toBe(true);
    const hangerPid = await readPidFile(selfPidFile);
    expect(hangerPid).not.toBeNull();
    expect(await isAlive(hangerPid as number)).toBe(false);
    expect(await readPidFile(pidFileOf(ctx.layout, 'hanger'))).toBeNull();
    expect((await probeAll([redis, hang], ctx)).every((p) => p.state === 'down')).toBe(true);
  });

  it('leaves components that were already running alone when a later one fails', async (t) => {
    if (portsBusy) t.skip('ports busy');
    await stackUp(ctx, { components: [redis] });
    const redisPid = await readPidFile(pidFileOf(ctx.layout, 'redis'));
    expect(redisPid).not.toBeNull();
    const crash = fakeComponent('crasher2', 'echo boom; exit 1', 30);
    await expect(stackUp(ctx, { components: [redis, crash] })).rejects.toThrow(/crasher2 exited during start/);
    expect(await isAlive(redisPid as number)).toBe(true);
    await stackDown(ctx, [redis]);
    expect(await isAlive(redisPid as number)).toBe(false);
  });
});
