/**
 * Redis in cluster mode (the seed's "6 masters + 6 replicas", 8 vCPU / 32 GB per node, 50,000
 * connections): StatefulSets `redis-master` and `redis-replica` (`kubectl exec redis-master-0`),
 * one pod per Redis node, the shared `redis-config` (maxclients from the sizing), headless Services
 * for stable pod names, and the Job `redis-cluster-init` the seed waits on
 * (`kubectl wait --for=condition=complete job/redis-cluster-init`): it joins the masters into one
 * cluster, then gives each master its replica.
 */
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { meta, selectorOf } from './labels.ts';
import type { ResolvedOptions } from './options.ts';
import { dataVolume, nodePool, poolResources, poolSelector, workloadSizing } from './sizing.ts';

export const REDIS_PORT = 6379;
/** The AOF and RDB of a node holding up to its 32 GB of data, twice over during a rewrite. */
const VOLUME = '64Gi';

const podHost = (o: ResolvedOptions, set: string, i: number) => `${set}-${i}.${set}.${o.namespace}.svc.cluster.local`;

/** `host:port` of every master, for clients that take a seed list (LiveKit, the services). */
export function redisMasterAddresses(o: ResolvedOptions): string[] {
  return Array.from({ length: SEED_SIZING.redis.masters }, (_, i) => `${podHost(o, 'redis-master', i)}:${REDIS_PORT}`);
}

export function redisConfig(o: ResolvedOptions): ConfigMap {
  const conf = [
    `port ${REDIS_PORT}`,
    'cluster-enabled yes',
    'cluster-config-file /data/nodes.conf',
    'cluster-node-timeout 5000',
    'appendonly yes',
    // The seed: "Support untuk 50,000 concurrent connections".
    `maxclients ${SEED_SIZING.redis.maxClients}`,
    // "Multi-threading untuk high throughput", "active defragmentation".
    'io-threads 4',
    'activedefrag yes',
    'maxmemory-policy noeviction',
  ].join('\n');
  return new ConfigMap({ metadata: meta('redis-config', o.namespace, 'redis'), data: { 'redis.conf': `${conf}\n` } });
}

function redisSet(o: ResolvedOptions, name: 'redis-master' | 'redis-replica'): [StatefulSet, Service] {
  const w = workloadSizing(name);
  const pool = nodePool('redis');
  const set = new StatefulSet({
    metadata: meta(name, o.namespace, name, { labels: { 'gomeet.io/component': 'redis' } }),
    spec: {
      serviceName: name,
      replicas: w.replicas,
      selector: { matchLabels: selectorOf(name) },
      template: {
        metadata: { labels: { ...selectorOf(name), 'gomeet.io/component': 'redis' } },
        spec: {
          nodeSelector: poolSelector(pool),
          volumes: [{ name: 'config', configMap: { name: 'redis-config' } }],
          containers: [
            {
              name: w.container,
              image: o.images.redis,
              // Announce the pod IP: cluster peers and clients must reach this pod, not a Service.
              command: ['redis-server', '/etc/redis/redis.conf', '--cluster-announce-ip', '$(POD_IP)'],
              env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              ports: [
                { name: 'redis', containerPort: REDIS_PORT },
                { name: 'cluster-bus', containerPort: REDIS_PORT + 10000 },
              ],
              resources: poolResources(pool),
              readinessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5 },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/redis' },
                { name: 'data', mountPath: '/data' },
              ],
            },
          ],
        },
      },
      volumeClaimTemplates: dataVolume(VOLUME),
    },
  });
  const headless = new Service({
    metadata: meta(name, o.namespace, name),
    spec: { clusterIP: 'None', selector: selectorOf(name), ports: [{ name: 'redis', port: REDIS_PORT }] },
  });
  return [set, headless];
}

/** The init script: idempotent (a formed cluster is left alone), addresses resolved to IPs because
 *  `redis-cli --cluster` wants them. */
export function clusterInitScript(o: ResolvedOptions): string {
  const n = SEED_SIZING.redis.masters;
  const lines = [
    'set -eu',
    'ip() { until getent hosts "$1" >/dev/null; do sleep 2; done; getent hosts "$1" | cut -d" " -f1; }',
    `if redis-cli -h ${podHost(o, 'redis-master', 0)} cluster info | grep -q cluster_state:ok; then echo "cluster already formed"; exit 0; fi`,
    `MASTERS=""; for i in $(seq 0 ${n - 1}); do MASTERS="$MASTERS $(ip redis-master-$i.redis-master.${o.namespace}.svc.cluster.local):${REDIS_PORT}"; done`,
    'redis-cli --cluster create $MASTERS --cluster-yes',
    `FIRST=$(ip ${podHost(o, 'redis-master', 0)}):${REDIS_PORT}`,
    `for i in $(seq 0 ${n - 1}); do`,
    `  ID=$(redis-cli -h redis-master-$i.redis-master.${o.namespace}.svc.cluster.local cluster myid)`,
    `  redis-cli --cluster add-node $(ip redis-replica-$i.redis-replica.${o.namespace}.svc.cluster.local):${REDIS_PORT} "$FIRST" --cluster-slave --cluster-master-id "$ID"`,
    'done',
  ];
  return lines.join('\n');
}

export function redisCluster(o: ResolvedOptions): Array<ConfigMap | StatefulSet | Service | Job> {
  const init = new Job({
    metadata: meta('redis-cluster-init', o.namespace, 'redis-cluster-init'),
    spec: {
      backoffLimit: 10,
      template: {
        metadata: { labels: selectorOf('redis-cluster-init') },
        spec: { restartPolicy: 'OnFailure', containers: [{ name: 'init', image: o.images.redis, command: ['sh', '-c', clusterInitScript(o)] }] },
      },
    },
  });
  return [redisConfig(o), ...redisSet(o, 'redis-master'), ...redisSet(o, 'redis-replica'), init];
}
