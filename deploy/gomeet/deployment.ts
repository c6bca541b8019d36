/**
 * The Deployment frame every stateless GoMeet component shares: its metadata, replicas, and a pod
 * template selected by `app=<name>` (selectorOf). Callers give only what differs — the pod spec.
 */
import { Deployment } from 'kubernetes-models/apps/v1';
import type { IPodSpec } from 'kubernetes-models/v1';
import { meta, selectorOf } from './labels.ts';

export function deploymentOf(name: string, namespace: string, replicas: number, pod: IPodSpec): Deployment {
  return new Deployment({
    metadata: meta(name, namespace, name),
    spec: {
      replicas,
      selector: { matchLabels: selectorOf(name) },
      template: { metadata: { labels: selectorOf(name) }, spec: pod },
    },
  });
}
