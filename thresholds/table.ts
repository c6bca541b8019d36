/**
 * The go/no-go table: one row per criterion. Everything else — k6 thresholds, PromQL checks,
 * JUnit test cases, report rows — is generated from this data, never written by hand.
 *
 * The eight `origin: 'seed'` rows are the deployment guide's "Expected Performance Metrics"
 * (../shared/seed, GoMeet deployment guide). `origin: 'suite'` rows are guards the suite adds
 * because a p95 alone can hide a failing system (e.g. a fast 500 is still an outage).
 *
 * This module is pure data + types: it is imported by Node code and bundled into k6 scripts.
 */

/** Which way is better: 'lower' (latency, usage) or 'higher' (connections held, success rate). */
export type Direction = 'lower' | 'higher';

/** Units as written in reports; `pct` is 0..100, `gbps` is 10^9 bit/s. */
export type Unit = 'count' | 'ms' | 'gbps' | 'pct';

/** A k6 summary statistic as k6 names it in threshold expressions. */
export type K6Stat = 'p(95)' | 'rate' | 'count' | 'max' | 'avg' | 'value';

/** Where a row's observed value comes from. */
export type RowSource =
  /** A client-side k6 metric (optionally with a tag filter, e.g. `http_req_duration{scenario:api}`).
   *  `factor` converts k6's unit into the row's (k6 rates are 0..1, rows are pct). */
  | { kind: 'k6'; metric: string; stat: K6Stat; factor?: number }
  /** A server-side Prometheus query kept in thresholds/queries (issue 5). */
  | { kind: 'prometheus'; queryId: string }
  /** Computed from the real-WebRTC participants (bots, browser probes; issue 3). */
  | { kind: 'media'; measure: 'video_latency_p95' | 'room_bandwidth_max' | 'join_success_rate' | 'join_p95' };

export type RowId =
  | 'ws_connections'
  | 'api_p95_ms'
  | 'video_latency_ms'
  | 'sfu_room_bandwidth_gbps'
  | 'db_query_p95_ms'
  | 'redis_memory_pct'
  | 'cpu_pct'
  | 'memory_pct'
  | 'ws_connect_success_pct'
  | 'api_error_rate_pct'
  | 'sfu_join_success_pct'
  | 'sfu_join_p95_ms';

export interface ThresholdRow {
  id: RowId;
  title: string;
  unit: Unit;
  direction: Direction;
  /** Meeting this is a pass. For `higher` rows: observed >= target; for `lower`: observed < target. */
  target: number;
  /** Crossing this is a NO-GO. For `higher` rows: observed < critical; for `lower`: observed > critical. */
  critical: number;
  origin: 'seed' | 'suite';
  description: string;
  source: RowSource;
  /** Seconds after load starts before the row may abort a run (ramp-up noise is not a failure). */
  warmupSec: number;
  /** Whether crossing `critical` mid-run stops the load. Counts that only mean something at the end
   *  (connections held) must not abort: they start at zero. */
  abortOnCritical: boolean;
  /** `planned-connections`: target/critical are fractions of the seed's 50,000 and scale to the
   *  profile's planned connections (50,000 / 45,000 → planned / 0.9 × planned). */
  scale?: 'planned-connections';
}

/** The seed sized everything for this many concurrent participants. */
export const SEED_CONNECTIONS = 50_000;

