// The redis_memory_pct row end to end with real servers: a throwaway Redis with a small maxmemory,
// the stack's redis_exporter command line, a throwaway Prometheus scraping it every second. Filling
// Redis with bounded writes moves the row from pass to warn to fail; a Redis without maxmemory is a
// configuration finding (never a division by zero); an unreachable Prometheus leaves every server
// row without a value, which makes a gated verdict INCONCLUSIVE. The main stack is not touched.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../../thresholds/boundaries.ts';
import { rowById, THRESHOLD_TABLE } from '../../../thresholds/table.ts';
import { evaluateCriticalServerRows, observeFromPrometheus } from '../../../reports/observe-prometheus.ts';
import { seriesFromPrometheus } from '../../../reports/series-prometheus.ts';
import { buildVerdict } from '../../../reports/verdict.ts';
import { freePort } from '../../helpers/free-port.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../../helpers/throwaway-redis.ts';
import {
  startRedisExporter,
  startThrowawayPrometheus,
  TEST_SCRAPE_SEC,
  type ThrowawayExporter,
  type ThrowawayPrometheus,
} from '../../helpers/throwaway-prometheus.ts';

const row = rowById('redis_memory_pct');
/** Small enough to fill in a second or two, big enough above Redis's own ~1 MB baseline. */
const MAXMEMORY_BYTES = 8 * 1024 * 1024;
const VALUE = 'x'.repeat(4096);
/** Bounds of every fill: never more keys than could fit, never longer than this. */
const MAX_WRITES = Math.ceil(MAXMEMORY_BYTES / VALUE.length) + 100;
const MAX_FILL_MS = 30_000;
/** Observer settings for a 1 s scrape interval. */
const fast = { stepSec: TEST_SCRAPE_SEC, rateSec: 4, settleMs: 2500 };

const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

async function usedShare(client: Redis): Promise<number> {
  const info = await client.info('memory');
  const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
  const max = Number(/maxmemory:(\d+)/.exec(info)?.[1]);
  return (100 * used) / max;
}

/** SETs 4 KB values until Redis's own used/maxmemory reaches `pct` — bounded in count and time. */
async function fillTo(client: Redis, pct: number, from: number): Promise<{ writes: number; share: number }> {
  const deadline = Date.now() + MAX_FILL_MS;
  let writes = 0;
  let share = await usedShare(client);
  while (share < pct) {
    if (writes >= MAX_WRITES || Date.now() > deadline) throw new Error(`could not fill Redis to ${pct} % (${share.toFixed(1)} % after ${writes} writes)`);
    const pipeline = client.pipeline();
    for (let i = 0; i < 16; i++) pipeline.set(`fill:${from + writes + i}`, VALUE);
    await pipeline.exec();
    writes += 16;
    share = await usedShare(client);
  }
  return { writes, share };
}

describe('redis_memory_pct from a real Redis through redis_exporter and Prometheus', () => {
  let redis: ThrowawayRedis;
  let exporter: ThrowawayExporter;
  let prom: ThrowawayPrometheus;
  let client: Redis;

  beforeAll(async () => {
    redis = await startThrowawayRedis({ maxmemory: String(MAXMEMORY_BYTES) });
    stops.push(() => redis.stop());
    exporter = await startRedisExporter(redis.port);
    stops.push(() => exporter.stop());
    prom = await startThrowawayPrometheus([{ job: 'redis', targets: [exporter.address] }]);
    stops.push(() => prom.stop());
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    stops.push(async () => void client.disconnect());
    await prom.waitForScrape('redis_memory_max_bytes > 0');
  });

  it('passes while Redis is nearly empty, warns past the target, fails past the critical', async () => {
    const startMs = Date.now();
    await sleep(3000);
    const empty = await observeFromPrometheus(prom.url, { startMs, endMs: Date.now(), rows: THRESHOLD_TABLE, gates: [row.id], ...fast });
    const idle = empty.get(row.id)!;
    expect(idle.observed, idle.note).not.toBeNull();
    expect(judge(row, idle.observed!)).toBe('pass');
    expect(idle.where).toBe('redis');
    // The abort watcher's view while the load runs: judged, not crossed; CPU still in its warm-up.
    const early = await evaluateCriticalServerRows(prom.url, { sinceMs: startMs, rows: THRESHOLD_TABLE, gates: [row.id, 'cpu_pct'], ...fast });
    expect(early).toEqual({ crossed: [], evaluated: [row.id], warmingUp: ['cpu_pct'] });

    // Between the target (85) and the critical (95): a warning.
    const towardsFull = await fillTo(client, 89, 0);
    await sleep(3000);
    const warnEnd = Date.now();
    const warned = (await observeFromPrometheus(prom.url, { startMs, endMs: warnEnd, rows: THRESHOLD_TABLE, gates: [row.id], ...fast })).get(row.id)!;
    console.log(`redis filled to ${towardsFull.share.toFixed(1)} % with ${towardsFull.writes} writes → observed ${warned.observed} % (${warned.note})`);
    expect(warned.observed).toBeGreaterThanOrEqual(85);
    expect(warned.observed).toBeLessThanOrEqual(95);
    expect(judge(row, warned.observed!)).toBe('warn');

    // Past the critical: a NO-GO row. noeviction refuses writes only once used > maxmemory.
    const full = await fillTo(client, 96.5, towardsFull.writes);
    await sleep(3000);
    const failed = (await observeFromPrometheus(prom.url, { startMs, endMs: Date.now(), rows: THRESHOLD_TABLE, gates: [row.id], ...fast })).get(row.id)!;
    console.log(`redis filled to ${full.share.toFixed(1)} % → observed ${failed.observed} %`);
    expect(failed.observed).toBeGreaterThan(95);
    expect(judge(row, failed.observed!)).toBe('fail');
    const crossing = await evaluateCriticalServerRows(prom.url, { sinceMs: startMs, rows: THRESHOLD_TABLE, gates: [row.id], ...fast });
    expect(crossing.crossed.map((c) => [c.rowId, c.title, c.critical])).toEqual([[row.id, 'Redis memory usage (redis)', 95]]);
    expect(crossing.crossed[0]!.observed).toBeGreaterThan(95);

    // The peak counts: after emptying Redis, the window that saw it full still fails.
    await client.flushall();
    await sleep(3000);
    const afterFlush = (await observeFromPrometheus(prom.url, { startMs, endMs: Date.now(), rows: THRESHOLD_TABLE, gates: [row.id], ...fast })).get(row.id)!;
    expect(afterFlush.observed).toBe(failed.observed);

    // The chart line climbs through the fill and comes back down.
    const [series] = await seriesFromPrometheus(prom.url, { startMs, endMs: Date.now(), rows: THRESHOLD_TABLE, gates: [row.id], bucketSec: 1, rateSec: 4 });
    expect(series?.rowId).toBe(row.id);
    const values = series!.points.map(([, v]) => v);
    expect(Math.max(...values)).toBeGreaterThan(95);
    expect(values[0]).toBeLessThan(85);
    expect(values.at(-1)).toBeLessThan(85);
    for (const [t] of series!.points) expect((t - startMs) % 1000).toBe(0);
  });
});

