/**
 * PgBouncer, when the target names its admin console: `max_client_conn` must hold the seed's 5,000
 * client connections; the pool sizes it hands out to PostgreSQL are reported (the seed gives none).
 * Read with SHOW CONFIG / SHOW DATABASES over the admin console (simple-query protocol only).
 */
import pg from 'pg';
import type { Target } from '../../lib/config/target.ts';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { formatCount, judgeCapacity, type PlannedLoad } from '../capacity.ts';
import { describeError, type Check } from '../check.ts';
import { pgClientConfig } from './pg-connection.ts';

export interface PgbouncerFacts {
  maxClientConn: number;
  defaultPoolSize: number;
  poolMode: string;
  /** Per database: its pool_size (0 = default_pool_size). */
  databases: { name: string; poolSize: number }[];
}

export async function readPgbouncer(url: string, password: string | undefined, signal: AbortSignal): Promise<PgbouncerFacts> {
  // The admin console speaks the simple-query protocol only, which pg uses for parameterless queries.
  const client = new pg.Client(pgClientConfig(url, password));
  const onAbort = () => void client.end().catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const config = new Map((await client.query<{ key: string; value: string }>('SHOW CONFIG')).rows.map((r) => [r.key, r.value] as const));
    const dbs = (await client.query<{ name: string; pool_size: string | number }>('SHOW DATABASES')).rows;
    return {
      maxClientConn: Number(config.get('max_client_conn')),
      defaultPoolSize: Number(config.get('default_pool_size')),
      poolMode: config.get('pool_mode') ?? 'unknown',
      databases: dbs.filter((d) => d.name !== 'pgbouncer').map((d) => ({ name: d.name, poolSize: Number(d.pool_size) })),
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  }
}

export function pgbouncerCheck(target: Target, env: NodeJS.ProcessEnv, load?: PlannedLoad): Check {
  const bouncer = target.pgbouncer;
  const seedText = `max_client_conn ≥ ${formatCount(SEED_SIZING.pgbouncer.maxClientConn)} (seed)`;
  return {
    name: 'pgbouncer pool',
    required: bouncer !== undefined,
    async run(signal) {
      if (!bouncer) return { status: 'skip', observed: 'no pgbouncer in the target', expected: seedText, fix: 'add pgbouncer: { url: postgresql://admin@host:6432/pgbouncer, passwordEnv: … } to check it' };
      let f: PgbouncerFacts;
      try {
        f = await readPgbouncer(bouncer.url, bouncer.passwordEnv ? env[bouncer.passwordEnv] : undefined, signal);
      } catch (err) {
        return { status: 'fail', observed: describeError(err), expected: seedText, fix: "is PgBouncer up, and the url's user in its admin_users or stats_users (database pgbouncer)?" };
      }
      const pools = f.databases.map((d) => `${d.name} ${d.poolSize || f.defaultPoolSize}`).join(', ');
      const judged = judgeCapacity({ observed: f.maxClientConn, seedMin: SEED_SIZING.pgbouncer.maxClientConn, load, seedText });
      return {
        ...judged,
        observed: `max_client_conn ${formatCount(f.maxClientConn)}, pool_mode ${f.poolMode}, default_pool_size ${f.defaultPoolSize}${pools ? `, pools: ${pools}` : ''}`,
        fix: judged.status === 'pass' ? undefined : `max_client_conn = ${SEED_SIZING.pgbouncer.maxClientConn} in pgbouncer.ini (and an open-file limit above it)`,
      };
    },
  };
}
