/**
 * node-postgres connection settings from a target URL (user, host, port, database; never a
 * password) plus the password from its *Env variable. Built field by field: given a
 * `connectionString`, pg lets the URL's absent password override an explicit one.
 */
import type pg from 'pg';
import { CHECK_TIMEOUT_MS } from '../check.ts';

export function pgClientConfig(url: string, password: string | undefined): pg.ClientConfig {
  const u = new URL(url);
  const sslmode = u.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    password,
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' || sslmode === 'verify-ca' } : undefined,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    application_name: 'gomeet-capacity-preflight',
  };
}
