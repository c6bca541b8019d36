/**
 * The api process: auth + meeting + chat on one port of 127.0.0.1.
 *
 *   node --import tsx stack/services/api/main.ts        (configured by GOMEET_* env; see README.md)
 *
 * 1. read the environment (missing required variable → one-line error, exit 2)
 * 2. wait for PostgreSQL, apply the schema and seed load-test users and meetings (idempotent)
 * 3. listen; log `api listening on http://127.0.0.1:<port>`
 * 4. on SIGTERM/SIGINT: stop accepting, finish in-flight requests, close pool and Redis, exit 0
 */
import { serviceEnvOrExit } from '../config/env.ts';
import { prepareDatabase } from '../db/prepare.ts';
import { createAccessTokens } from '../shared/access-token.ts';
import { createPool } from '../shared/database.ts';
import { createLogger } from '../shared/log.ts';
import { createServiceMetrics } from '../shared/metrics.ts';
import { createRedis } from '../shared/redis.ts';
import { waitForPostgres } from '../shared/wait-for-postgres.ts';
import { buildApiApp } from './app.ts';

const HOST = '127.0.0.1';
const POSTGRES_START_WAIT_MS = 30_000;
/** A shutdown that takes longer than this is forced: a stuck request must not block `stack down`. */
const SHUTDOWN_GRACE_MS = 10_000;

const env = serviceEnvOrExit();
const log = createLogger('api', env.GOMEET_LOG_LEVEL);
const pool = createPool(env.GOMEET_PG_URL, env.GOMEET_PG_POOL, 'gomeet-api');
// pg emits 'error' for idle clients whose server went away; without a listener Node would crash.
pool.on('error', (err) => log.warn('idle PostgreSQL connection lost', { err }));
const redis = createRedis(env.GOMEET_REDIS_URL, 'gomeet-api');
redis.on('error', () => undefined); // reconnects by itself; /health reports the outage

try {
  await waitForPostgres(pool, POSTGRES_START_WAIT_MS);
  const started = Date.now();
  await prepareDatabase(pool, { loadTestUsers: env.GOMEET_LOADTEST_USERS, loadTestPassword: env.GOMEET_LOADTEST_PASSWORD });
  log.info('database ready', { loadTestUsers: env.GOMEET_LOADTEST_USERS, ms: Date.now() - started });
} catch (err) {
  log.error('cannot prepare the database', { err });
  process.exit(1);
}

const app = await buildApiApp({
  env,
  pool,
  redis,
  metrics: createServiceMetrics('api'),
  tokens: createAccessTokens(env.GOMEET_JWT_SECRET, env.GOMEET_ACCESS_TOKEN_TTL_SEC),
  log,
});
await app.listen({ host: HOST, port: env.GOMEET_API_PORT, backlog: 4096 });
log.info(`api listening on http://${HOST}:${env.GOMEET_API_PORT}`);
if (env.GOMEET_API_DELAY_MS > 0) log.warn('fault knob on: every API response is delayed', { delayMs: env.GOMEET_API_DELAY_MS });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  setTimeout(() => {
    log.warn('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  await app.close();
  await Promise.allSettled([pool.end(), redis.quit()]);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
