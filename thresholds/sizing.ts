/**
 * The seed's sizing (GoMeet deployment guide, ../shared/seed: "Component Details", "Resource
 * Requirements", "Performance Testing") as one piece of data. Three things read it:
 *   - infra-smoke's capacity checks (Redis maxclients, PgBouncer, replicas, LiveKit nodes),
 *   - `smoke --conformance`, which compares a live cluster's objects with it (infra-smoke/conformance),
 *   - deploy/ (the manifests `cluster up` applies), so a fresh deployment conforms by construction.
 *
 * Object names are the seed's (`kubectl scale deployment livekit-sfu`, `redis-master-0`,
 * `postgres-primary-0`, `deployment/pgbouncer`, `livekit-sfu-hpa`). Where the seed gives a figure
 * "per node" (SFU, PostgreSQL, Redis) it is the node pool's machine size, not a pod's limit, and is
 * checked on the nodes of that pool. The seed is not consistent with itself in one place: its
 * resource table has 20 workers, while its SFU alone has 25 nodes (plus 4 PostgreSQL and 12 Redis
 * ones in the cost table); both are kept as written and checked separately.
 *
 * Pure data + types: imported by Node code only, but free of Node and k6 imports.
 */

/** CPU in cores (4000m = 4), memory in GB as the seed writes it (read as either GB or GiB). */
export interface ContainerLimits {
  cpuCores: number;
  memoryGB: number;
}

export interface HpaSizing {
  minReplicas: number;
  maxReplicas: number;
  /** Scale up above this average CPU utilization (% of requests). Absent where the seed is silent. */
  cpuUtilizationPct?: number;
  /** A per-pod custom metric and its average target (the SFU's participants per node). */
  podsMetric?: { name: string; averageValue: number };
}

export interface WorkloadSizing {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  /** The container whose limits are the seed's figures. */
  container: string;
  replicas: number;
  hpa?: HpaSizing;
  limits?: ContainerLimits;
  /** Size of each replica's volume (volumeClaimTemplates), GB. */
  storageGB?: number;
  /** The seed's words this comes from. */
  seed: string;
}

/** Machines of one role, found by a node label (the manifests pin that role's pods to them). */
export interface NodePoolSizing {
  pool: string;
  /** Label every node of the pool carries (the manifests' nodeSelector). */
  label: { key: string; value: string };
  nodes: number;
  vcpu: number;
  memoryGB: number;
  seed: string;
}

/** One key of a ConfigMap that must hold a setting (a line `name value`, `name = value`, or YAML). */
export interface ConfigSetting {
  configMap: string;
  key: string;
  /** Setting name inside that file (dotted path for YAML). */
  setting: string;
  /** Expected value; `atLeast` for capacities where more is fine. */
  value: number | string;
  atLeast?: boolean;
  seed: string;
}

export const POOL_LABEL = 'gomeet.io/pool';

