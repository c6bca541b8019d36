/**
 * The Prometheus metrics both processes expose on /metrics. Names follow the deployment guide's
 * "Key Metrics to Monitor" where one applies (http_request_duration_seconds, http_requests_total,
 * websocket_connections_active, circuit_breaker_state, circuit_breaker_failures_total); the rest are
 * `gomeet_<what>_<unit>`. Every series carries `service` (auth | meeting | chat | signaling; process
 * metrics carry the process: api | signaling), which is how issue 5 reads CPU/memory per service.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Services inside the api process, plus signaling. */
export type ServiceName = 'auth' | 'meeting' | 'chat' | 'signaling';

/** Buckets include the table's targets and criticals (API 200/500 ms, DB 100/500 ms) so a p95
 *  interpolated from the histogram is exact at the boundaries that decide GO / NO-GO. */
const HTTP_BUCKETS_SEC = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS_SEC = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'service' | 'method' | 'route' | 'status_code'>;
  httpRequests: Counter<'service' | 'method' | 'route' | 'status_code'>;
  wsActive: Gauge<'service'>;
  signalingMessages: Counter<'service' | 'type' | 'direction'>;
  dbQueryDuration: Histogram<'service' | 'query'>;
  breakerState: Gauge<'service' | 'target'>;
  breakerFailures: Counter<'service' | 'target'>;
}

/** A fresh registry per process: `processName` labels the default process metrics. */
export function createServiceMetrics(processName: 'api' | 'signaling'): ServiceMetrics {
  const registry = new Registry();
  // Explicit `service` labels on the metrics below win over this default (prom-client merges them).
  registry.setDefaultLabels({ service: processName });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'API response time by templated route, from request received to response sent.',
      labelNames: ['service', 'method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS_SEC,
      registers,
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'API responses by templated route and status.',
      labelNames: ['service', 'method', 'route', 'status_code'],
      registers,
    }),
    wsActive: new Gauge({
      name: 'websocket_connections_active',
      help: 'Open signaling WebSockets in this process.',
      labelNames: ['service'],
      registers,
    }),
    signalingMessages: new Counter({
      name: 'gomeet_signaling_messages_total',
      help: 'Signaling frames by message type; direction in = from clients, out = to clients.',
      labelNames: ['service', 'type', 'direction'],
      registers,
    }),
    dbQueryDuration: new Histogram({
      name: 'gomeet_db_query_duration_seconds',
      help: 'PostgreSQL query time by query name, including the wait for a pool connection.',
      labelNames: ['service', 'query'],
      buckets: DB_BUCKETS_SEC,
      registers,
    }),
    breakerState: new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
      labelNames: ['service', 'target'],
      registers,
    }),
    breakerFailures: new Counter({
      name: 'circuit_breaker_failures_total',
      help: 'Calls the circuit breaker counted as failures of its target.',
      labelNames: ['service', 'target'],
      registers,
    }),
  };
}
