/**
 * Conformance: a cluster snapshot against the seed's sizing (thresholds/sizing.ts). Every
 * difference is one drift — object, field, expected, observed — never a summary:
 *
 *   workloads   exists; replicas (== seed, or inside the HPA range where there is one); all ready;
 *               the seed's container limits (CPU exact, memory as GB or GiB); volume size
 *   HPAs        one targets the workload; min/max replicas; CPU utilization; the SFU's pods metric
 *   nodes       ≥ 20 workers of 16 vCPU / 64 GB; each pool (sfu, postgres, redis) by its label:
 *               node count and machine size (capacity may be up to 10 % under the nominal GB)
 *   ConfigMaps  Redis maxclients, PgBouncer max_client_conn, Traefik rate limits, service pools
 */
import { CONFIG_SETTINGS, SEED_SIZING, type ConfigSetting, type HpaSizing, type NodePoolSizing, type WorkloadSizing } from '../../thresholds/sizing.ts';
import { atLeastSeedGigabytes, formatBytes, isSeedGigabytes, parseQuantity } from './quantity.ts';
import { readSetting } from './settings.ts';
import { findObject, objectsOf, type ClusterSnapshot, type K8sObject } from './snapshot.ts';

export interface Drift {
  /** `Kind/name` (or `Nodes`, `NodePool/sfu`). */
  object: string;
  field: string;
  expected: string;
  observed: string;
  /** The seed's words the expectation comes from. */
  seed: string;
}

type Json = Record<string, unknown>;
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Json)[k] : undefined), o);

/** A quantity as a number, or NaN: a hand-edited snapshot's `cpu: four` is a drift to report, not a crash. */
function quantity(q: unknown): number {
  try {
    return parseQuantity(String(q));
  } catch {
    return Number.NaN;
  }
}
/** Millicores are decimal fractions (700m × 1e-3 is 0.7000000000000001 in binary), so compare within a hair. */
const sameCores = (a: number, b: number) => Math.abs(a - b) < 1e-9;

interface Container {
  name: string;
  resources?: { limits?: Record<string, string> };
}

function compareLimits(w: WorkloadSizing, obj: K8sObject, id: string): Drift[] {
  if (!w.limits) return [];
  const containers = (get(obj, 'spec.template.spec.containers') as Container[] | undefined) ?? [];
  const c = containers.find((x) => x.name === w.container);
  if (!c) return [{ object: id, field: `container ${w.container}`, expected: 'present', observed: `absent (has: ${containers.map((x) => x.name).join(', ') || 'none'})`, seed: w.seed }];
  const drifts: Drift[] = [];
  const cpu = c.resources?.limits?.cpu;
  if (cpu === undefined || !sameCores(quantity(cpu), w.limits.cpuCores)) {
    drifts.push({ object: id, field: `${w.container} limits.cpu`, expected: `${w.limits.cpuCores} (${w.limits.cpuCores * 1000}m)`, observed: cpu ?? 'none', seed: w.seed });
  }
  const mem = c.resources?.limits?.memory;
  if (mem === undefined || !isSeedGigabytes(quantity(mem), w.limits.memoryGB)) {
    drifts.push({ object: id, field: `${w.container} limits.memory`, expected: `${w.limits.memoryGB}Gi (or ${w.limits.memoryGB}G)`, observed: mem ?? 'none', seed: w.seed });
  }
  return drifts;
}

/** The HPA's CPU target: autoscaling/v2 `metrics[]` or, from an older kubectl/cluster, v1's single field. */
function cpuTarget(hpa: K8sObject, metrics: Json[]): unknown {
  if (hpa.apiVersion === 'autoscaling/v1') return get(hpa, 'spec.targetCPUUtilizationPercentage');
  const cpu = metrics.find((m) => m.type === 'Resource' && get(m, 'resource.name') === 'cpu');
  return cpu ? get(cpu, 'resource.target.averageUtilization') : undefined;
}

