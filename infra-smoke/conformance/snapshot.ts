/**
 * A cluster as conformance sees it: the objects of `kubectl get deployments,statefulsets,hpa,
 * configmaps -n NS -o json` plus `kubectl get nodes -o json`, read live or from a recorded List
 * (the same JSON kubectl prints). Only the fields conformance reads are typed.
 */
import type { Kubectl } from '../../scripts/clients/kubectl.ts';

export interface K8sObject {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
}

export interface ClusterSnapshot {
  /** Where it came from (a context, or a file), shown in the report. */
  source: string;
  objects: K8sObject[];
}

/** The namespaced kinds read (kubectl resource names). */
export const NAMESPACED_KINDS = ['deployments', 'statefulsets', 'horizontalpodautoscalers', 'configmaps'] as const;

function isObject(x: unknown): x is K8sObject {
  const o = x as K8sObject;
  return !!o && typeof o === 'object' && typeof o.kind === 'string' && !!o.metadata && typeof o.metadata.name === 'string';
}

/** A kubectl List (or several concatenated into one) → snapshot; throws naming the source when it is not one. */
export function parseSnapshot(doc: unknown, source: string): ClusterSnapshot {
  const list = doc as { kind?: string; items?: unknown[] };
  if (!list || list.kind !== 'List' || !Array.isArray(list.items)) throw new Error(`${source}: not a kubectl List (kind: List, items: […])`);
  const bad = list.items.findIndex((i) => !isObject(i));
  if (bad >= 0) throw new Error(`${source}: items[${bad}] has no kind or metadata.name`);
  return { source, objects: list.items as K8sObject[] };
}

export async function readClusterSnapshot(kubectl: Kubectl): Promise<ClusterSnapshot> {
  const namespaced = await kubectl.getList([...NAMESPACED_KINDS]);
  const nodes = await kubectl.getList(['nodes']);
  const items = [...((namespaced as { items?: unknown[] })?.items ?? []), ...((nodes as { items?: unknown[] })?.items ?? [])];
  return parseSnapshot({ kind: 'List', items }, kubectl.describeTarget());
}

export function objectsOf(snapshot: ClusterSnapshot, kind: string): K8sObject[] {
  return snapshot.objects.filter((o) => o.kind === kind);
}

export function findObject(snapshot: ClusterSnapshot, kind: string, name: string): K8sObject | undefined {
  return snapshot.objects.find((o) => o.kind === kind && o.metadata.name === name);
}
