/**
 * Waits (bounded) until PostgreSQL accepts a query: services may be started a moment before the
 * database finishes starting, and should not die for that.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

export async function waitForPostgres(pool: pg.Pool, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() >= deadline) {
        throw new Error(`PostgreSQL not reachable after ${timeoutMs} ms: ${err instanceof Error ? err.message : String(err)}`);
      }
      await sleep(250);
    }
  }
}
