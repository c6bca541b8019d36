/**
 * thresholds/sizing.ts turned into Kubernetes fields: replicas, container resources, HPAs, the
 * node pool a workload is pinned to. Nothing here restates a figure of the seed.
 */
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPersistentVolumeClaim, IResourceRequirements } from 'kubernetes-models/v1';
import { SEED_SIZING, type NodePoolSizing, type WorkloadSizing } from '../../thresholds/sizing.ts';
import { meta } from './labels.ts';

export function workloadSizing(name: string): WorkloadSizing {
  const w = (SEED_SIZING.workloads as readonly WorkloadSizing[]).find((x) => x.name === name);
  if (!w) throw new Error(`thresholds/sizing.ts has no workload ${name}`);
  return w;
}

export function nodePool(pool: string): NodePoolSizing {
  const p = (SEED_SIZING.nodePools as readonly NodePoolSizing[]).find((x) => x.pool === pool);
  if (!p) throw new Error(`thresholds/sizing.ts has no node pool ${pool}`);
  return p;
}

/** Requests are half the limits: the HPA's CPU % is a share of the request, so 70 % of half a
 *  limit scales out well before a pod reaches its ceiling. */
export const REQUEST_SHARE_OF_LIMIT = 0.5;
/** A pool-pinned server (SFU, PostgreSQL, Redis) requests this share of its machine: more than
 *  half, so the scheduler puts exactly one on each node, and the rest is left to the kubelet and
 *  daemonsets. The seed sizes these per node, not per pod. */
export const POOL_SHARE_OF_NODE = 0.75;

const gi = (gb: number) => `${Math.round(gb * 1000) / 1000}Gi`;
const cores = (n: number) => (Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`);

/** Limits as the seed gives them (4000m → "4", 8GB → "8Gi") and requests at REQUEST_SHARE_OF_LIMIT. */
export function resourcesOf(w: WorkloadSizing): IResourceRequirements {
  if (!w.limits) throw new Error(`${w.name}: the seed gives no limits (use poolResources)`);
  const { cpuCores, memoryGB } = w.limits;
  return {
    requests: { cpu: cores(cpuCores * REQUEST_SHARE_OF_LIMIT), memory: gi(memoryGB * REQUEST_SHARE_OF_LIMIT) },
    limits: { cpu: cores(cpuCores), memory: gi(memoryGB) },
  };
}

/** One pod per node of `pool`: requests only (a limit would cap the SFU below its machine). */
export function poolResources(pool: NodePoolSizing): IResourceRequirements {
  return { requests: { cpu: cores(Math.floor(pool.vcpu * POOL_SHARE_OF_NODE)), memory: gi(Math.floor(pool.memoryGB * POOL_SHARE_OF_NODE)) } };
}

export const poolSelector = (pool: NodePoolSizing): Record<string, string> => ({ [pool.label.key]: pool.label.value });

/** Where the seed is silent on a service's CPU target it says "Scale up: CPU > 70%" for the SFU;
 *  the same point is used for every HPA. */
export const DEFAULT_CPU_UTILIZATION_PCT = 70;
/** "Scale down: CPU < 30% selama 5 menit": no scale-down until 5 minutes of low load. */
export const SCALE_DOWN_WINDOW_SEC = 300;

/** `<name>-hpa` (the seed's `livekit-sfu-hpa`) on the workload, with the seed's range and metrics. */
export function hpaFor(w: WorkloadSizing, namespace: string): HorizontalPodAutoscaler {
  if (!w.hpa) throw new Error(`${w.name}: the seed gives no autoscaling range`);
  const { minReplicas, maxReplicas, cpuUtilizationPct, podsMetric } = w.hpa;
  return new HorizontalPodAutoscaler({
    metadata: meta(`${w.name}-hpa`, namespace, w.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: w.kind, name: w.name },
      minReplicas,
      maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuUtilizationPct ?? DEFAULT_CPU_UTILIZATION_PCT } } },
        // A custom per-pod metric needs a metrics adapter (prometheus-adapter) in the cluster;
        // without one the HPA scales on CPU alone and reports this metric as unavailable.
        ...(podsMetric ? [{ type: 'Pods', pods: { metric: { name: podsMetric.name }, target: { type: 'AverageValue', averageValue: String(podsMetric.averageValue) } } }] : []),
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: SCALE_DOWN_WINDOW_SEC } },
    },
  });
}

/** The one volume claim a stateful server keeps its data on (`data`, ReadWriteOnce, the default StorageClass). */
export function dataVolume(storage: string): Array<Omit<IPersistentVolumeClaim, 'apiVersion' | 'kind'>> {
  return [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } }];
}
