/**
 * A throwaway PostgreSQL 15 for integration tests: a fresh cluster in a temp dir, on its own
 * 127.0.0.1 port, tuned for speed over durability (fsync off), deleted on stop().
 *
 *   const pg = await startThrowawayPostgres();      // pg.url = postgres://gomeet@127.0.0.1:<port>/gomeet
 *   ...
 *   await pg.stop();
 *
 * PostgreSQL refuses to run as root, so when the tests run as root the cluster is created and run
 * as the `postgres` system user (spawn's uid/gid). Authentication is `trust` on loopback: the
 * cluster lives for one test file and holds nothing secret.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { stopChild, tailOf, track, trackDir, untrackDir } from './child-processes.ts';
import { freePort } from './free-port.ts';

export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 30_000;

export interface ThrowawayPostgres {
  url: string;
  port: number;
  /** Stops the server (fast shutdown) and deletes its files. */
  stop(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** Default: a free port. */
  port?: number;
  /** Superuser created by initdb and owner of `database`. Default gomeet. */
  user?: string;
  /** Database created after start. Default gomeet. */
  database?: string;
  /** max_connections. Default 200. */
  maxConnections?: number;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startThrowawayPostgres(opts: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const port = opts.port ?? (await freePort());
  const user = opts.user ?? 'gomeet';
  const database = opts.database ?? 'gomeet';
  const ids = postgresIds();
  const root = await mkdtemp(join(tmpdir(), 'gomeet-pg-'));
  trackDir(root);
  const dataDir = join(root, 'data');
  if (ids) await chown(root, ids.uid, ids.gid);
  const spawnAs = ids ? { uid: ids.uid, gid: ids.gid } : {};

  execFileSync(
    join(POSTGRES_BIN, 'initdb'),
    ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions'],
    { ...spawnAs, stdio: 'pipe', cwd: root },
  );

  const child = spawn(
    join(POSTGRES_BIN, 'postgres'),
    [
      '-D', dataDir,
      '-p', String(port),
      '-k', root, // unix socket in the temp dir, not /var/run/postgresql
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `max_connections=${opts.maxConnections ?? 200}`,
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    { ...spawnAs, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(child);
  const output = tailOf(child);

  const cleanup = async () => {
    await stopChild(child, 'SIGINT'); // SIGINT = PostgreSQL's "fast" shutdown
    await rm(root, { recursive: true, force: true });
    untrackDir(root);
  };

  try {
    await createDatabaseWhenReady(`postgres://${user}@127.0.0.1:${port}/postgres`, database, () => child.exitCode !== null);
  } catch (err) {
    await cleanup();
    throw new Error(`throwaway PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}\n${output()}`);
  }
  return { url: `postgres://${user}@127.0.0.1:${port}/${database}`, port, stop: cleanup };
}

async function createDatabaseWhenReady(adminUrl: string, database: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited()) throw new Error('postgres exited');
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
