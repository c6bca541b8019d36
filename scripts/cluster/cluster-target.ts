/**
 * The target file of a cluster stack (lib/config/target.ts): public endpoints by the seed's
 * domains (api.<domain>, livekit.<domain>, turn.<domain> — DNS pointed at the LoadBalancers, the
 * seed's post-deployment step), servers without a public address by their in-cluster names, which
 * k6 runners of `run --cluster` reach. `cluster up`'s smoke replaces those with 127.0.0.1 ports that
 * `kubectl port-forward` opens for it.
 */
import { stringify } from 'yaml';
import { TargetSchema, type Target } from '../../lib/config/target.ts';
import { DB_USER } from '../../deploy/gomeet/options.ts';
import { INFLUXDB_DATABASE, INFLUXDB_PORT } from '../../deploy/gomeet/load-test.ts';
import { PROMETHEUS_PORT } from '../../deploy/gomeet/monitoring.ts';
import { PGBOUNCER_PORT, POSTGRES_PORT } from '../../deploy/gomeet/postgres.ts';
import { REDIS_PORT } from '../../deploy/gomeet/redis.ts';
import { TURN_PORT } from '../../deploy/gomeet/api-services.ts';

export interface TargetPlace {
  namespace: string;
  loadTestNamespace: string;
  domain: string;
}

/** In-cluster servers the checks read, each as `kubectl port-forward` names it. */
export const FORWARDED = {
  prometheus: { resource: 'svc/prometheus', port: PROMETHEUS_PORT, loadTest: false },
  influxdb: { resource: 'svc/influxdb', port: INFLUXDB_PORT, loadTest: true },
  redis: { resource: 'pod/redis-master-0', port: REDIS_PORT, loadTest: false },
  postgres: { resource: 'pod/postgres-primary-0', port: POSTGRES_PORT, loadTest: false },
  pgbouncer: { resource: 'svc/pgbouncer', port: PGBOUNCER_PORT, loadTest: false },
} as const;
export type ForwardedServer = keyof typeof FORWARDED;

/** host:port of each in-cluster server: its cluster DNS name, or a forwarded local port. */
export type ServerAddresses = Record<ForwardedServer, string>;

export function inClusterAddresses(p: TargetPlace): ServerAddresses {
  const svc = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;
  return {
    prometheus: `${svc('prometheus', p.namespace)}:${PROMETHEUS_PORT}`,
    influxdb: `${svc('influxdb', p.loadTestNamespace)}:${INFLUXDB_PORT}`,
    redis: `redis-master-0.${svc('redis-master', p.namespace)}:${REDIS_PORT}`,
    postgres: `${svc('postgres-primary', p.namespace)}:${POSTGRES_PORT}`,
    pgbouncer: `${svc('pgbouncer', p.namespace)}:${PGBOUNCER_PORT}`,
  };
}

export function clusterTarget(p: TargetPlace, at: ServerAddresses = inClusterAddresses(p)): Target {
  return TargetSchema.parse({
    name: `gomeet-${p.namespace}`,
    environment: 'staging',
    api: { baseUrl: `https://api.${p.domain}` },
    signaling: { url: `wss://api.${p.domain}/ws` },
    livekit: { url: `wss://livekit.${p.domain}` },
    prometheus: { url: `http://${at.prometheus}` },
    influxdb: { url: `http://${at.influxdb}`, database: INFLUXDB_DATABASE },
    turn: { urls: [`turn:turn.${p.domain}:${TURN_PORT}?transport=udp`, `turn:turn.${p.domain}:${TURN_PORT}?transport=tcp`] },
    redis: { url: `redis://${at.redis}` },
    postgres: { url: `postgresql://${DB_USER}@${at.postgres}/gomeet`, passwordEnv: 'GOMEET_PG_PASSWORD' },
    pgbouncer: { url: `postgresql://${DB_USER}@${at.pgbouncer}/pgbouncer`, passwordEnv: 'GOMEET_PG_PASSWORD' },
  });
}

export function targetYaml(t: Target, header: string): string {
  return `${header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n')}\n${stringify(t)}`;
}
