// The four server rows and the context signals from a real local stack's Prometheus: a stack in a
// temp state dir on shifted ports (beside a developer's stack, which is not touched), a short
// bounded API load through the real services, then every row read back over the load's window.
//   - each row has a value and names where it was worst
//   - CPU and memory cover every node and server process (postgres through process-exporter)
//   - the context has the SFU's gauges and PostgreSQL's pg_stat_statements mean
//   - the chart series cover the run; a target's override is used, a broken one explained
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, loadTestUserEmail } from '../../../lib/gomeet/contract.ts';
import { observeFromPrometheus, serverContextFromPrometheus } from '../../../reports/observe-prometheus.ts';
import { evaluateWindow } from '../../../reports/prometheus-window.ts';
import { seriesFromPrometheus } from '../../../reports/series-prometheus.ts';
import type { StackContext } from '../../../scripts/stack/component.ts';
import { stackContext } from '../../../scripts/stack/context.ts';
import { stackDown } from '../../../scripts/stack/down.ts';
import { assertPortsFree } from '../../../scripts/stack/port-check.ts';
import { waitUntil } from '../../../scripts/stack/readiness.ts';
import { stackUp } from '../../../scripts/stack/up.ts';
import { prometheusTargets } from '../../../scripts/clients/prometheus.ts';
import { PORTS, stackPorts } from '../../../stack/ports.ts';
import { SERVER_QUERIES } from '../../../thresholds/queries.ts';
import { THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';

const OFFSET = Number(process.env.GOMEET_TEST_PROM_PORT_OFFSET ?? 2700);
const ports = stackPorts(OFFSET);
const allPorts = (p: typeof ports) => Object.values(p).flat() as number[];
/** Long enough that CPU is judged past its 20 s warm-up plus a 20 s rate window. */
const LOAD_MS = 45_000;
/** Bound on requests, whatever the speed of the machine. */
const MAX_REQUESTS = 1200;
/** Pause after each request of one client: 4 clients make at most ~20 requests/s, so the load
 *  lasts its LOAD_MS (the rows are judged over time) rather than ending at MAX_REQUESTS. */
const PAUSE_MS = 200;
const SERVER_ROWS: RowId[] = ['db_query_p95_ms', 'redis_memory_pct', 'cpu_pct', 'memory_pct'];

let stateDir: string;
let ctx: StackContext;
let portsBusy: string | null = null;
let promUrl: string;
let window: { startMs: number; endMs: number };
let requests = 0;

/** Paced closed-loop API traffic from `workers` clients: login, list, create a meeting, chat —
 *  each a few PostgreSQL queries. Stops at `LOAD_MS` or `MAX_REQUESTS`, whichever comes first. */
async function apiLoad(base: string, password: string, workers: number): Promise<void> {
  const deadline = Date.now() + LOAD_MS;
  const call = async (path: string, init: RequestInit): Promise<Response | null> => {
    if (requests >= MAX_REQUESTS || Date.now() > deadline) return null;
    requests++;
    try {
      return await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(10_000) });
    } catch {
      return null;
    } finally {
      await sleep(PAUSE_MS);
    }
  };
  const json = { 'content-type': 'application/json' };
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (Date.now() < deadline && requests < MAX_REQUESTS) {
        const login = await call(API.login, { method: 'POST', headers: json, body: JSON.stringify({ email: loadTestUserEmail(w), password }) });
        if (!login?.ok) {
          await sleep(200);
          continue;
        }
        const { accessToken } = (await login.json()) as { accessToken: string };
        const auth = { ...json, authorization: `Bearer ${accessToken}` };
        for (let i = 0; i < 5; i++) {
          await (await call(API.meetings, { headers: auth }))?.body?.cancel();
          const made = await call(API.meetings, { method: 'POST', headers: auth, body: JSON.stringify({ title: `rows ${w}-${i}` }) });
          if (!made?.ok) continue;
          const { id } = (await made.json()) as { id: string };
          await (await call(API.chat(id), { method: 'POST', headers: auth, body: JSON.stringify({ text: 'hello' }) }))?.body?.cancel();
        }
      }
    }),
  );
}

