/**
 * The /health answer both processes give: PostgreSQL and Redis each probed with a bounded wait.
 * 200 {status:'ok', service, checks:{postgres:'ok', redis:'ok'}}; otherwise 503 with the failing
 * check's reason in its place, e.g. {status:'unavailable', ..., checks:{postgres:'ok', redis:'down: ...'}}.
 */
import type pg from 'pg';
import type { Redis } from 'ioredis';

const PROBE_TIMEOUT_MS = 2000;

export interface HealthReport {
  statusCode: 200 | 503;
  body: { status: 'ok' | 'unavailable'; service: string; checks: { postgres: string; redis: string } };
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return `down: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(service: string, pool: pg.Pool, redis: Redis): Promise<HealthReport> {
  const [postgres, redisCheck] = await Promise.all([probe(() => pool.query('SELECT 1')), probe(() => redis.ping())]);
  const ok = postgres === 'ok' && redisCheck === 'ok';
  return {
    statusCode: ok ? 200 : 503,
    body: { status: ok ? 'ok' : 'unavailable', service, checks: { postgres, redis: redisCheck } },
  };
}
