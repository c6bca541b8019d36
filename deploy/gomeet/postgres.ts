/**
 * PostgreSQL (the seed's "1 primary + 3 replicas", 16 vCPU / 64 GB per node) and PgBouncer
 * ("5000 max connections"): StatefulSets `postgres-primary` (`kubectl exec postgres-primary-0`)
 * and `postgres-replica` (streaming standbys cloned with pg_basebackup -R), Services, and the
 * `pgbouncer` Deployment with `pgbouncer-config` (max_client_conn from the sizing) in front of the
 * primary. The seed's "4 shards" are a schema decision inside GoMeet, not objects here.
 */
import { type Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { deploymentOf } from './deployment.ts';
import { meta, selectorOf } from './labels.ts';
import { fromSecret, SECRET_KEYS, SECRET_NAME } from './namespace.ts';
import { DB_USER, type ResolvedOptions } from './options.ts';
import { dataVolume, nodePool, poolResources, poolSelector, workloadSizing } from './sizing.ts';

export const POSTGRES_PORT = 5432;
export const PGBOUNCER_PORT = 6432;
/** The seed's worker disk ("1TB"); it gives no database volume of its own. */
const VOLUME = '1Ti';
/** The services' pools ("500 max connections") reach PostgreSQL through PgBouncer's server side;
 *  a little above it leaves room for replication and a person with psql. */
const MAX_CONNECTIONS = SEED_SIZING.servicePoolMaxConnections + 100;
/** PgBouncer's own footprint: not sized by the seed. */
const PGBOUNCER_RESOURCES = { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } };

const PGDATA = '/var/lib/postgresql/data/pgdata';

/** Creates the replication role on first start of the primary (docker-entrypoint-initdb.d). */
const INIT_REPLICATION = 'psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d gomeet -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD \'$REPLICATION_PASSWORD\'"\necho "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"\n';

/** A standby's first start: clone the primary and write standby.signal (-R); later starts skip it. */
const CLONE_PRIMARY = `[ -s "${PGDATA}/PG_VERSION" ] || PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h postgres-primary -U replicator -D "${PGDATA}" -R -X stream -P`;

function postgresSet(o: ResolvedOptions, name: 'postgres-primary' | 'postgres-replica'): StatefulSet {
  const w = workloadSizing(name);
  const pool = nodePool('postgres');
  const env = [fromSecret('POSTGRES_PASSWORD', SECRET_KEYS.postgresPassword), fromSecret('REPLICATION_PASSWORD', SECRET_KEYS.replicationPassword), { name: 'PGDATA', value: PGDATA }, { name: 'POSTGRES_DB', value: 'gomeet' }, { name: 'POSTGRES_USER', value: DB_USER }];
  const data = { name: 'data', mountPath: '/var/lib/postgresql/data' };
  return new StatefulSet({
    metadata: meta(name, o.namespace, name, { labels: { 'gomeet.io/component': 'postgres' } }),
    spec: {
      serviceName: name,
      replicas: w.replicas,
      selector: { matchLabels: selectorOf(name) },
      template: {
        // The seed waits on `-l app=postgres`; with one `app` per StatefulSet, both carry
        // gomeet.io/component=postgres for that (scripts/cluster waits on it).
        metadata: { labels: { ...selectorOf(name), 'gomeet.io/component': 'postgres' } },
        spec: {
          nodeSelector: poolSelector(pool),
          volumes: name === 'postgres-primary' ? [{ name: 'init', configMap: { name: 'postgres-init' } }] : [],
          initContainers: name === 'postgres-replica' ? [{ name: 'clone-primary', image: o.images.postgres, command: ['sh', '-c', CLONE_PRIMARY], env, volumeMounts: [data] }] : [],
          containers: [
            {
              name: w.container,
              image: o.images.postgres,
              args: ['-c', `max_connections=${MAX_CONNECTIONS}`, '-c', 'wal_level=replica', '-c', 'max_wal_senders=10', '-c', 'hot_standby=on'],
              env,
              ports: [{ name: 'postgres', containerPort: POSTGRES_PORT }],
              resources: poolResources(pool),
              readinessProbe: { exec: { command: ['pg_isready', '-U', DB_USER, '-d', 'gomeet'] }, periodSeconds: 5 },
              volumeMounts: [data, ...(name === 'postgres-primary' ? [{ name: 'init', mountPath: '/docker-entrypoint-initdb.d' }] : [])],
            },
          ],
        },
      },
      volumeClaimTemplates: dataVolume(VOLUME),
    },
  });
}

export function pgbouncerConfig(o: ResolvedOptions): ConfigMap {
  const ini = [
    '[databases]',
    `gomeet = host=postgres-primary.${o.namespace}.svc.cluster.local port=${POSTGRES_PORT} dbname=gomeet`,
    '',
    '[pgbouncer]',
    `listen_addr = 0.0.0.0`,
    `listen_port = ${PGBOUNCER_PORT}`,
    'auth_type = scram-sha-256',
    'auth_file = /etc/pgbouncer/secret/userlist.txt',
    'pool_mode = transaction',
    // The seed: "Connection pooling dengan PgBouncer (5000 max connections)".
    `max_client_conn = ${SEED_SIZING.pgbouncer.maxClientConn}`,
    `default_pool_size = ${Math.floor(SEED_SIZING.servicePoolMaxConnections / 5)}`,
    `admin_users = ${DB_USER}`,
    '',
  ].join('\n');
  return new ConfigMap({ metadata: meta('pgbouncer-config', o.namespace, 'pgbouncer'), data: { 'pgbouncer.ini': ini } });
}

export function postgresCluster(o: ResolvedOptions): Array<ConfigMap | StatefulSet | Service | Deployment> {
  const services = (['postgres-primary', 'postgres-replica'] as const).map(
    (name) => new Service({ metadata: meta(name, o.namespace, name), spec: { selector: selectorOf(name), ports: [{ name: 'postgres', port: POSTGRES_PORT }] } }),
  );
  const pgb = workloadSizing('pgbouncer');
  const pgbouncer = deploymentOf(pgb.name, o.namespace, pgb.replicas, {
    volumes: [
      { name: 'config', configMap: { name: 'pgbouncer-config' } },
      { name: 'secret', secret: { secretName: SECRET_NAME, items: [{ key: 'userlist.txt', path: 'userlist.txt' }] } },
    ],
    containers: [
      {
        name: pgb.container,
        image: o.images.pgbouncer,
        command: ['pgbouncer', '/etc/pgbouncer/pgbouncer.ini'],
        ports: [{ name: 'pgbouncer', containerPort: PGBOUNCER_PORT }],
        resources: PGBOUNCER_RESOURCES,
        readinessProbe: { tcpSocket: { port: PGBOUNCER_PORT }, periodSeconds: 5 },
        volumeMounts: [
          { name: 'config', mountPath: '/etc/pgbouncer/pgbouncer.ini', subPath: 'pgbouncer.ini' },
          { name: 'secret', mountPath: '/etc/pgbouncer/secret', readOnly: true },
        ],
      },
    ],
  });
  const pgbService = new Service({ metadata: meta(pgb.name, o.namespace, pgb.name), spec: { selector: selectorOf(pgb.name), ports: [{ name: 'pgbouncer', port: PGBOUNCER_PORT }] } });
  const init = new ConfigMap({ metadata: meta('postgres-init', o.namespace, 'postgres-primary'), data: { '10-replication.sh': INIT_REPLICATION } });
  return [init, postgresSet(o, 'postgres-primary'), postgresSet(o, 'postgres-replica'), ...services, pgbouncerConfig(o), pgbouncer, pgbService];
}
