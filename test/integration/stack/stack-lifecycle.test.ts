// The local stack manager end to end, with the real servers: a stack in a temp state dir on ports
// shifted by an offset (so it runs beside a developer's stack), brought up from cold, checked
// component by component, degraded and restored with the API delay knob, stopped, brought up warm,
// refused when a port is taken, and stopped again with no process left behind.
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { parseTarget, signalingUrls } from '../../../lib/config/target.ts';
import { API, loadTestUserEmail } from '../../../lib/gomeet/contract.ts';
import { PORTS, stackPorts } from '../../../stack/ports.ts';
import { influxQuery } from '../../../scripts/clients/influx.ts';
import { prometheusTargets } from '../../../scripts/clients/prometheus.ts';
import { redisConfigGet } from '../../../scripts/clients/redis.ts';
import type { StackContext } from '../../../scripts/stack/component.ts';
import { COMPONENTS } from '../../../scripts/stack/components/index.ts';
import { stackContext } from '../../../scripts/stack/context.ts';
import { stackDown } from '../../../scripts/stack/down.ts';
import { ensureLocalStack } from '../../../scripts/stack/local-stack.ts';
import { assertPortsFree } from '../../../scripts/stack/port-check.ts';
import { probeAll } from '../../../scripts/stack/probe.ts';
import { isAlive } from '../../../scripts/stack/process.ts';
import { waitUntil } from '../../../scripts/stack/readiness.ts';
import { stackUp } from '../../../scripts/stack/up.ts';
import { PROJECT_ROOT } from '../../../scripts/tools/paths.ts';

/** Far enough that no shifted port meets an unshifted one (a developer's stack) — checked below. */
const OFFSET = Number(process.env.GOMEET_TEST_STACK_PORT_OFFSET ?? 2300);
const ports = stackPorts(OFFSET);
const allPorts = (p: typeof ports) => Object.values(p).flat() as number[];

let stateDir: string;
let ctx: StackContext;
const lines: string[] = [];
let portsBusy: string | null = null;

/** Every pid in the process groups of the stack's pidfile pids (signaling workers included). */
async function stackProcessTree(): Promise<number[]> {
  const leaders = (await probeAll(COMPONENTS, ctx)).flatMap((p) => (p.pid === null ? [] : [p.pid]));
  const { stdout } = await $({ quiet: true })`ps -eo pid=,pgid=`;
  const members = stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, pgid]) => leaders.includes(pgid as number))
    .map(([pid]) => pid as number);
  return [...new Set([...leaders, ...members])];
}

/** Local addresses of every listening socket (tcp and udp) owned by one of `pids`. */
async function listenersOf(pids: number[]): Promise<string[]> {
  const { stdout } = await $({ quiet: true })`ss -Hltunp`;
  return stdout
    .split('\n')
    .filter((l) => [...l.matchAll(/pid=(\d+)/g)].some((m) => pids.includes(Number(m[1]))))
    .map((l) => l.trim().split(/\s+/)[4] as string);
}

async function login(baseUrl: string, password: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(new URL(API.login, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: loadTestUserEmail(0), password }),
  });
  await res.body?.cancel();
  return { status: res.status, ms: Date.now() - started };
}

beforeAll(async () => {
  try {
    await assertPortsFree('127.0.0.1', allPorts(ports).map((port) => ({ port, protocol: 'tcp' as const, component: 'test' })));
  } catch (err) {
    portsBusy = (err as Error).message;
    return;
  }
  stateDir = await mkdtemp(join(tmpdir(), 'gomeet-stack-test-'));
  // mkdtemp makes 0700; the postgres OS user must be able to enter it.
  await chmod(stateDir, 0o755);
  ctx = await stackContext({ stateDir, portOffset: OFFSET, onProgress: (l) => lines.push(l) });
});