describe('a Redis without maxmemory', () => {
  it('is a configuration finding, not a value (and no division by zero)', async () => {
    const unlimited = await startThrowawayRedis();
    stops.push(() => unlimited.stop());
    const exporter = await startRedisExporter(unlimited.port);
    stops.push(() => exporter.stop());
    const prom = await startThrowawayPrometheus([{ job: 'redis', targets: [exporter.address] }]);
    stops.push(() => prom.stop());
    await prom.waitForScrape('redis_memory_max_bytes');
    const startMs = Date.now();
    await sleep(3000);

    const obs = (await observeFromPrometheus(prom.url, { startMs, endMs: Date.now(), rows: THRESHOLD_TABLE, gates: [row.id], ...fast })).get(row.id)!;
    expect(obs.observed).toBeNull();
    expect(obs.note).toMatch(/^configuration finding: Redis runs without maxmemory/);

    // Gated, the finding is a reason of the verdict, which cannot be GO.
    const verdict = buildVerdict({
      rows: THRESHOLD_TABLE,
      gates: [row.id],
      observations: new Map([[row.id, obs]]),
      facts: { aborted: false },
      meta: { profile: 'test', target: 'throwaway', runId: 'r', startedAt: new Date(startMs).toISOString(), endedAt: new Date().toISOString() },
    });
    expect(verdict.verdict).toBe('INCONCLUSIVE');
    expect(verdict.reasons.join('\n')).toMatch(/Redis memory usage: .*configuration finding: Redis runs without maxmemory/);
    expect(await seriesFromPrometheus(prom.url, { startMs, endMs: Date.now(), rows: THRESHOLD_TABLE, gates: [row.id], bucketSec: 1 })).toEqual([]);
  });
});

describe('an unreachable Prometheus', () => {
  it('leaves every server row without a value, with a note; gated, the verdict is INCONCLUSIVE', async () => {
    const port = await freePort();
    const url = `http://monitor:not-a-secret@127.0.0.1:${port}`;
    const endMs = Date.now();
    const obs = await observeFromPrometheus(url, { startMs: endMs - 60_000, endMs, rows: THRESHOLD_TABLE, settleMs: 0 });
    const server = THRESHOLD_TABLE.filter((r) => r.source.kind === 'prometheus').map((r) => r.id);
    expect([...obs.keys()].sort()).toEqual([...server].sort());
    for (const id of server) {
      expect(obs.get(id)!.observed).toBeNull();
      expect(obs.get(id)!.note).toBe(`Prometheus unreachable at http://127.0.0.1:${port}: ECONNREFUSED`);
    }
    const verdict = buildVerdict({
      rows: THRESHOLD_TABLE,
      gates: server,
      observations: obs,
      facts: { aborted: false },
      meta: { profile: 'test', target: 'none', runId: 'r', startedAt: new Date(endMs - 60_000).toISOString(), endedAt: new Date(endMs).toISOString() },
    });
    expect(verdict.verdict).toBe('INCONCLUSIVE');
    expect(verdict.rows.filter((r) => r.gated).every((r) => r.status === 'not_measured')).toBe(true);
    expect(JSON.stringify(verdict)).not.toContain('not-a-secret');
  });
});
