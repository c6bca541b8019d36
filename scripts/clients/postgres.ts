/**
 * PostgreSQL 15 (Debian's binaries) and its Prometheus exporter — every command line for them.
 *
 * PostgreSQL refuses to run as root, so when the CLI is root every server-side command runs as the
 * `postgres` user through `setpriv` (which execs rather than forks, so the pid we record is the
 * postmaster's). Admin SQL goes over the unix socket in the stack's own socket dir (trust auth; the
 * dir is 0700, so only that user reaches it); TCP on 127.0.0.1 needs the `gomeet` role's password.
 */
import { existsSync } from 'node:fs';
import { $ } from 'zx';
import type { Launch } from '../stack/process.ts';
import { PROBE_TIMEOUT_MS } from '../stack/readiness.ts';

export const PG_MAJOR = 15;
export const PG_BIN = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
export const PG_OS_USER = 'postgres';

const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** Prefix that runs a command as the postgres OS user when we are root (else as ourselves). */
function asServerUser(): string[] {
  return runningAsRoot() ? ['setpriv', `--reuid=${PG_OS_USER}`, `--regid=${PG_OS_USER}`, '--init-groups', '--'] : [];
}

export function postgresInstalled(): boolean {
  return existsSync(`${PG_BIN}/postgres`) && existsSync(`${PG_BIN}/initdb`);
}

const run = $({ quiet: true, nothrow: true });

async function check(what: string, res: { exitCode: number | null; stderr: string; stdout: string }): Promise<void> {
  if (res.exitCode !== 0) {
    const detail = (res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`postgres: ${what} failed: ${detail}`);
  }
}

/** A new cluster in `dataDir` (must be empty or absent). Superuser `postgres`, UTF8, C locale. */
export async function initdb(dataDir: string): Promise<void> {
  // --no-sync: a throwaway load-test cluster; skipping fsync halves a cold start.
  const cmd = [...asServerUser(), `${PG_BIN}/initdb`, '-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--auth-local=trust', '--auth-host=scram-sha-256'];
  await check('initdb', await run`${cmd}`);
}

/** Hands a directory to the postgres OS user (data and socket dirs must be theirs, mode 0700). */
export async function chownToServerUser(dir: string): Promise<void> {
  if (!runningAsRoot()) return;
  await check(`chown ${dir}`, await run`chown ${PG_OS_USER}:${PG_OS_USER} ${dir}`);
}

/** True when the postgres OS user can reach `dir` (every parent must be searchable by it). */
export async function serverUserCanEnter(dir: string): Promise<boolean> {
  if (!runningAsRoot()) return true;
  return (await run`${asServerUser()} test -x ${dir}`).exitCode === 0;
}

/** The postmaster itself, in the foreground (the stack manager detaches it). */
export function postgresLaunch(dataDir: string): Launch {
  const [cmd, ...args] = [...asServerUser(), `${PG_BIN}/postgres`, '-D', dataDir];
  return { cmd: cmd as string, args };
}

/** `pg_ctl stop -m fast`: ends sessions, checkpoints, exits. */
export async function pgCtlStop(dataDir: string, timeoutSec = 30): Promise<void> {
  await check('pg_ctl stop', await run`${asServerUser()} ${PG_BIN}/pg_ctl stop -D ${dataDir} -m fast -w -t ${timeoutSec}`);
}

/** pg_isready over TCP: accepting connections. */
export async function pgIsReady(host: string, port: number): Promise<boolean> {
  return (await run`${PG_BIN}/pg_isready -q -h ${host} -p ${port} -t ${Math.ceil(PROBE_TIMEOUT_MS / 1000)}`).exitCode === 0;
}

/** Runs SQL as the superuser over the unix socket. `env` feeds psql's \getenv (secrets stay off argv). */
export async function psqlAdmin(socketDir: string, port: number, sql: string, env: Record<string, string> = {}): Promise<string> {
  const res = await $({ quiet: true, nothrow: true, input: sql, env: { ...process.env, ...env } })`${asServerUser()} ${PG_BIN}/psql -X -q -At -v ON_ERROR_STOP=1 -h ${socketDir} -p ${port} -U postgres -d postgres`;
  await check('psql', res);
  return res.stdout;
}

/**
 * prometheus-postgres-exporter on host:port; the DSN (with its password) travels in DATA_SOURCE_NAME.
 * `queriesFile`: extra queries (stack/config/postgres-exporter-queries.ts: pg_stat_statements).
 */
export function postgresExporterLaunch(host: string, port: number, dataSourceName: string, queriesFile?: string): Launch {
  return {
    cmd: 'prometheus-postgres-exporter',
    args: [`--web.listen-address=${host}:${port}`, '--log.level=warn', ...(queriesFile ? [`--extend.query-path=${queriesFile}`] : [])],
    env: { DATA_SOURCE_NAME: dataSourceName },
  };
}

/** postgresql://user:password@host:port/db — the URL the services and the exporter connect with. */
export function postgresUrl(o: { host: string; port: number; user: string; password: string; database: string }): string {
  return `postgresql://${encodeURIComponent(o.user)}:${encodeURIComponent(o.password)}@${o.host}:${o.port}/${encodeURIComponent(o.database)}?sslmode=disable`;
}