afterAll(async () => {
  if (ctx) await stackDown(ctx);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('local stack manager', () => {
  it('uses an offset whose ports never meet the default stack', () => {
    const base = new Set(allPorts(PORTS as unknown as typeof ports));
    expect(allPorts(ports).filter((p) => base.has(p))).toEqual([]);
  });

  it('brings every component up from a clean state dir', async (t) => {
    if (portsBusy) t.skip(`ports for offset ${OFFSET} are busy (set GOMEET_TEST_STACK_PORT_OFFSET): ${portsBusy}`);
    const started = Date.now();
    const result = await stackUp(ctx);
    const coldSec = (Date.now() - started) / 1000;
    console.log(`stack up (cold, empty state dir): ${coldSec.toFixed(1)} s\n${lines.join('\n')}`);

    expect(result.skipped).toEqual([]);
    expect(result.started.sort()).toEqual(COMPONENTS.map((c) => c.name).sort());
    const probes = await probeAll(COMPONENTS, ctx);
    expect(probes.filter((p) => p.state !== 'up').map((p) => p.component.name)).toEqual([]);
    // One progress line per component.
    for (const c of COMPONENTS) expect(lines.some((l) => l.includes(`✓ ${c.name} `))).toBe(true);
  });

  it('binds every listener of every stack process to 127.0.0.1', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const pids = await stackProcessTree();
    const listeners = await listenersOf(pids);
    // livekitTcp is unused; livekitUdp is in the media namespace (media never reaches the host).
    expect(listeners.length).toBeGreaterThanOrEqual(allPorts(ports).length - 2);
    expect(listeners.filter((addr) => !addr.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('writes a valid target.yaml for these ports and keeps secrets out of it', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const text = await readFile(ctx.layout.targetFile, 'utf8');
    const target = parseTarget(text, ctx.layout.targetFile);
    expect(target.environment).toBe('local');
    expect(target.api.baseUrl).toBe(`http://127.0.0.1:${ports.api}`);
    expect(signalingUrls(target)).toEqual(ports.signaling.map((p) => `ws://127.0.0.1:${p}/ws`));
    expect(target.livekit.url).toBe(`ws://127.0.0.1:${ports.livekitHttp}`);
    expect(target.prometheus.url).toBe(`http://127.0.0.1:${ports.prometheus}`);
    expect(target.influxdb).toEqual({ url: `http://127.0.0.1:${ports.influxdb}`, database: 'k6' });
    expect(target.auth).toEqual({ users: 1000, passwordEnv: 'GOMEET_LOADTEST_PASSWORD' });

    expect((await stat(ctx.layout.secretsFile)).mode & 0o777).toBe(0o600);
    for (const secret of Object.values(ctx.secrets)) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      expect(text).not.toContain(secret);
      for (const file of ['livekit.yaml', 'prometheus.yml', 'redis.conf', 'influxdb.conf', 'process-exporter.yml', 'postgres-exporter-queries.yaml']) {
        expect(await readFile(join(ctx.layout.configDir, file), 'utf8')).not.toContain(secret);
      }
    }
  });

  it('serves the load-test users with the password from secrets.env', async (t) => {
    if (portsBusy) t.skip('ports busy');
    expect((await login(`http://127.0.0.1:${ports.api}`, ctx.secrets.GOMEET_LOADTEST_PASSWORD)).status).toBe(200);
    expect((await login(`http://127.0.0.1:${ports.api}`, `${ctx.secrets.GOMEET_LOADTEST_PASSWORD}x`)).status).toBe(401);
  });

  it('prepares PostgreSQL, Redis and InfluxDB as the suite needs them', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const client = new pg.Client({ host: '127.0.0.1', port: ports.postgres, user: 'gomeet', password: ctx.secrets.GOMEET_PG_PASSWORD, database: 'gomeet' });
    await client.connect();
    try {
      const ext = await client.query("SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements'");
      expect(ext.rowCount).toBe(1);
      const statements = await client.query('SELECT count(*)::int AS n FROM pg_stat_statements');
      expect(statements.rows[0].n).toBeGreaterThan(0);
      const max = await client.query('SHOW max_connections');
      expect(Number(max.rows[0].max_connections)).toBeGreaterThanOrEqual(100);
    } finally {
      await client.end();
    }

    expect(await redisConfigGet('127.0.0.1', ports.redis, 'maxmemory-policy')).toBe('noeviction');
    expect(await redisConfigGet('127.0.0.1', ports.redis, 'maxmemory')).toBe(String(256 * 1024 * 1024));
    const maxclients = Number(await redisConfigGet('127.0.0.1', ports.redis, 'maxclients'));
    // 50000 unless the open-file cap lowered it — and then `up` must have said so.
    if (maxclients < 50_000) expect(lines.some((l) => l.includes(`maxclients is ${maxclients}`))).toBe(true);
    else expect(maxclients).toBe(50_000);

    const dbs = JSON.stringify(await influxQuery(`http://127.0.0.1:${ports.influxdb}`, 'SHOW DATABASES'));
    expect(dbs).toContain('"k6"');
  });

  it('has Prometheus scraping every component successfully', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const url = `http://127.0.0.1:${ports.prometheus}`;
    let targets = await prometheusTargets(url);
    // Targets are scraped every 5 s; give each a couple of rounds to report up.
    await waitUntil(async () => {
      targets = await prometheusTargets(url);
      return targets.length > 0 && targets.every((x) => x.health === 'up');
    }, 30_000, 1000);
    expect(targets.filter((x) => x.health !== 'up').map((x) => `${x.job} ${x.instance}: ${x.lastError}`)).toEqual([]);
    expect(new Set(targets.map((x) => x.job))).toEqual(new Set(['prometheus', 'node', 'redis', 'postgres', 'process', 'livekit', 'gomeet-api', 'gomeet-signaling']));
    expect(targets.filter((x) => x.job === 'gomeet-signaling').map((x) => x.instance).sort()).toEqual(ports.signaling.map((p) => `127.0.0.1:${p}`).sort());
  });

  it('is idempotent: up again starts nothing and ensureLocalStack reuses it', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const before = (await probeAll(COMPONENTS, ctx)).map((p) => p.pid);
    const started = Date.now();
    const again = await stackUp(ctx);
    console.log(`stack up (already up): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(again.started).toEqual([]);
    expect(lines.at(-1)).toMatch(/already up and healthy/);
    expect((await probeAll(COMPONENTS, ctx)).map((p) => p.pid)).toEqual(before);

    const local = await ensureLocalStack({ stateDir, portOffset: OFFSET, onProgress: () => {} });
    expect(local.startedByUs).toBe(false);
    expect(local.targetFile).toBe(ctx.layout.targetFile);
    expect(local.env).toEqual({
      GOMEET_LOADTEST_PASSWORD: ctx.secrets.GOMEET_LOADTEST_PASSWORD,
      GOMEET_LIVEKIT_API_KEY: ctx.secrets.GOMEET_LIVEKIT_API_KEY,
      GOMEET_LIVEKIT_API_SECRET: ctx.secrets.GOMEET_LIVEKIT_API_SECRET,
      GOMEET_TURN_SECRET: ctx.secrets.GOMEET_TURN_SECRET,
      GOMEET_PG_PASSWORD: ctx.secrets.GOMEET_PG_PASSWORD,
    });
    // The services' own signing key is not the load generator's business.
    expect(Object.values(local.env)).not.toContain(ctx.secrets.GOMEET_JWT_SECRET);
  });

  it('status through the CLI: one line per component, exit 0 when all are up', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const res = await $({
      cwd: PROJECT_ROOT,
      env: { ...process.env, GOMEET_STACK_DIR: stateDir, GOMEET_STACK_PORT_OFFSET: String(OFFSET) },
      nothrow: true,
      quiet: true,
    })`node bin/gomeet-capacity.mjs stack status`;
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    const statusLines = res.stdout.trim().split('\n');
    expect(statusLines).toHaveLength(COMPONENTS.length);
    for (const c of COMPONENTS) expect(statusLines.find((l) => l.startsWith(`${c.name} `))).toMatch(/ up +pid \d+ /);
  });

  it('degrades the api with --api-delay-ms and restores it, touching nothing else', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const base = `http://127.0.0.1:${ports.api}`;
    const before = new Map((await probeAll(COMPONENTS, ctx)).map((p) => [p.component.name, p.pid]));
    const delayMs = 400;
    const slow = await stackUp({ ...ctx, apiDelayMs: delayMs }, { restart: ['api'] });
    expect(slow.started).toEqual(['api']);
    const after = new Map((await probeAll(COMPONENTS, ctx)).map((p) => [p.component.name, p.pid]));
    expect(after.get('api')).not.toBe(before.get('api'));
    for (const c of COMPONENTS.filter((x) => x.name !== 'api')) expect(after.get(c.name)).toBe(before.get(c.name));
    expect((await login(base, ctx.secrets.GOMEET_LOADTEST_PASSWORD)).ms).toBeGreaterThanOrEqual(delayMs);

    await stackUp({ ...ctx, apiDelayMs: 0 }, { restart: ['api'] });
    const restored = await login(base, ctx.secrets.GOMEET_LOADTEST_PASSWORD);
    expect(restored.status).toBe(200);
    expect(restored.ms).toBeLessThan(delayMs);
  });

  it('stops everything on down, leaving no process and no listener behind', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const pids = await stackProcessTree();
    // One process per component at least; signaling adds one per worker.
    expect(pids.length).toBeGreaterThanOrEqual(COMPONENTS.length + ports.signaling.length);
    const stopped = await stackDown(ctx);
    expect(stopped.sort()).toEqual(COMPONENTS.map((c) => c.name).sort());
    const alive = [];
    for (const pid of pids) if (await isAlive(pid)) alive.push(pid);
    expect(alive).toEqual([]);
    await assertPortsFree('127.0.0.1', allPorts(ports).map((port) => ({ port, protocol: 'tcp' as const, component: 'test' })));
    expect((await probeAll(COMPONENTS, ctx)).every((p) => p.state === 'down')).toBe(true);
  });

  it('comes back up warm from the kept data', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const started = Date.now();
    const result = await stackUp(ctx);
    console.log(`stack up (warm, data kept): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(result.started).toHaveLength(COMPONENTS.length);
    // The cluster made on the cold start is reused, not re-created.
    expect(lines.filter((l) => /creating a new cluster/.test(l))).toHaveLength(1);
    // The login still works: same secrets, same seeded users.
    expect((await login(`http://127.0.0.1:${ports.api}`, ctx.secrets.GOMEET_LOADTEST_PASSWORD)).status).toBe(200);
    await stackDown(ctx);
  });

  it('refuses to start when a port is taken, naming the port and its holder, and starts nothing', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.redis, '127.0.0.1', resolve));
    try {
      await expect(stackUp(ctx)).rejects.toThrow(new RegExp(`tcp port ${ports.redis} \\(for redis\\) is held by \\S+ \\(pid ${process.pid}\\)`));
      expect((await probeAll(COMPONENTS, ctx)).every((p) => p.state === 'down')).toBe(true);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
