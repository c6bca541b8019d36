/**
 * PostgreSQL access for the services: one pg pool per process, and per service a `Database` whose
 * every query is named, timed into gomeet_db_query_duration_seconds{service,query}, and guarded by
 * that service's circuit breaker (circuit_breaker_state{service,target="postgres"}).
 */
import pg from 'pg';
import { BREAKER_STATE_VALUE, CircuitBreaker } from './circuit-breaker.ts';
import type { ServiceMetrics, ServiceName } from './metrics.ts';

/** Longest a statement may run before PostgreSQL cancels it; a load-test target must not pile up
 *  queries behind a stuck one. */
const STATEMENT_TIMEOUT_MS = 5000;
/** Longest a request waits for a free pool connection before failing (counted by the breaker:
 *  an exhausted pool is the database not keeping up). */
const POOL_WAIT_MS = 5000;

export interface Database {
  /** Runs one named statement; resolves to its rows. Throws CircuitOpenError while the circuit is open. */
  query<R extends pg.QueryResultRow>(name: string, sql: string, params?: unknown[]): Promise<R[]>;
}

export function createPool(url: string, maxConnections: number, applicationName: string): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max: maxConnections,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    connectionTimeoutMillis: POOL_WAIT_MS,
    application_name: applicationName,
  });
}

/** SQLSTATE classes that mean the server or connection is in trouble, not that the statement was
 *  refused: 08 connection, 53 insufficient resources, 57 operator intervention (incl. statement
 *  timeout 57014), 58 system error, XX internal. */
const INFRASTRUCTURE_SQLSTATE = /^(08|53|57|58|XX)/;

/** Whether an error from pg says PostgreSQL is unhealthy (counts towards opening the circuit). */
export function isInfrastructureError(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return INFRASTRUCTURE_SQLSTATE.test(err.code ?? '');
  // Not an answer from PostgreSQL at all: refused connection, pool wait timeout, dropped socket.
  return true;
}

export function createDatabase(pool: pg.Pool, service: ServiceName, metrics: ServiceMetrics): Database {
  const labels = { service, target: 'postgres' };
  metrics.breakerState.set(labels, BREAKER_STATE_VALUE.closed);
  const breaker = new CircuitBreaker(`${service}/postgres`, {
    isFailure: isInfrastructureError,
    onStateChange: (state) => metrics.breakerState.set(labels, BREAKER_STATE_VALUE[state]),
    onFailure: () => metrics.breakerFailures.inc(labels),
  });
  return {
    async query<R extends pg.QueryResultRow>(name: string, sql: string, params: unknown[] = []): Promise<R[]> {
      const result = await breaker.run(async () => {
        // Timed inside the breaker: a call refused by an open circuit never reached PostgreSQL and
        // must not drag the query-time p95 down.
        const end = metrics.dbQueryDuration.startTimer({ service, query: name });
        try {
          // A named prepared statement: parsed once per connection, then only bound and executed.
          return await pool.query<R>({ name, text: sql, values: params });
        } finally {
          end();
        }
      });
      return result.rows;
    },
  };
}