export const SEED_SIZING = {
  namespace: 'gomeet',
  /** "Resource Requirements": Kubernetes Workers, 16 vCPU / 64 GB, 20 nodes. */
  workers: { nodes: 20, vcpu: 16, memoryGB: 64, seed: 'Kubernetes Workers | 16 | 64GB | 1TB | 20' },
  nodePools: [
    { pool: 'sfu', label: { key: POOL_LABEL, value: 'sfu' }, nodes: 25, vcpu: 16, memoryGB: 64, seed: 'LiveKit SFU: 25 nodes, 16 vCPU, 64GB RAM per node' },
    { pool: 'postgres', label: { key: POOL_LABEL, value: 'postgres' }, nodes: 4, vcpu: 16, memoryGB: 64, seed: 'PostgreSQL: 1 primary + 3 replicas, 16 vCPU, 64GB RAM per node' },
    { pool: 'redis', label: { key: POOL_LABEL, value: 'redis' }, nodes: 12, vcpu: 8, memoryGB: 32, seed: 'Redis: 6 masters + 6 replicas, 8 vCPU, 32GB RAM per node' },
  ] satisfies NodePoolSizing[],
  workloads: [
    {
      kind: 'Deployment',
      name: 'livekit-sfu',
      container: 'livekit',
      replicas: 25,
      hpa: { minReplicas: 15, maxReplicas: 50, cpuUtilizationPct: 70, podsMetric: { name: 'livekit_participants_total', averageValue: 400 } },
      seed: '25 nodes dengan auto-scaling (15-50 nodes); scale up: CPU > 70% atau participants > 400 per node',
    },
    { kind: 'Deployment', name: 'auth-service', container: 'auth-service', replicas: 8, hpa: { minReplicas: 8, maxReplicas: 20 }, limits: { cpuCores: 4, memoryGB: 8 }, seed: 'Auth Service: 8 replicas (4000m CPU, 8GB RAM) - Auto-scale 8-20' },
    { kind: 'Deployment', name: 'meeting-service', container: 'meeting-service', replicas: 12, hpa: { minReplicas: 12, maxReplicas: 30 }, limits: { cpuCores: 4, memoryGB: 8 }, seed: 'Meeting Service: 12 replicas (4000m CPU, 8GB RAM) - Auto-scale 12-30' },
    { kind: 'Deployment', name: 'signaling-service', container: 'signaling-service', replicas: 25, hpa: { minReplicas: 25, maxReplicas: 60 }, limits: { cpuCores: 6, memoryGB: 12 }, seed: 'Signaling Service: 25 replicas (6000m CPU, 12GB RAM) - Auto-scale 25-60' },
    { kind: 'Deployment', name: 'chat-service', container: 'chat-service', replicas: 10, hpa: { minReplicas: 10, maxReplicas: 25 }, limits: { cpuCores: 3, memoryGB: 6 }, seed: 'Chat Service: 10 replicas (3000m CPU, 6GB RAM) - Auto-scale 10-25' },
    { kind: 'Deployment', name: 'turn-service', container: 'coturn', replicas: 8, hpa: { minReplicas: 8, maxReplicas: 20 }, limits: { cpuCores: 2, memoryGB: 4 }, seed: 'TURN Service: 8 replicas (2000m CPU, 4GB RAM) - Auto-scale 8-20' },
    { kind: 'Deployment', name: 'traefik', container: 'traefik', replicas: 6, hpa: { minReplicas: 6, maxReplicas: 15 }, limits: { cpuCores: 4, memoryGB: 8 }, seed: 'Traefik: 6 replicas dengan auto-scaling (6-15 nodes), 4 vCPU, 8GB RAM per replica' },
    { kind: 'StatefulSet', name: 'postgres-primary', container: 'postgres', replicas: 1, seed: 'PostgreSQL: 1 primary + 3 replicas' },
    { kind: 'StatefulSet', name: 'postgres-replica', container: 'postgres', replicas: 3, seed: 'PostgreSQL: 1 primary + 3 replicas' },
    { kind: 'Deployment', name: 'pgbouncer', container: 'pgbouncer', replicas: 2, seed: 'Connection pooling dengan PgBouncer (5000 max connections); replicas: the suite’s choice (two for availability), not the seed’s' },
    { kind: 'StatefulSet', name: 'redis-master', container: 'redis', replicas: 6, seed: 'Redis: 6 masters + 6 replicas' },
    { kind: 'StatefulSet', name: 'redis-replica', container: 'redis', replicas: 6, seed: 'Redis: 6 masters + 6 replicas' },
    { kind: 'StatefulSet', name: 'prometheus', container: 'prometheus', replicas: 2, limits: { cpuCores: 8, memoryGB: 16 }, storageGB: 500, seed: 'Prometheus: 2 replicas (8 vCPU, 16GB RAM) - 500GB storage' },
    { kind: 'Deployment', name: 'grafana', container: 'grafana', replicas: 3, limits: { cpuCores: 2, memoryGB: 4 }, seed: 'Grafana: 3 replicas (2 vCPU, 4GB RAM) - 50GB storage' },
    { kind: 'StatefulSet', name: 'alertmanager', container: 'alertmanager', replicas: 2, limits: { cpuCores: 1, memoryGB: 2 }, storageGB: 20, seed: 'AlertManager: 2 replicas (1 vCPU, 2GB RAM) - 20GB storage' },
  ] satisfies WorkloadSizing[],
  redis: { masters: 6, replicasPerMaster: 1, maxClients: 50_000, seed: 'Redis 6 masters + 6 replicas; support untuk 50,000 concurrent connections' },
  postgres: { primaries: 1, replicas: 3, seed: '1 primary + 3 replicas' },
  pgbouncer: { maxClientConn: 5_000, seed: 'Connection pooling dengan PgBouncer (5000 max connections)' },
  sfu: { participantsPerNode: 400, minNodes: 15, nodes: 25, maxNodes: 50, seed: 'scale up: participants > 400 per node; 25 nodes (15-50)' },
  /** Traefik "Enhanced rate limiting (1000 req/min API, 2000 req/min WebSocket)". */
  rateLimits: { apiPerMin: 1_000, websocketPerMin: 2_000 },
  /** API services "Connection pooling dengan 500 max connections". */
  servicePoolMaxConnections: 500,
  /** `prepare-load-test`: "500 participants per meeting, 100 concurrent meetings, 50,000 total". */
  loadTest: { participantsPerMeeting: 500, meetings: 100, totalParticipants: 50_000 },
} as const;

/** The settings kept in ConfigMaps that conformance reads back (deploy/ writes them there). */
export const CONFIG_SETTINGS: ConfigSetting[] = [
  { configMap: 'redis-config', key: 'redis.conf', setting: 'maxclients', value: SEED_SIZING.redis.maxClients, atLeast: true, seed: SEED_SIZING.redis.seed },
  { configMap: 'pgbouncer-config', key: 'pgbouncer.ini', setting: 'max_client_conn', value: SEED_SIZING.pgbouncer.maxClientConn, atLeast: true, seed: SEED_SIZING.pgbouncer.seed },
  { configMap: 'traefik-dynamic', key: 'dynamic.yaml', setting: 'http.middlewares.api-rate-limit.rateLimit.average', value: SEED_SIZING.rateLimits.apiPerMin, seed: '1000 req/min API' },
  { configMap: 'traefik-dynamic', key: 'dynamic.yaml', setting: 'http.middlewares.api-rate-limit.rateLimit.period', value: '1m', seed: '1000 req/min API' },
  { configMap: 'traefik-dynamic', key: 'dynamic.yaml', setting: 'http.middlewares.ws-rate-limit.rateLimit.average', value: SEED_SIZING.rateLimits.websocketPerMin, seed: '2000 req/min WebSocket' },
  { configMap: 'traefik-dynamic', key: 'dynamic.yaml', setting: 'http.middlewares.ws-rate-limit.rateLimit.period', value: '1m', seed: '2000 req/min WebSocket' },
  { configMap: 'gomeet-services-config', key: 'DB_POOL_MAX_CONNECTIONS', setting: 'DB_POOL_MAX_CONNECTIONS', value: SEED_SIZING.servicePoolMaxConnections, seed: 'Connection pooling dengan 500 max connections' },
];

/** Nodes the SFU needs for `participants` at the seed's scale-up point (400 per node). */
export function sfuNodesFor(participants: number): number {
  return Math.max(1, Math.ceil(participants / SEED_SIZING.sfu.participantsPerNode));
}
