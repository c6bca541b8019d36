/**
 * Beside a throwaway PostgreSQL (test/helpers/throwaway-postgres.ts): a streaming standby made with
 * pg_basebackup -R, and a PgBouncer in front of the primary. Both on their own 127.0.0.1 ports, run
 * as the postgres OS user when the tests are root (neither server runs as root), removed on stop().
 *
 *   const standby = await startThrowawayStandby(primary.port, 'gomeet', 'standby1');
 *   const bouncer = await startThrowawayPgbouncer(primary.port, { maxClientConn: 5000 });
 *   bouncer.adminUrl  postgresql://gomeet@127.0.0.1:<port>/pgbouncer
 */
import { execFileSync, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { stopChild, tailOf, track, trackDir, untrackDir } from './child-processes.ts';
import { freePort } from './free-port.ts';
import { POSTGRES_BIN } from './throwaway-postgres.ts';

function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function ownedTempDir(prefix: string): Promise<{ root: string; spawnAs: { uid?: number; gid?: number } }> {
  const ids = postgresIds();
  const root = await mkdtemp(join(tmpdir(), prefix));
  trackDir(root);
  if (ids) await chown(root, ids.uid, ids.gid);
  return { root, spawnAs: ids ?? {} };
}

async function untilConnects(url: string, exited: () => boolean, output: () => string, sql = 'SELECT 1'): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited()) throw new Error(`server exited:\n${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query(sql);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${(err as Error).message}\n${output()}`);
      await sleep(150);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export interface ThrowawayServer {
  port: number;
  stop(): Promise<void>;
}

/** A hot standby of the primary on `primaryPort`, streaming as `name` (its application_name). */
/** The primary's max_connections must not exceed the standby's (200 = throwaway-postgres' default). */
export async function startThrowawayStandby(primaryPort: number, user: string, name: string): Promise<ThrowawayServer> {
  const { root, spawnAs } = await ownedTempDir('gomeet-pg-standby-');
  const dataDir = join(root, 'data');
  execFileSync(join(POSTGRES_BIN, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', user, '-D', dataDir, '-R', '-X', 'stream', '--no-sync', '-d', `application_name=${name}`], { ...spawnAs, stdio: 'pipe', cwd: root });
  const port = await freePort();
  const child = spawn(join(POSTGRES_BIN, 'postgres'), ['-D', dataDir, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'hot_standby=on', '-c', 'max_connections=200', '-c', 'fsync=off', '-c', `cluster_name=${name}`], { ...spawnAs, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const stop = async () => {
    await stopChild(child, 'SIGINT');
    await rm(root, { recursive: true, force: true });
    untrackDir(root);
  };
  try {
    await untilConnects(`postgres://${user}@127.0.0.1:${port}/postgres`, () => child.exitCode !== null, tailOf(child));
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, stop };
}

export interface ThrowawayPgbouncer extends ThrowawayServer {
  adminUrl: string;
}

/** PgBouncer for database `gomeet` on the primary; `user` (trusted) is its admin. */
export async function startThrowawayPgbouncer(primaryPort: number, opts: { user?: string; maxClientConn: number; defaultPoolSize?: number }): Promise<ThrowawayPgbouncer> {
  const user = opts.user ?? 'gomeet';
  const { root, spawnAs } = await ownedTempDir('gomeet-pgbouncer-');
  const port = await freePort();
  const ini = join(root, 'pgbouncer.ini');
  await writeFile(join(root, 'userlist.txt'), `"${user}" ""\n`);
  await writeFile(
    ini,
    [
      '[databases]',
      `gomeet = host=127.0.0.1 port=${primaryPort} dbname=gomeet`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(root, 'userlist.txt')}`,
      `admin_users = ${user}`,
      `max_client_conn = ${opts.maxClientConn}`,
      `default_pool_size = ${opts.defaultPoolSize ?? 20}`,
      'pool_mode = transaction',
      '',
    ].join('\n'),
  );
  if (spawnAs.uid !== undefined) for (const f of ['pgbouncer.ini', 'userlist.txt']) await chown(join(root, f), spawnAs.uid, spawnAs.gid!);
  const child = spawn('pgbouncer', [ini], { ...spawnAs, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const stop = async () => {
    await stopChild(child, 'SIGINT');
    await rm(root, { recursive: true, force: true });
    untrackDir(root);
  };
  const adminUrl = `postgresql://${user}@127.0.0.1:${port}/pgbouncer`;
  try {
    await untilConnects(adminUrl, () => child.exitCode !== null, tailOf(child), 'SHOW VERSION');
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, adminUrl, stop };
}