function compareHpa(w: WorkloadSizing, hpaSizing: HpaSizing, snapshot: ClusterSnapshot): Drift[] {
  const id = `${w.kind}/${w.name}`;
  const hpa = objectsOf(snapshot, 'HorizontalPodAutoscaler').find((h) => get(h, 'spec.scaleTargetRef.kind') === w.kind && get(h, 'spec.scaleTargetRef.name') === w.name);
  if (!hpa) return [{ object: id, field: 'HorizontalPodAutoscaler', expected: `one targeting ${id} (${hpaSizing.minReplicas}–${hpaSizing.maxReplicas})`, observed: 'none', seed: w.seed }];
  const hid = `HorizontalPodAutoscaler/${hpa.metadata.name}`;
  const drifts: Drift[] = [];
  const min = get(hpa, 'spec.minReplicas') ?? 1;
  const max = get(hpa, 'spec.maxReplicas');
  if (min !== hpaSizing.minReplicas) drifts.push({ object: hid, field: 'spec.minReplicas', expected: String(hpaSizing.minReplicas), observed: String(min), seed: w.seed });
  if (max !== hpaSizing.maxReplicas) drifts.push({ object: hid, field: 'spec.maxReplicas', expected: String(hpaSizing.maxReplicas), observed: String(max), seed: w.seed });
  const metrics = (get(hpa, 'spec.metrics') as Json[] | undefined) ?? [];
  if (hpaSizing.cpuUtilizationPct !== undefined) {
    const observed = cpuTarget(hpa, metrics);
    if (observed !== hpaSizing.cpuUtilizationPct) {
      drifts.push({ object: hid, field: 'cpu averageUtilization', expected: `${hpaSizing.cpuUtilizationPct} %`, observed: observed === undefined ? 'no CPU metric' : `${observed} %`, seed: w.seed });
    }
  }
  if (hpaSizing.podsMetric) {
    const want = hpaSizing.podsMetric;
    const pods = metrics.find((m) => m.type === 'Pods' && get(m, 'pods.metric.name') === want.name);
    const value = pods ? get(pods, 'pods.target.averageValue') : undefined;
    if (value === undefined || !sameCores(quantity(value), want.averageValue)) {
      drifts.push({ object: hid, field: `pods metric ${want.name}`, expected: `averageValue ${want.averageValue}`, observed: pods ? `averageValue ${String(value)}` : 'no such metric', seed: w.seed });
    }
  }
  return drifts;
}

function compareWorkload(w: WorkloadSizing, snapshot: ClusterSnapshot, namespace: string): Drift[] {
  const id = `${w.kind}/${w.name}`;
  const obj = findObject(snapshot, w.kind, w.name);
  if (!obj) return [{ object: id, field: 'object', expected: `present in namespace ${namespace}`, observed: 'missing', seed: w.seed }];
  const drifts: Drift[] = [];
  const replicas = Number(get(obj, 'spec.replicas') ?? 1);
  if (w.hpa) {
    if (replicas < w.hpa.minReplicas || replicas > w.hpa.maxReplicas) {
      drifts.push({ object: id, field: 'spec.replicas', expected: `${w.hpa.minReplicas}–${w.hpa.maxReplicas} (HPA range; seed ${w.replicas})`, observed: String(replicas), seed: w.seed });
    }
    drifts.push(...compareHpa(w, w.hpa, snapshot));
  } else if (replicas !== w.replicas) {
    drifts.push({ object: id, field: 'spec.replicas', expected: String(w.replicas), observed: String(replicas), seed: w.seed });
  }
  const ready = Number(get(obj, 'status.readyReplicas') ?? 0);
  if (ready < replicas) drifts.push({ object: id, field: 'status.readyReplicas', expected: `${replicas} (all)`, observed: String(ready), seed: 'a workload below its replicas is not the sized stack' });
  drifts.push(...compareLimits(w, obj, id));
  if (w.storageGB !== undefined) {
    const templates = (get(obj, 'spec.volumeClaimTemplates') as Json[] | undefined) ?? [];
    const size = templates[0] ? (get(templates[0], 'spec.resources.requests.storage') as string | undefined) : undefined;
    if (size === undefined || !isSeedGigabytes(quantity(size), w.storageGB)) {
      drifts.push({ object: id, field: 'volumeClaimTemplates storage', expected: `${w.storageGB}Gi`, observed: size ?? 'no volume claim', seed: w.seed });
    }
  }
  return drifts;
}

interface NodeSize {
  name: string;
  cpu: number;
  memory: number;
  labels: Record<string, string>;
  controlPlane: boolean;
}

