/**
 * Loopback ports of the local reference stack — one place, so configs, the target file the stack
 * writes, and tests agree. All bind 127.0.0.1 only. Chosen away from the defaults so a system
 * PostgreSQL/Redis/Prometheus on this machine is never touched.
 *
 * A second stack can run beside a developer's (integration tests do) by shifting every port by one
 * offset: `stackPorts(offset)`, offset from GOMEET_STACK_PORT_OFFSET in the stack manager.
 */
export const STACK_HOST = '127.0.0.1';

export const PORTS = {
  postgres: 15432,
  redis: 16379,
  influxdb: 18086,
  /** InfluxDB's backup/restore RPC listener (it has one even when unused; bound to loopback). */
  influxdbRpc: 18088,
  prometheus: 19090,
  /** The gateway (haproxy standing in for the seed's Traefik): the api and /ws behind the seed's
   *  rate limits (stack/gateway). The services' own ports stay reachable, unlimited. */
  gateway: 18000,
  /** API service (auth + meeting + chat routes). */
  api: 18080,
  /** Signaling: one listener per worker process; k6 spreads sessions across them, which also
   *  multiplies the ~28k ephemeral ports available per source/destination pair. */
  signaling: [18090, 18091, 18092, 18093],
  livekitHttp: 17880,
  livekitTcp: 17881,
  livekitUdp: 17882,
  /** livekit-server's own /metrics listener. */
  livekitPrometheus: 17889,
  nodeExporter: 19100,
  redisExporter: 19121,
  postgresExporter: 19187,
  /** prometheus-process-exporter: PostgreSQL's CPU and memory over all its backends. */
  processExporter: 19256,
  /** TURN + STUN (coturn with time-limited REST credentials), UDP and TCP; livekit-server's STUN server. */
  turn: 13478,
  /** coturn's relay ports (UDP), first and last: kept out of the ephemeral range the load's sockets use. */
  turnRelayMin: 13480,
  turnRelayMax: 13529,
} as const;

/** The same names as PORTS, as plain numbers (an offset stack has different values). */
export type StackPorts = { -readonly [K in keyof typeof PORTS]: (typeof PORTS)[K] extends readonly number[] ? number[] : number };

/** Every port shifted by `offset` (0 gives PORTS' values). Throws if a port would leave 1024..65535. */
export function stackPorts(offset = 0): StackPorts {
  if (!Number.isInteger(offset)) throw new RangeError(`port offset must be an integer, got ${offset}`);
  const shift = (p: number): number => {
    const shifted = p + offset;
    if (shifted < 1024 || shifted > 65535) throw new RangeError(`port offset ${offset} moves port ${p} to ${shifted}, outside 1024..65535`);
    return shifted;
  };
  const out = {} as Record<string, number | number[]>;
  for (const [name, value] of Object.entries(PORTS)) {
    out[name] = Array.isArray(value) ? value.map(shift) : shift(value as number);
  }
  return out as StackPorts;
}
