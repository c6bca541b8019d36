/**
 * A throwaway Prometheus (and exporters for it) for integration tests: Debian's prometheus on a
 * free 127.0.0.1 port with a temp TSDB, scraping the given targets every second so a test needs
 * seconds, not minutes, of data; stopped and removed on stop(). Never the stack's 19090.
 *
 *   const redisExporter = await startRedisExporter(redis.port);       // .address = 127.0.0.1:<port>
 *   const prom = await startThrowawayPrometheus([{ job: 'redis', targets: [redisExporter.address] }]);
 *   await prom.waitForScrape('redis_memory_max_bytes');
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { prometheusLaunch, prometheusReady, promQueryInstant } from '../../scripts/clients/prometheus.ts';
import { redisExporterLaunch } from '../../scripts/clients/redis.ts';
import { stopChild, tailOf, track, trackDir, untrackDir } from './child-processes.ts';
import { freePort } from './free-port.ts';

const READY_TIMEOUT_MS = 60_000;

/** Scrape interval of the throwaway: 1 s (the stack's is 5 s). */
export const TEST_SCRAPE_SEC = 1;

export interface ScrapeJob {
  job: string;
  /** host:port of each target. */
  targets: string[];
}

export interface ThrowawayPrometheus {
  url: string;
  /** Waits until `promql` returns at least one series (the first scrapes are in). */
  waitForScrape(promql: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ThrowawayExporter {
  /** host:port it serves /metrics on. */
  address: string;
  stop(): Promise<void>;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, output: () => string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (exited()) throw new Error(`${what} exited:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms:\n${output()}`);
    await sleep(200);
  }
}

export async function startThrowawayPrometheus(jobs: ScrapeJob[]): Promise<ThrowawayPrometheus> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'gomeet-prometheus-'));
  trackDir(dir);
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    stringify({
      global: { scrape_interval: `${TEST_SCRAPE_SEC}s`, scrape_timeout: `${TEST_SCRAPE_SEC}s`, evaluation_interval: `${TEST_SCRAPE_SEC}s` },
      scrape_configs: jobs.map((j) => ({ job_name: j.job, static_configs: [{ targets: j.targets }] })),
    }),
  );
  const launch = prometheusLaunch({ configFile, storageDir: join(dir, 'data'), listen: `127.0.0.1:${port}` });
  const child = spawn(launch.cmd, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const output = tailOf(child);
  const stop = async () => {
    await stopChild(child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
    untrackDir(dir);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('throwaway prometheus', () => prometheusReady(url), READY_TIMEOUT_MS, output, () => child.exitCode !== null);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    stop,
    async waitForScrape(promql, timeoutMs = 30_000) {
      await waitFor(`series ${promql}`, async () => (await promQueryInstant(url, promql, Date.now()).catch(() => [])).length > 0, timeoutMs, output, () => child.exitCode !== null);
    },
  };
}

/** prometheus-redis-exporter for a Redis on 127.0.0.1:`redisPort` (the stack's command line). */
export async function startRedisExporter(redisPort: number): Promise<ThrowawayExporter> {
  const port = await freePort();
  const launch = redisExporterLaunch('127.0.0.1', port, redisPort);
  const child = spawn(launch.cmd, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const output = tailOf(child);
  const address = `127.0.0.1:${port}`;
  const up = async () => {
    try {
      return (await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      return false;
    }
  };
  const stop = () => stopChild(child, 'SIGTERM');
  try {
    await waitFor('redis exporter', up, READY_TIMEOUT_MS, output, () => child.exitCode !== null);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, stop };
}