function nodeSizes(snapshot: ClusterSnapshot): NodeSize[] {
  return objectsOf(snapshot, 'Node').map((n) => {
    const labels = n.metadata.labels ?? {};
    return {
      name: n.metadata.name,
      cpu: quantity(get(n, 'status.capacity.cpu') ?? 0),
      memory: quantity(get(n, 'status.capacity.memory') ?? 0),
      labels,
      controlPlane: 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels,
    };
  });
}

const bigEnough = (n: NodeSize, vcpu: number, memoryGB: number) => n.cpu >= vcpu && atLeastSeedGigabytes(n.memory, memoryGB);

function compareNodes(snapshot: ClusterSnapshot): Drift[] {
  const nodes = nodeSizes(snapshot);
  const drifts: Drift[] = [];
  const w = SEED_SIZING.workers;
  const workers = nodes.filter((n) => !n.controlPlane);
  const sized = workers.filter((n) => bigEnough(n, w.vcpu, w.memoryGB));
  if (sized.length < w.nodes) {
    drifts.push({ object: 'Nodes', field: 'workers', expected: `≥ ${w.nodes} of ≥ ${w.vcpu} vCPU / ${w.memoryGB} GB`, observed: `${sized.length} of that size (${workers.length} workers)`, seed: w.seed });
  }
  for (const pool of SEED_SIZING.nodePools as readonly NodePoolSizing[]) {
    const members = nodes.filter((n) => n.labels[pool.label.key] === pool.label.value);
    const id = `NodePool/${pool.pool}`;
    if (members.length < pool.nodes) {
      drifts.push({ object: id, field: `nodes labelled ${pool.label.key}=${pool.label.value}`, expected: `≥ ${pool.nodes}`, observed: String(members.length), seed: pool.seed });
    }
    for (const n of members.filter((m) => !bigEnough(m, pool.vcpu, pool.memoryGB))) {
      drifts.push({ object: `Node/${n.name}`, field: `capacity (pool ${pool.pool})`, expected: `≥ ${pool.vcpu} vCPU / ${pool.memoryGB} GB`, observed: `${n.cpu} vCPU / ${formatBytes(n.memory)}`, seed: pool.seed });
    }
  }
  return drifts;
}

function compareSetting(s: ConfigSetting, snapshot: ClusterSnapshot): Drift[] {
  const id = `ConfigMap/${s.configMap}`;
  const cm = findObject(snapshot, 'ConfigMap', s.configMap);
  const text = cm?.data?.[s.key];
  if (text === undefined) return [{ object: id, field: s.key, expected: `${s.setting} ${s.atLeast ? '≥ ' : ''}${s.value}`, observed: cm ? `no key ${s.key}` : 'missing', seed: s.seed }];
  const observed = readSetting(s.key, text, s.setting);
  const ok = observed !== undefined && (typeof s.value === 'number' ? (s.atLeast ? Number(observed) >= s.value : Number(observed) === s.value) : observed === s.value);
  return ok ? [] : [{ object: id, field: s.key === s.setting ? s.key : `${s.key}: ${s.setting}`, expected: `${s.atLeast ? '≥ ' : ''}${s.value}`, observed: observed ?? 'not set', seed: s.seed }];
}

/** The objects conformance may look at: nodes (cluster-scoped) and what lives in `namespace`. A List
 *  from `kubectl get … -A` holds other namespaces too, and a same-named object there (a staging copy)
 *  must not stand in for the one under test. */
function inNamespace(snapshot: ClusterSnapshot, namespace: string): ClusterSnapshot {
  return { ...snapshot, objects: snapshot.objects.filter((o) => o.metadata.namespace === undefined || o.metadata.namespace === namespace) };
}

/** Every drift of `snapshot` (its `namespace`, default the seed's) from the seed's sizing; empty when the cluster conforms. */
export function compareWithSizing(snapshot: ClusterSnapshot, namespace: string = SEED_SIZING.namespace): Drift[] {
  const scoped = inNamespace(snapshot, namespace);
  return [
    ...(SEED_SIZING.workloads as readonly WorkloadSizing[]).flatMap((w) => compareWorkload(w, scoped, namespace)),
    ...compareNodes(scoped),
    ...CONFIG_SETTINGS.flatMap((s) => compareSetting(s, scoped)),
  ];
}
