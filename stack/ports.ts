/**
 * Loopback ports of the local reference stack — one place, so configs, the target file the stack
 * writes, and tests agree. All bind 127.0.0.1 only. Chosen away from the defaults so a system
 * PostgreSQL/Redis/Prometheus on this machine is never touched.
 */
export const STACK_HOST = '127.0.0.1';

export const PORTS = {
  postgres: 15432,
  redis: 16379,
  influxdb: 18086,
  prometheus: 19090,
  /** API service (auth + meeting + chat routes). */
  api: 18080,
  /** Signaling: one listener per worker process; k6 spreads sessions across them, which also
   *  multiplies the ~28k ephemeral ports available per source/destination pair. */
  signaling: [18090, 18091, 18092, 18093],
  livekitHttp: 17880,
  livekitTcp: 17881,
  livekitUdp: 17882,
  nodeExporter: 19100,
  redisExporter: 19121,
  postgresExporter: 19187,
  turn: 13478,
} as const;
