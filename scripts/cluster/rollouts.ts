/**
 * Waiting for a bring-up: every Deployment and StatefulSet rendered, in apply order (databases
 * before the services that connect to them), by `kubectl rollout status --timeout`, then the Redis
 * cluster's init Job by `kubectl wait --for=condition=complete` — the seed's own waits.
 */
import type { Manifest, RenderedStack } from '../../deploy/gomeet/index.ts';
import type { StackKubectl } from './stack-kubectl.ts';

export interface Rollout {
  kind: 'deployment' | 'statefulset';
  name: string;
  namespace: string;
}

export function rolloutsOf(stack: RenderedStack): Rollout[] {
  return stack.objects
    .filter((m: Manifest) => m.kind === 'Deployment' || m.kind === 'StatefulSet')
    .map((m) => ({ kind: m.kind.toLowerCase() as Rollout['kind'], name: m.metadata!.name!, namespace: m.metadata!.namespace! }));
}

export async function waitForRollouts(k: StackKubectl, stack: RenderedStack, timeoutSec: number): Promise<void> {
  for (const r of rolloutsOf(stack)) {
    const client = r.namespace === stack.loadTestNamespace ? k.loadTest : k.gomeet;
    await client.rolloutStatus(r.kind, r.name, timeoutSec);
  }
  if (stack.objects.some((m) => m.kind === 'Job' && m.metadata?.name === 'redis-cluster-init')) {
    await k.gomeet.waitFor('job', 'redis-cluster-init', 'complete', timeoutSec);
  }
}
