/**
 * Time series from a real InfluxDB written by two real k6 runners: one server degrades halfway
 * (5 ms → 2 s, 11 s after its first request), so the p95 per bucket must show when; one runner also holds
 * WebSockets, so the open-sockets load must rise and fall.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeFromInflux } from '../../../reports/observe-influx.ts';
import { seriesFromInflux } from '../../../reports/series-influx.ts';
import { parseRunSeries } from '../../../reports/series.ts';
import { influxReader } from '../../../scripts/clients/influx.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';
import { startThrowawayInfluxd, type ThrowawayInfluxd } from '../../helpers/throwaway-influxd.ts';
import { GATES, runRunners, type RunResult } from './k6-runners.ts';

const DEGRADE_AFTER_MS = 11_000;
const DURATION_SEC = 18;
/** Far from the fast answers even on this shared machine, where a 5 ms server's p95 can reach ~300 ms. */
const SLOW_MS = 2000;
const SOCKETS = 12;

describe('seriesFromInflux over real k6 runners', () => {
  let influx: ThrowawayInfluxd;
  let dir = '';
  let run: RunResult;
  const planned = 20 * DURATION_SEC + 10 * DURATION_SEC;
  const rows = effectiveRows(THRESHOLD_TABLE, { gates: GATES, plannedConnections: planned });

  beforeAll(async () => {
    let k6: string;
    [influx, k6, dir] = await Promise.all([startThrowawayInfluxd(), ensureK6(), mkdtemp(join(tmpdir(), 'gomeet-influx-series-'))]);
    run = await runRunners({
      k6,
      influxUrl: influx.url,
      database: influx.database,
      runId: 'series-run',
      dir,
      specs: [
        { server: { delayMs: 5, after: { ms: DEGRADE_AFTER_MS, delayMs: SLOW_MS } }, rate: 20, durationSec: DURATION_SEC },
        { server: { delayMs: 5, failEvery: 5 }, rate: 10, durationSec: DURATION_SEC, sockets: SOCKETS, socketHoldSec: 8 },
      ],
    });
  });
  afterAll(async () => {
    await influx?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('buckets the p95 on the run start and shows the degradation when it happened', async () => {
    const client = influxReader(influx.url, influx.database);
    const s = await seriesFromInflux(client, { runId: run.runId, window: run.window, rows, gates: GATES });
    const p95 = s.rows.find((r) => r.rowId === 'api_p95_ms')!;
    expect(p95.statistic).toBe('p95 per 5 s');
    expect(p95.points.length).toBeGreaterThanOrEqual(3);
    for (const [t] of p95.points) expect((t - run.window.startMs) % 5000).toBe(0);
    expect(p95.points[0]![0] - run.window.startMs).toBeLessThan(15_000); // k6 can take seconds to start here
    // The chart shows the degradation when it happened: buckets ending before the server's first
    // slow answer are fast, buckets starting after it are slow, the one holding it is in between.
    const degradedAt = run.runners[0]!.degradedAtMs!;
    expect(degradedAt).toBeGreaterThan(run.window.startMs);
    const before = p95.points.filter(([t]) => t + 5000 <= degradedAt);
    const after = p95.points.filter(([t]) => t >= degradedAt);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    // The very first bucket can be slow on a loaded machine (k6 starting up: what warm-ups are for).
    expect(before.slice(1).every(([, v]) => v < SLOW_MS / 2) || before.length === 1).toBe(true);
    expect(Math.min(...before.map(([, v]) => v))).toBeLessThan(SLOW_MS / 2);
    // 20 of the 30 req/s are slow from then on: each later bucket's p95 is a slow answer.
    for (const [, v] of after) expect(v).toBeGreaterThan(SLOW_MS - 10);

    // Rates in the row's unit (pct): every 5th answer of runner 1 is a 500 (~1/15 of all requests);
    // a partial first or last bucket may hold none.
    const errors = s.rows.find((r) => r.rowId === 'api_error_rate_pct')!;
    expect(errors.statistic).toBe('rate per 5 s');
    for (const [, v] of errors.points) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(30);
    }
    expect(Math.max(...errors.points.map(([, v]) => v))).toBeGreaterThan(0);

    // Count rows are cumulative, and end at the run's total.
    const held = s.rows.find((r) => r.rowId === 'ws_connections')!;
    const values = held.points.map(([, v]) => v);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const observed = await observeFromInflux(client, { runId: run.runId, window: run.window, rows, gates: GATES });
    expect(values.at(-1)).toBe(observed.get('ws_connections')!.observed);

    // Steady-state figures are exact over [start + warm-up, end]: with the warm-up at 0, the p95 is the verdict's.
    const noWarmup = rows.map((r) => ({ ...r, warmupSec: 0 }));
    const flat = await seriesFromInflux(client, { runId: run.runId, window: run.window, rows: noWarmup, gates: GATES });
    const steadyP95 = flat.steady.find((x) => x.rowId === 'api_p95_ms')!;
    expect(steadyP95.metrics.p95).toBe(observed.get('api_p95_ms')!.observed);
    expect(steadyP95.metrics.p50!).toBeLessThan(steadyP95.metrics.p95!);
    expect(steadyP95.metrics.p95!).toBeLessThanOrEqual(steadyP95.metrics.p99!);
    const steadyErrors = flat.steady.find((x) => x.rowId === 'api_error_rate_pct')!;
    expect(steadyErrors.metrics.rate).toBe(observed.get('api_error_rate_pct')!.observed);
    // With the real 20 s warm-up most of this 16 s run is ramp: only the tail is steady.
    const warm = s.steady.find((x) => x.rowId === 'api_p95_ms')!;
    expect(warm.fromMs).toBe(Math.min(run.window.startMs + 20_000, run.window.endMs));
    expect(warm.samples).toBeLessThan(steadyP95.samples);

    // The file round-trips through its schema.
    expect(() => parseRunSeries({ runId: run.runId, window: run.window, bucketSec: 5, ...s })).not.toThrow();
  });

  it('load: VUs summed over runners, api requests per second, open sockets rising and falling', async () => {
    const client = influxReader(influx.url, influx.database);
    const s = await seriesFromInflux(client, { runId: run.runId, window: run.window, rows, gates: GATES });
    const kinds = s.load.map((l) => l.kind);
    expect(kinds).toEqual(['vus', 'open_sockets', 'api_request_rate']);
    const vus = s.load.find((l) => l.kind === 'vus')!.points.map(([, v]) => v);
    expect(Math.max(...vus)).toBeGreaterThanOrEqual(SOCKETS + 2); // the sockets' VUs plus api VUs of both runners
    // Requests per second per bucket: back to counts, they are every api request both runners made.
    const rate = s.load.find((l) => l.kind === 'api_request_rate')!.points;
    const requests = run.runners.reduce((n, r) => n + (r.summary as { metrics: Record<string, { values: { count: number } }> }).metrics.http_reqs!.values.count, 0);
    expect(Math.round(rate.reduce((n, [, v]) => n + v * 5, 0))).toBe(requests);
    expect(Math.max(...rate.map(([, v]) => v))).toBeLessThanOrEqual(30 * 1.5); // 20 + 10 /s planned
    const open = s.load.find((l) => l.kind === 'open_sockets')!.points.map(([, v]) => v);
    expect(Math.max(...open)).toBe(SOCKETS);
    expect(open.at(-1)).toBe(0);
  });
});
