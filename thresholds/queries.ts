/**
 * The server-side rows as PromQL — data beside the table (thresholds/table.ts), one entry per row
 * whose source is `{ kind: 'prometheus', queryId }`. reports/observe-prometheus.ts evaluates them
 * over the run window; reports/series-prometheus.ts draws them over the whole run.
 *
 * The defaults fit the local reference stack (stack/config/prometheus-yml.ts: jobs `node`,
 * `redis`, `postgres`, `process`, `livekit`, `gomeet-api`, `gomeet-signaling`, one machine). A
 * target replaces any of them with `prometheus.queries.<rowId>` in its target.yaml, keeping the
 * entry's factor, aggregation and warm-up — docs/target-kubernetes.example.yaml shows the
 * cAdvisor / kube-state-metrics versions for a Kubernetes cluster.
 *
 * Placeholders, replaced before a query is sent:
 *   $window  the judged window as a PromQL duration (e.g. `100500ms`): run start + warm-up → run
 *            end, plus one scrape interval — increase() only sees samples inside its range, and the
 *            last one before the window is the baseline of what happened in it
 *   $rate    the short window a `max` query's rate() averages over (default 20 s: four 5 s scrapes)
 *
 * Every series a query returns should carry a `where` label naming the service or node it
 * measures (made with label_replace / label_join, as below); the report shows the worst one's.
 * A series without it is named by its labels.
 *
 * Pure data: no Node or k6 imports.
 */
import { rowById, type RowId } from './table.ts';

/** The rows read from Prometheus. */
export type PrometheusRowId = 'db_query_p95_ms' | 'redis_memory_pct' | 'cpu_pct' | 'memory_pct';

export const PROMETHEUS_ROW_IDS = ['db_query_p95_ms', 'redis_memory_pct', 'cpu_pct', 'memory_pct'] as const satisfies readonly PrometheusRowId[];

/**
 * How a query's answer becomes the run's one number:
 *  - `max`     the query is an instant level (CPU over the last $rate, memory in use). It is
 *              evaluated every step (5 s) across the judged window; each series' highest value
 *              is its value, and the worst series is the row's value (and its `where`).
 *  - `window`  the query aggregates over `$window` itself (a p95 from histogram increases over
 *              the window); it is evaluated once, at the window's end.
 */
export type WindowAggregate = 'max' | 'window';

export interface ServerQuery {
  /** PromQL with the placeholders above. */
  promql: string;
  /** What the number means and why it is measured this way (for reports and for people overriding it). */
  description: string;
  /** Query answer × factor = the row's unit (e.g. 1000: seconds → ms). An override is multiplied too. */
  factor: number;
  aggregate: WindowAggregate;
  /** Seconds after the load starts that are not judged (ramp-up is not the steady state). */
  warmupSec: number;
  /**
   * Configuration findings: PromQL that returns a series exactly when the row cannot be measured
   * because of how the server is configured. When one does, the row is not measured and `note`
   * says why — a finding, never a division by zero.
   */
  findings?: { promql: string; note: string }[];
  /** What it means when the query has no value over the window (default: a generic note). */
  whenEmpty?: string;
}

/** Node-exporter's machine label: `node 127.0.0.1` from `instance="127.0.0.1:19100"`. */
const nodeWhere = (expr: string) => `label_replace(${expr}, "where", "node $1", "instance", "(.*):[0-9]+")`;
/** A fixed `where` (label_replace with an empty source label always matches the empty regex). */
const fixedWhere = (expr: string, where: string) => `label_replace(${expr}, "where", "${where}", "", "")`;
/** The reference services label their process metrics with `service` (api | signaling); the
 *  instance tells the four signaling workers apart: `signaling process 127.0.0.1:18091`. */
const serviceWhere = (expr: string) => `label_join(${expr}, "where", " process ", "service", "instance")`;

/** The machine's cores and memory (one machine: the local stack). NaN — and so no value — when
 *  node-exporter is not scraped, rather than a made-up denominator. */
const MACHINE_CORES = 'scalar(count(node_cpu_seconds_total{mode="idle"}))';
const MACHINE_MEMORY = 'scalar(sum(node_memory_MemTotal_bytes))';
const NODE_SERVICES = 'job=~"gomeet-api|gomeet-signaling"';

const or = (...parts: string[]) => parts.join('\nor\n');

const NODE_CPU = nodeWhere('100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$rate])))');
const PROCESS_CPU = [
  serviceWhere(`100 * rate(process_cpu_seconds_total{${NODE_SERVICES}}[$rate])`),
  fixedWhere('100 * (rate(redis_cpu_user_seconds_total[$rate]) + rate(redis_cpu_sys_seconds_total[$rate]))', 'redis process'),
  fixedWhere(`100 * rate(process_cpu_seconds_total{job="livekit"}[$rate]) / ${MACHINE_CORES}`, 'livekit-server process'),
  fixedWhere(`100 * sum(rate(namedprocess_namegroup_cpu_seconds_total{groupname="postgres"}[$rate])) / ${MACHINE_CORES}`, 'postgres processes'),
];
const NODE_MEMORY = nodeWhere('100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)');
const PROCESS_MEMORY = [
  serviceWhere(`100 * process_resident_memory_bytes{${NODE_SERVICES}} / ${MACHINE_MEMORY}`),
  fixedWhere(`100 * process_resident_memory_bytes{job="livekit"} / ${MACHINE_MEMORY}`, 'livekit-server process'),
  fixedWhere(`100 * redis_memory_used_rss_bytes / ${MACHINE_MEMORY}`, 'redis process'),
  fixedWhere(
    `100 * sum(namedprocess_namegroup_memory_bytes{groupname="postgres", memtype="proportionalResident"}) / ${MACHINE_MEMORY}`,
    'postgres processes',
  ),
];

