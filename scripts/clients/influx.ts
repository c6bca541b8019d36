/** InfluxDB 1.x (influxd) — its command line, and the HTTP calls the stack makes to it. */
import { InfluxDB } from 'influx';
import type { Launch } from '../stack/process.ts';
import { PROBE_TIMEOUT_MS } from '../stack/readiness.ts';

export function influxdLaunch(configFile: string): Launch {
  return { cmd: 'influxd', args: ['run', '-config', configFile] };
}

/** /ping answers 204 once the HTTP listener serves. */
export async function influxPing(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return res.status === 204;
  } catch {
    return false;
  }
}

/** InfluxQL statement over HTTP (POST /query); throws with InfluxDB's error text. */
export async function influxQuery(url: string, q: string): Promise<unknown> {
  const res = await fetch(new URL('/query', url), {
    method: 'POST',
    body: new URLSearchParams({ q }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { results?: { error?: string }[]; error?: string };
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (!res.ok || error) throw new Error(`influxdb: ${q}: ${error ?? `HTTP ${res.status}`}`);
  return body;
}

/** CREATE DATABASE is idempotent in InfluxDB 1.x. */
export async function influxCreateDatabase(url: string, database: string): Promise<void> {
  await influxQuery(url, `CREATE DATABASE "${database}"`);
}

/**
 * The `influx` npm client for reading k6's samples back (reports/observe-influx.ts,
 * reports/series-influx.ts). `url` is the target file's `influxdb.url` (http://host:port);
 * credentials, when a store needs them, come from the environment, never from the target file.
 */
/** How long one InfluxQL query may take (ms). */
export const QUERY_TIMEOUT_MS = 30_000;

export function influxReader(url: string, database: string, env: NodeJS.ProcessEnv = process.env): InfluxDB {
  const u = new URL(url);
  return new InfluxDB({
    protocol: u.protocol === 'https:' ? 'https' : 'http',
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    database,
    // A query over a whole run's samples can take seconds on a loaded machine; a dead store must
    // still fail fast enough for the watcher's next round.
    pool: { requestTimeout: QUERY_TIMEOUT_MS, maxRetries: 1 },
    ...(env.GOMEET_INFLUXDB_USERNAME ? { username: env.GOMEET_INFLUXDB_USERNAME, password: env.GOMEET_INFLUXDB_PASSWORD ?? '' } : {}),
  });
}
