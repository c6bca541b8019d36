/**
 * Prometheus, promtool, the node and process exporters — every command line for them, and every
 * HTTP call made to Prometheus (readiness, target health, instant and range queries).
 */
import { $ } from 'zx';
import type { Launch } from '../stack/process.ts';
import { PROBE_TIMEOUT_MS } from '../stack/readiness.ts';

export function prometheusLaunch(o: { configFile: string; storageDir: string; listen: string }): Launch {
  return {
    cmd: 'prometheus',
    args: [
      `--config.file=${o.configFile}`,
      `--storage.tsdb.path=${o.storageDir}`,
      `--web.listen-address=${o.listen}`,
      // Lets tests and the run reload the config or stop it over HTTP.
      '--web.enable-lifecycle',
      '--storage.tsdb.retention.time=7d',
      '--log.level=warn',
    ],
  };
}

/** `promtool check config`: null when valid, else promtool's complaint. */
export async function promtoolCheckConfig(configFile: string): Promise<string | null> {
  const res = await $({ quiet: true, nothrow: true })`promtool check config ${configFile}`;
  return res.exitCode === 0 ? null : (res.stderr || res.stdout).trim();
}

/** `promtool check rules`: null when every rule's PromQL parses, else promtool's complaint. */
export async function promtoolCheckRules(rulesFile: string): Promise<string | null> {
  const res = await $({ quiet: true, nothrow: true })`promtool check rules ${rulesFile}`;
  return res.exitCode === 0 ? null : (res.stderr || res.stdout).trim();
}

export function nodeExporterLaunch(listen: string): Launch {
  return {
    cmd: 'prometheus-node-exporter',
    // The textfile collector's Debian default dir belongs to the system exporter; there is no
    // systemd here (its collector would log an error every scrape).
    args: [`--web.listen-address=${listen}`, '--no-collector.textfile', '--no-collector.systemd', '--log.level=warn'],
  };
}

/**
 * prometheus-process-exporter: CPU and memory per process group of its config
 * (stack/config/process-exporter-yml.ts). Per-thread series are off: nothing reads them, and they
 * multiply the series by every thread name of every matched process.
 */
export function processExporterLaunch(o: { configFile: string; listen: string }): Launch {
  return { cmd: 'prometheus-process-exporter', args: [`-config.path=${o.configFile}`, `-web.listen-address=${o.listen}`, '-threads=false'] };
}

/** /-/ready answers 200 once the TSDB is open and the config loaded. */
export async function prometheusReady(url: string): Promise<boolean> {
  try {
    const request = promRequest(url, '/-/ready');
    const res = await fetch(request.href, { headers: request.headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface ScrapeTarget {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** Active scrape targets and their last health (GET /api/v1/targets). */
export async function prometheusTargets(url: string): Promise<ScrapeTarget[]> {
  const request = promRequest(url, '/api/v1/targets');
  const res = await fetch(`${request.href}?state=active`, { headers: request.headers, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`prometheus: /api/v1/targets answered ${res.status}`);
  const body = (await res.json()) as { data: { activeTargets: { labels: Record<string, string>; health: ScrapeTarget['health']; lastError: string }[] } };
  return body.data.activeTargets.map((t) => ({ job: t.labels.job ?? '', instance: t.labels.instance ?? '', health: t.health, lastError: t.lastError }));
}

/** One series of a query answer: its labels and its finite points `[Unix ms, value]` (NaN/±Inf dropped). */
export interface PromSeries {
  labels: Record<string, string>;
  points: [tMs: number, value: number][];
}

/** The default timeout of one query: long enough for a loaded 2-core machine, short enough that a
 *  hung Prometheus costs the report seconds, not minutes. */
export const PROM_QUERY_TIMEOUT_MS = 15_000;

/** Prometheus answered, but refused the query (bad PromQL, timeout inside Prometheus, ...). */
export class PromQueryError extends Error {}

type PromAnswer =
  | { status: 'success'; data: { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] } }
  | { status: 'success'; data: { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] } }
  | { status: 'success'; data: { resultType: 'scalar'; result: [number, string] } }
  | { status: 'error'; errorType: string; error: string };

/**
 * The request URL without user info, and a Basic Authorization header when the URL had some:
 * fetch() refuses URLs with credentials — and would put them in its error message.
 */
export function promRequest(url: string, path: string): { href: string; headers: Record<string, string> } {
  const u = new URL(url);
  // Kept, not replaced: a Prometheus served under a prefix (--web.route-prefix=/prometheus).
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = {};
  if (u.username || u.password) {
    const user = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { href: u.href, headers };
}

async function promApi(url: string, path: string, params: Record<string, string>, timeoutMs: number): Promise<PromAnswer> {
  const request = promRequest(url, path);
  // POST keeps long PromQL out of URLs (and of any proxy's access log).
  const res = await fetch(request.href, {
    method: 'POST',
    headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
    signal: AbortSignal.timeout(timeoutMs),
  });
  let body: PromAnswer;
  try {
    body = (await res.json()) as PromAnswer;
  } catch {
    throw new Error(`prometheus: ${path} answered HTTP ${res.status} without JSON`);
  }
  if (body.status !== 'success') throw new PromQueryError(`prometheus refused the query: ${body.errorType}: ${body.error}`);
  return body;
}

function finitePoint(t: number, v: string): [number, number] | null {
  const value = Number(v);
  return Number.isFinite(value) ? [Math.round(t * 1000), value] : null;
}

/** POST /api/v1/query at `timeMs`: an instant vector (or scalar) as series of one point each. */
export async function promQueryInstant(url: string, promql: string, timeMs: number, timeoutMs = PROM_QUERY_TIMEOUT_MS): Promise<PromSeries[]> {
  const body = await promApi(url, '/api/v1/query', { query: promql, time: String(timeMs / 1000) }, timeoutMs);
  if (body.status !== 'success') return [];
  if (body.data.resultType === 'scalar') {
    const p = finitePoint(...body.data.result);
    return p ? [{ labels: {}, points: [p] }] : [];
  }
  if (body.data.resultType !== 'vector') throw new PromQueryError(`prometheus: expected an instant vector, got a ${body.data.resultType}`);
  return body.data.result.map((r) => ({ labels: r.metric, points: [finitePoint(...r.value)].filter((p): p is [number, number] => p !== null) }));
}

/** POST /api/v1/query_range from `startMs` to `endMs` every `stepSec`. */
export async function promQueryRange(
  url: string,
  promql: string,
  range: { startMs: number; endMs: number; stepSec: number },
  timeoutMs = PROM_QUERY_TIMEOUT_MS,
): Promise<PromSeries[]> {
  const body = await promApi(
    url,
    '/api/v1/query_range',
    { query: promql, start: String(range.startMs / 1000), end: String(range.endMs / 1000), step: String(range.stepSec) },
    timeoutMs,
  );
  if (body.status !== 'success') return [];
  if (body.data.resultType !== 'matrix') throw new PromQueryError(`prometheus: expected a range matrix, got a ${body.data.resultType}`);
  return body.data.result.map((r) => ({
    labels: r.metric,
    points: r.values.map(([t, v]) => finitePoint(t, v)).filter((p): p is [number, number] => p !== null),
  }));
}