beforeAll(async () => {
  try {
    await assertPortsFree('127.0.0.1', allPorts(ports).map((port) => ({ port, protocol: 'tcp' as const, component: 'test' })));
  } catch (err) {
    portsBusy = (err as Error).message;
    return;
  }
  stateDir = await mkdtemp(join(tmpdir(), 'gomeet-prom-rows-'));
  await chmod(stateDir, 0o755);
  ctx = await stackContext({ stateDir, portOffset: OFFSET, onProgress: () => {} });
  await stackUp(ctx);
  promUrl = `http://127.0.0.1:${ports.prometheus}`;
  // Every target scraped at least once before the load, so the window holds all of them.
  await waitUntil(async () => (await prometheusTargets(promUrl)).every((t) => t.health === 'up'), 60_000, 1000);

  const startMs = Date.now();
  await apiLoad(`http://127.0.0.1:${ports.api}`, ctx.secrets.GOMEET_LOADTEST_PASSWORD, 4);
  window = { startMs, endMs: Date.now() };
  console.log(`load: ${requests} requests in ${((window.endMs - startMs) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  if (ctx) await stackDown(ctx);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('server rows on a real local stack', () => {
  it('uses an offset whose ports never meet the default stack', () => {
    const base = new Set(allPorts(PORTS as unknown as typeof ports));
    expect(allPorts(ports).filter((p) => base.has(p))).toEqual([]);
  });

  it('observes all four rows over the load, each naming where it was worst', async (t) => {
    if (portsBusy) t.skip(`ports for offset ${OFFSET} are busy (set GOMEET_TEST_PROM_PORT_OFFSET): ${portsBusy}`);
    expect(requests).toBeGreaterThan(50);
    const obs = await observeFromPrometheus(promUrl, { ...window, rows: THRESHOLD_TABLE });
    for (const id of SERVER_ROWS) console.log(`${id}: ${obs.get(id)?.observed} @ ${obs.get(id)?.where} — ${obs.get(id)?.note}`);
    expect([...obs.keys()].sort()).toEqual([...SERVER_ROWS].sort());

    const db = obs.get('db_query_p95_ms')!;
    expect(db.observed, db.note).toBeGreaterThan(0);
    expect(db.observed).toBeLessThan(10_000);
    expect(db.where).toBe("PostgreSQL, every service's queries");

    const redis = obs.get('redis_memory_pct')!;
    expect(redis.observed, redis.note).toBeGreaterThan(0);
    // The stack's Redis has 256 MB; a few hundred meetings are nowhere near it.
    expect(redis.observed).toBeLessThan(50);
    expect(redis.where).toBe('redis');

    for (const id of ['cpu_pct', 'memory_pct'] as const) {
      const o = obs.get(id)!;
      expect(o.observed, o.note).toBeGreaterThan(0);
      expect(o.where).toMatch(/^(node 127\.0\.0\.1|(api|signaling) process 127\.0\.0\.1:\d+|redis process|livekit-server process|postgres processes)$/);
      expect(o.note).toMatch(/^highest of \d+ series, evaluated every 5 s/);
    }
    // Memory is a level: no node has used all of it.
    expect(obs.get('memory_pct')!.observed).toBeLessThan(100);
  });

  it('measures CPU and memory of every node and every server process', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const expected = [
      'node 127.0.0.1',
      `api process 127.0.0.1:${ports.api}`,
      ...ports.signaling.map((p) => `signaling process 127.0.0.1:${p}`),
      'redis process',
      'livekit-server process',
      'postgres processes',
    ].sort();
    for (const id of ['cpu_pct', 'memory_pct'] as const) {
      const q = SERVER_QUERIES[id];
      const a = await evaluateWindow(promUrl, q, { fromMs: window.startMs + q.warmupSec * 1000, toMs: window.endMs, rateSec: 20, stepSec: 5 });
      expect(a.values.map((v) => v.where).sort(), id).toEqual(expected);
      for (const v of a.values) {
        expect(v.value, `${id} ${v.where}`).toBeGreaterThanOrEqual(0);
        // Share of what it can use; a Node process may pass one core slightly (GC threads).
        expect(v.value, `${id} ${v.where}`).toBeLessThan(150);
      }
      // PostgreSQL did the load's queries: its CPU over the window is not zero.
      if (id === 'cpu_pct') expect(a.values.find((v) => v.where === 'postgres processes')!.value).toBeGreaterThan(0);
    }
  });

  it('reads the context: the SFU gauges and PostgreSQL server-side statement time', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const signals = await serverContextFromPrometheus(promUrl, { ...window, settleMs: 0 });
    const byId = new Map(signals.map((s) => [s.id, s]));
    // No media in this load: livekit-server reports 0 participants — a value, not a gap.
    expect(byId.get('sfu_participants')!.values).toEqual([{ where: 'livekit-server', value: 0 }]);
    const pg = byId.get('pg_statement_mean_ms')!;
    expect(pg.values, pg.note).toHaveLength(1);
    expect(pg.values[0]!.value).toBeGreaterThan(0);
    // Counters livekit-server creates on first use: none recorded, said so.
    expect(byId.get('sfu_nack_rate')!.note).toBe('none recorded');
  });

  it('draws each row over the whole run in 5 s buckets aligned on the start', async (t) => {
    if (portsBusy) t.skip('ports busy');
    const series = await seriesFromPrometheus(promUrl, { ...window, rows: THRESHOLD_TABLE });
    expect(series.map((s) => s.rowId).sort()).toEqual([...SERVER_ROWS].sort());
    for (const s of series) {
      expect(s.points.length, s.rowId).toBeGreaterThanOrEqual(Math.floor((window.endMs - window.startMs) / 5000) - 2);
      for (const [tMs, v] of s.points) {
        expect((tMs - window.startMs) % 5000).toBe(0);
        expect(tMs).toBeGreaterThanOrEqual(window.startMs);
        expect(tMs).toBeLessThan(window.endMs);
        expect(Number.isFinite(v)).toBe(true);
      }
      expect(s.where).toBeTruthy();
    }
  });

  it("uses the target's query when it has one, and explains a query Prometheus refuses", async (t) => {
    if (portsBusy) t.skip('ports busy');
    const obs = await observeFromPrometheus(promUrl, {
      ...window,
      rows: THRESHOLD_TABLE,
      settleMs: 0,
      overrides: {
        cpu_pct: 'label_replace(100 * rate(process_cpu_seconds_total{job="gomeet-api"}[$rate]), "where", "api only", "", "")',
        memory_pct: 'sum by (le (',
      },
    });
    expect(obs.get('cpu_pct')!.where).toBe('api only');
    expect(obs.get('cpu_pct')!.note).toMatch(/\(the target’s query\)$/);
    expect(obs.get('memory_pct')!.observed).toBeNull();
    expect(obs.get('memory_pct')!.note).toMatch(/^prometheus refused the query: bad_data: .*\(the target’s query\)$/);
    // The defaults for the others are untouched.
    expect(obs.get('db_query_p95_ms')!.observed).toBeGreaterThan(0);
  });
});