export const THRESHOLD_TABLE: readonly ThresholdRow[] = [
  {
    id: 'ws_connections',
    title: 'WebSocket connections',
    unit: 'count',
    direction: 'higher',
    target: 50_000,
    critical: 45_000,
    origin: 'seed',
    description:
      'Signaling sessions that authenticated, joined their meeting and stayed open through the whole hold window, summed over all runners.',
    source: { kind: 'k6', metric: 'gomeet_ws_sessions_held', stat: 'count' },
    warmupSec: 0,
    abortOnCritical: false,
    scale: 'planned-connections',
  },
  {
    id: 'api_p95_ms',
    title: 'API response time (p95)',
    unit: 'ms',
    direction: 'lower',
    target: 200,
    critical: 500,
    origin: 'seed',
    description: '95th percentile of HTTP response time over every API request of the api scenario.',
    source: { kind: 'k6', metric: 'http_req_duration{scenario:api}', stat: 'p(95)' },
    warmupSec: 20,
    abortOnCritical: true,
  },
  {
    id: 'video_latency_ms',
    title: 'Video latency',
    unit: 'ms',
    direction: 'lower',
    target: 150,
    critical: 300,
    origin: 'seed',
    description: 'End-to-end video latency (p95 per frame), publisher camera clock to subscriber render.',
    source: { kind: 'media', measure: 'video_latency_p95' },
    warmupSec: 15,
    abortOnCritical: true,
  },
  {
    id: 'sfu_room_bandwidth_gbps',
    title: 'SFU bandwidth per room',
    unit: 'gbps',
    direction: 'lower',
    target: 3,
    critical: 5,
    origin: 'seed',
    description: "Largest room's SFU traffic: what its subscribers receive plus what its publishers send.",
    source: { kind: 'media', measure: 'room_bandwidth_max' },
    warmupSec: 15,
    abortOnCritical: true,
  },
  {
    id: 'db_query_p95_ms',
    title: 'Database query time (p95)',
    unit: 'ms',
    direction: 'lower',
    target: 100,
    critical: 500,
    origin: 'seed',
    description: 'p95 of PostgreSQL statement time over the run window.',
    source: { kind: 'prometheus', queryId: 'db_query_p95_ms' },
    warmupSec: 20,
    abortOnCritical: true,
  },
  {
    id: 'redis_memory_pct',
    title: 'Redis memory usage',
    unit: 'pct',
    direction: 'lower',
    target: 85,
    critical: 95,
    origin: 'seed',
    description: 'Peak Redis used memory as a share of maxmemory.',
    source: { kind: 'prometheus', queryId: 'redis_memory_pct' },
    warmupSec: 0,
    abortOnCritical: true,
  },
  {
    id: 'cpu_pct',
    title: 'CPU utilization',
    unit: 'pct',
    direction: 'lower',
    target: 70,
    critical: 90,
    origin: 'seed',
    description: 'Worst service or node CPU utilization over the steady-state window.',
    source: { kind: 'prometheus', queryId: 'cpu_pct' },
    warmupSec: 20,
    abortOnCritical: true,
  },
  {
    id: 'memory_pct',
    title: 'Memory utilization',
    unit: 'pct',
    direction: 'lower',
    target: 80,
    critical: 95,
    origin: 'seed',
    description: 'Worst service or node memory utilization (of its limit) over the run window.',
    source: { kind: 'prometheus', queryId: 'memory_pct' },
    warmupSec: 0,
    abortOnCritical: true,
  },
  {
    id: 'ws_connect_success_pct',
    title: 'WebSocket connect success',
    unit: 'pct',
    direction: 'higher',
    target: 99.9,
    critical: 99,
    origin: 'suite',
    description: 'Share of signaling sessions that opened, authenticated and joined their meeting.',
    source: { kind: 'k6', metric: 'gomeet_ws_connect_success', stat: 'rate', factor: 100 },
    warmupSec: 10,
    abortOnCritical: true,
  },
  {
    id: 'api_error_rate_pct',
    title: 'API error rate',
    unit: 'pct',
    direction: 'lower',
    target: 1,
    critical: 5,
    origin: 'suite',
    description: 'Share of API requests that failed (transport error or unexpected status).',
    source: { kind: 'k6', metric: 'http_req_failed{scenario:api}', stat: 'rate', factor: 100 },
    warmupSec: 20,
    abortOnCritical: true,
  },
  {
    id: 'sfu_join_success_pct',
    title: 'SFU join success',
    unit: 'pct',
    direction: 'higher',
    target: 99.9,
    critical: 99,
    origin: 'suite',
    description:
      'Share of planned room participants (werift bots) that got their JoinResponse and a connected PeerConnection within the join timeouts. ' +
      "Same bar as signaling connect success: a participant whose media join fails is out of the meeting even though signaling worked. " +
      'At smoke size (a few dozen joins) one failure crosses the critical, on purpose: on loopback a healthy SFU admits everyone.',
    source: { kind: 'media', measure: 'join_success_rate' },
    warmupSec: 0,
    // Judged once every join has happened: a join storm is the point, not noise to wait out.
    abortOnCritical: false,
  },
  {
    id: 'sfu_join_p95_ms',
    title: 'SFU join time (p95)',
    unit: 'ms',
    direction: 'lower',
    target: 1000,
    critical: 3000,
    origin: 'suite',
    description:
      'p95 over room participants (werift bots) of the time from starting to join to a connected PeerConnection (signaling join + ICE + DTLS). ' +
      'Target 1 s: the limit below which a wait still feels immediate; critical 3 s: past it people call the join broken and retry, ' +
      'which adds to a join storm. Failed joins are not in it (they count against join success).',
    source: { kind: 'media', measure: 'join_p95' },
    warmupSec: 0,
    abortOnCritical: false,
  },
];

export function rowById(id: RowId): ThresholdRow {
  const row = THRESHOLD_TABLE.find((r) => r.id === id);
  if (!row) throw new Error(`unknown threshold row: ${id}`);
  return row;
}
