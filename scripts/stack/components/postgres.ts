/**
 * PostgreSQL 15: a cluster of its own in the stack's data dir (initdb on first start), loopback
 * only, unix socket in the stack's run dir, pg_stat_statements loaded. After every start the role
 * and database `gomeet` are ensured (idempotent) with the password from secrets.env.
 */
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { postgresMaxConnections, renderPostgresConf } from '../../../stack/config/postgresql-conf.ts';
import {
  chownToServerUser,
  initdb,
  pgCtlStop,
  pgIsReady,
  postgresInstalled,
  postgresLaunch,
  psqlAdmin,
  serverUserCanEnter,
  PG_BIN,
} from '../../clients/postgres.ts';
import { tcp, type Component, type StackContext } from '../component.ts';
import { dataDirOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { SERVICE_PG_POOL, SERVICE_PG_PROCESSES } from '../service-env.ts';

const INCLUDE_FILE = 'gomeet-stack.conf';

export const postgresDataDir = (ctx: StackContext): string => join(dataDirOf(ctx.layout, 'postgres'), 'cluster');
export const postgresSocketDir = (ctx: StackContext): string => join(ctx.layout.runDir, 'postgres-socket');

// Role, database and extension, each only if missing; the password is (re)set from the env var
// through psql's \getenv so it is never on a command line or in a log.
const BOOTSTRAP_SQL = `
\\getenv gomeet_password GOMEET_PG_PASSWORD
SELECT 'CREATE ROLE gomeet LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gomeet') \\gexec
ALTER ROLE gomeet LOGIN PASSWORD :'gomeet_password';
GRANT pg_monitor TO gomeet;
SELECT 'CREATE DATABASE gomeet OWNER gomeet' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'gomeet') \\gexec
\\connect gomeet
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
`;

async function prepareCluster(ctx: StackContext): Promise<void> {
  const dataDir = postgresDataDir(ctx);
  const socketDir = postgresSocketDir(ctx);
  for (const dir of [dataDirOf(ctx.layout, 'postgres'), socketDir]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chownToServerUser(dir);
  }
  if (!(await serverUserCanEnter(socketDir))) {
    throw new Error(`postgres: the postgres user cannot reach ${socketDir}; make every parent of ${ctx.layout.root} searchable (chmod o+x)`);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    ctx.onProgress('postgres: creating a new cluster (initdb)');
    await initdb(dataDir);
    await appendFile(join(dataDir, 'postgresql.conf'), `\ninclude_if_exists = '${INCLUDE_FILE}'\n`);
  }
  const conf = renderPostgresConf({
    port: ctx.ports.postgres,
    socketDir,
    maxConnections: postgresMaxConnections(SERVICE_PG_POOL, SERVICE_PG_PROCESSES),
  });
  const confFile = join(dataDir, INCLUDE_FILE);
  const previous = existsSync(confFile) ? await readFile(confFile, 'utf8') : null;
  if (previous !== conf) {
    await writeFile(confFile, conf);
    await chmod(confFile, 0o644);
  }
}

export const postgres: Component = {
  name: 'postgres',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.postgres, 'postgres')],
  processMarker: `${PG_BIN}/postgres`,
  readyTimeoutSec: 60,
  async unavailable() {
    return postgresInstalled() ? null : `PostgreSQL 15 is not installed (${PG_BIN}); run: gomeet-capacity setup`;
  },
  async start(ctx) {
    await prepareCluster(ctx);
    return startDetached(postgresLaunch(postgresDataDir(ctx)), logFileOf(ctx.layout, 'postgres'), pidFileOf(ctx.layout, 'postgres'));
  },
  healthy: (ctx) => pgIsReady(ctx.host, ctx.ports.postgres),
  async afterReady(ctx) {
    await psqlAdmin(postgresSocketDir(ctx), ctx.ports.postgres, BOOTSTRAP_SQL, { GOMEET_PG_PASSWORD: ctx.secrets.GOMEET_PG_PASSWORD });
  },
  async stop(ctx) {
    await pgCtlStop(postgresDataDir(ctx));
  },
};