export const SERVER_QUERIES: Readonly<Record<PrometheusRowId, ServerQuery>> = {
  db_query_p95_ms: {
    promql: fixedWhere(
      'histogram_quantile(0.95, sum by (le) (increase(gomeet_db_query_duration_seconds_bucket[$window])))',
      "PostgreSQL, every service's queries",
    ),
    description:
      'p95 of database query time over the judged window, from the histogram every service process exports ' +
      '(gomeet_db_query_duration_seconds: from asking the pool to the result, so waiting for a connection counts — ' +
      'what a request actually waits). Why not pg_stat_statements: it keeps per-statement totals, means and maxima, ' +
      'not distributions, so no p95 can be computed from it; its mean execution time is shown beside this row as context. ' +
      'The histogram has buckets at 100 ms and 500 ms, so the interpolated p95 is exact at the target and the critical.',
    factor: 1000,
    aggregate: 'window',
    warmupSec: rowById('db_query_p95_ms').warmupSec,
    whenEmpty:
      'no database query was timed in the window (gomeet_db_query_duration_seconds did not grow: did the load reach the services, and does Prometheus scrape them?)',
  },

  redis_memory_pct: {
    // `> 0` filters out a Redis without maxmemory: no series, no division by zero; the finding says why.
    promql: fixedWhere('100 * redis_memory_used_bytes / (redis_memory_max_bytes > 0)', 'redis'),
    description:
      "Peak of Redis's used memory (INFO used_memory, what maxmemory is enforced against) as a share of maxmemory, " +
      'sampled every 5 s over the run (redis_exporter).',
    factor: 1,
    aggregate: 'max',
    warmupSec: rowById('redis_memory_pct').warmupSec,
    findings: [
      {
        promql: 'redis_memory_max_bytes == 0',
        note:
          'configuration finding: Redis runs without maxmemory (0 = no limit), so its memory share cannot be judged ' +
          'and it can grow until the machine runs out of memory; set maxmemory and a maxmemory-policy on the target',
      },
    ],
  },

  cpu_pct: {
    promql: or(NODE_CPU, ...PROCESS_CPU),
    description:
      'Worst CPU over the steady state: the highest 20 s average (every 5 s, after the warm-up) of each node and each ' +
      "server process, as a share of what it can use — the local stack sets no CPU limits, so: a node's busy share of " +
      'all its cores (node-exporter); one core for the single-threaded ones (each Node.js service process, Redis); all ' +
      "the machine's cores for the multi-threaded ones (livekit-server; PostgreSQL's postmaster and backends together, " +
      'from process-exporter). On Kubernetes: container CPU over its CPU limit.',
    factor: 1,
    aggregate: 'max',
    warmupSec: rowById('cpu_pct').warmupSec,
  },

  memory_pct: {
    promql: or(NODE_MEMORY, ...PROCESS_MEMORY),
    description:
      "Worst memory over the run: each node's used share (1 − MemAvailable/MemTotal) and each server process's " +
      'resident memory as a share of its limit. The local stack sets no memory limits, so the limit is the ' +
      "machine's memory (PostgreSQL: proportional set size summed over its processes, so shared buffers count once; " +
      "Redis: RSS — its maxmemory is judged by the Redis memory row). On Kubernetes: container working set over its memory limit.",
    factor: 1,
    aggregate: 'max',
    warmupSec: rowById('memory_pct').warmupSec,
  },
};

export function isPrometheusRowId(id: RowId | string): id is PrometheusRowId {
  return (PROMETHEUS_ROW_IDS as readonly string[]).includes(id);
}

/** Per-target replacements of `promql` (target.yaml `prometheus.queries`). */
export type QueryOverrides = Partial<Record<PrometheusRowId, string>>;

/**
 * The local reference stack's overrides (written into its target.yaml): its one node also runs the
 * load generator — k6, the bots, Chromium — so the node's CPU and memory measure the generator as much
 * as GoMeet. There only the GoMeet server processes are judged; on a real cluster the node part stays.
 */
export const COLOCATED_GENERATOR_OVERRIDES: QueryOverrides = {
  cpu_pct: or(...PROCESS_CPU),
  memory_pct: or(...PROCESS_MEMORY),
};

/** The query a row is judged by: the target's override if it has one, else the default. */
export function serverQuery(id: PrometheusRowId, overrides: QueryOverrides = {}): ServerQuery & { overridden: boolean } {
  const base = SERVER_QUERIES[id];
  const override = overrides[id];
  return override === undefined ? { ...base, overridden: false } : { ...base, promql: override, overridden: true };
}

/** Values for the placeholders, in seconds. */
export interface PlaceholderValues {
  /** Length of the judged window, ms (whole ms; Prometheus takes `ms` durations). */
  windowMs: number;
  /** rate() window of `max` queries, seconds. */
  rateSec: number;
}

/** The PromQL with `$window` and `$rate` replaced. Throws on a window Prometheus would refuse. */
export function fillPlaceholders(promql: string, v: PlaceholderValues): string {
  const windowMs = Math.round(v.windowMs);
  if (!(windowMs >= 1)) throw new Error(`judged window must be at least 1 ms, got ${v.windowMs}`);
  if (!(Number.isInteger(v.rateSec) && v.rateSec >= 1)) throw new Error(`rate window must be whole seconds >= 1, got ${v.rateSec}`);
  // `$window` / `$rate` only as whole words: `$windowed` in a label value stays as written.
  return promql.replace(/\$window\b/g, `${windowMs}ms`).replace(/\$rate\b/g, `${v.rateSec}s`);
}
