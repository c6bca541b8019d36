/**
 * `cluster down`: delete the stack's namespaces (GoMeet's and the load-test side's) and wait until
 * they are gone. The k6-operator stays: it is cluster-wide, and another run's TestRuns may use it.
 */
import type { ClusterSettings } from './cluster-flags.ts';
import type { StackKubectl } from './stack-kubectl.ts';

export async function clusterDown(k: StackKubectl, s: ClusterSettings, log: (text: string) => void): Promise<void> {
  log(`cluster down: deleting namespaces ${s.namespace} and ${s.loadTestNamespace} (context ${s.context})`);
  await k.gomeet.deleteNamespace(s.namespace, s.timeoutSec);
  await k.gomeet.deleteNamespace(s.loadTestNamespace, s.timeoutSec);
}
