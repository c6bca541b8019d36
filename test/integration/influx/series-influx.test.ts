/**
 * Time series from a real InfluxDB written by two real k6 runners: one server degrades halfway
 * (5 ms → 300 ms after 11 s), so the p95 per bucket must show when; one runner also holds
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
const SLOW_MS = 300;
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
    expect(p95.points[0]![0] - run.window.startMs).toBeLessThan(5000);
    // The first second's answers are slow on this 2-core box (two k6 processes starting — what a
    // row's warm-up is for); the bucket from 5 s is steady and fast.
    const at = (offsetMs: number) => p95.points.find(([t]) => t - run.window.startMs === offsetMs)?.[1];
    expect(at(5000)).toBeLessThan(100);
    // The server turned slow 11 s after it started: from the 15 s bucket on, 20 of 30 req/s are slow.
    const late = p95.points.filter(([t]) => t - run.window.startMs >= 15_000);
    expect(late.length).toBeGreaterThan(0);
    for (const [, v] of late) expect(v).toBeGreaterThan(SLOW_MS - 10);

    // Rates in the row's unit (pct): every 5th answer of runner 1 is a 500 → ~1/15 of all requests.
    const errors = s.rows.find((r) => r.rowId === 'api_error_rate_pct')!;
    expect(errors.statistic).toBe('rate per 5 s');
    for (const [, v] of errors.points) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(30);
    }

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
    const rate = s.load.find((l) => l.kind === 'api_request_rate')!.points;
    const middle = rate.filter(([t]) => t - run.window.startMs >= 5000 && t - run.window.startMs < 15_000);
    expect(middle.length).toBe(2);
    for (const [, v] of middle) {
      expect(v).toBeGreaterThan(25); // 20 + 10 /s
      expect(v).toBeLessThan(35);
    }
    const open = s.load.find((l) => l.kind === 'open_sockets')!.points.map(([, v]) => v);
    expect(Math.max(...open)).toBe(SOCKETS);
    expect(open.at(-1)).toBe(0);
  });
});
