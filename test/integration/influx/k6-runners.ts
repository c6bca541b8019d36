/**
 * Real k6 runners writing into a real InfluxDB, for the aggregation tests: each runner is one
 * k6 process (test/fixtures/influx/runner.js) against its own tiny HTTP server on 127.0.0.1 that
 * answers after a delay, and fails every Nth request with a 500. Runners of one run share a run id,
 * as `run --runners N` gives them, and all start together.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { k6Thresholds, SUMMARY_TREND_STATS } from '../../../thresholds/k6.ts';
import { THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';

const SCRIPT = fileURLToPath(new URL('../../fixtures/influx/runner.js', import.meta.url));

/** One tiny HTTP server: how it answers. */
export interface ServerShape {
  /** Milliseconds before answering: fixed, or drawn uniformly from [min, max]. */
  delayMs: number | [min: number, max: number];
  /** Answer 500 to every Nth request (0: never). */
  failEvery?: number;
  /** From `ms` after its first request, answer after `delayMs` instead (a server that degrades;
   *  counted from the first request, so a slow k6 start on a busy machine does not eat the fast phase). */
  after?: { ms: number; delayMs: number };
}

export interface RunnerSpec {
  server: ServerShape;
  /** api iterations started per second (open model). */
  rate: number;
  durationSec: number;
  /** Seconds after k6 starts before the api scenario begins; default 0. */
  startSec?: number;
  /** VUs (pre-allocated = max); default: enough for the rate at the server's delay. Fewer make
   *  k6 drop iterations. */
  vus?: number;
  /** WebSockets (k6/websockets) opened one per VU at the start and held `socketHoldSec`. Default 0. */
  sockets?: number;
  socketHoldSec?: number;
}

export interface RunnerResult {
  runner: number;
  /** When its server gave its first slowed answer (ServerShape.after), Unix ms. */
  degradedAtMs?: number;
  /** The runner's own handleSummary data: what that one k6 process saw. */
  summary: unknown;
  exitCode: number | null;
}

export interface RunResult {
  runId: string;
  /** Just before the first k6 started to just after the last one exited (Unix ms). */
  window: { startMs: number; endMs: number };
  runners: RunnerResult[];
}

export const GATES: RowId[] = ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'];

/** Start N runners of one run together, each against its own server; resolves when all exited. */
export async function runRunners(opts: { k6: string; influxUrl: string; database: string; runId: string; dir: string; specs: RunnerSpec[] }): Promise<RunResult> {
  const servers = await Promise.all(opts.specs.map((s) => startServer(s.server)));
  try {
    const startMs = Date.now();
    const runners = await Promise.all(
      opts.specs.map(async (spec, runner) => {
        const result = await runOne(opts, spec, runner, servers[runner]!.port, join(opts.dir, `summary-${opts.runId}-${runner}.json`));
        const degradedAtMs = servers[runner]!.degradedAtMs();
        return degradedAtMs === undefined ? result : { ...result, degradedAtMs };
      }),
    );
    return { runId: opts.runId, window: { startMs, endMs: Date.now() }, runners };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

async function runOne(
  opts: { k6: string; influxUrl: string; database: string; runId: string },
  spec: RunnerSpec,
  runner: number,
  port: number,
  summaryPath: string,
): Promise<RunnerResult> {
  // The runner's own thresholds, as one k6-operator runner would have them (its connections: its iterations).
  const thresholds = k6Thresholds(THRESHOLD_TABLE, { gates: GATES, plannedConnections: Math.max(1, spec.rate * spec.durationSec) });
  // Room for answers several times slower than the server's own delay: a loaded machine adds its own.
  const vus = spec.vus ?? Math.max(5, Math.ceil(spec.rate * (maxDelay(spec.server) / 1000 + 1)) + 5);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    execFile(
      opts.k6,
      ['run', '--quiet', '--no-usage-report', '--out', `influxdb=${opts.influxUrl}/${opts.database}`, SCRIPT],
      {
        env: {
          PATH: process.env.PATH,
          RUNNER_URL: `http://127.0.0.1:${port}`,
          RUNNER_RATE: String(spec.rate),
          RUNNER_DURATION_SEC: String(spec.durationSec),
          RUNNER_VUS: String(vus),
          RUN_ID: opts.runId,
          RUNNER_ID: String(runner),
          RUNNER_THRESHOLDS: JSON.stringify(thresholds),
          RUNNER_TREND_STATS: JSON.stringify(SUMMARY_TREND_STATS),
          RUNNER_SUMMARY: summaryPath,
          RUNNER_START_SEC: String(spec.startSec ?? 0),
          RUNNER_SOCKETS: String(spec.sockets ?? 0),
          RUNNER_SOCKET_HOLD_SEC: String(spec.socketHoldSec ?? 0),
        },
        timeout: (spec.durationSec + (spec.startSec ?? 0) + 60) * 1000,
      },
      (err, _stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(new Error(`k6 runner ${runner}: ${err.message}\n${stderr}`));
        else resolve(err ? (err.code as number) : 0);
      },
    );
  });
  return { runner, exitCode, summary: JSON.parse(await readFile(summaryPath, 'utf8')) };
}

function maxDelay(s: ServerShape): number {
  return Math.max(Array.isArray(s.delayMs) ? s.delayMs[1] : s.delayMs, s.after?.delayMs ?? 0);
}

async function startServer(shape: ServerShape): Promise<{ port: number; close(): Promise<void>; degradedAtMs(): number | undefined }> {
  let served = 0;
  let firstAt: number | undefined;
  let degradedAt: number | undefined;
  const server: Server = createServer((_req, res) => {
    served++;
    firstAt ??= Date.now();
    const status = shape.failEvery && served % shape.failEvery === 0 ? 500 : 200;
    const slow = shape.after !== undefined && Date.now() - firstAt >= shape.after.ms;
    if (slow) degradedAt ??= Date.now();
    const delay = slow ? shape.after!.delayMs : shape.delayMs;
    const [min, max] = Array.isArray(delay) ? delay : [delay, delay];
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end('[]'), min + Math.random() * (max - min));
  });
  // Sockets are accepted and left idle: k6 holds them, then closes them itself.
  const sockets = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    degradedAtMs: () => degradedAt,
    close: () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
