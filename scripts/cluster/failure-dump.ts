/**
 * What a failed bring-up leaves to read before it is torn down: each namespace's pod table and
 * `describe pods` (events say why a pod is Pending or crash-looping), and the last log lines of
 * every pod that is not Running and ready. Printed, since the namespace is gone a moment later.
 */
import type { Kubectl } from '../clients/kubectl.ts';
import type { StackKubectl } from './stack-kubectl.ts';

export const LOG_TAIL_LINES = 100;

interface PodList {
  items?: Array<{ metadata: { name: string }; status?: { phase?: string; containerStatuses?: Array<{ ready?: boolean }> } }>;
}

/** Pods not Running with every container ready: the ones whose logs explain a failed rollout. */
export function unhealthyPods(list: PodList | undefined): string[] {
  return (list?.items ?? []).filter((p) => p.status?.phase !== 'Running' || !(p.status.containerStatuses ?? []).every((c) => c.ready)).map((p) => p.metadata.name);
}

async function dumpNamespace(k: Kubectl, log: (text: string) => void): Promise<void> {
  log(`--- pods (${k.describeTarget()})`);
  log(await k.describePods());
  const pods = unhealthyPods((await k.getList(['pods'])) as PodList | undefined);
  for (const pod of pods) {
    log(`--- logs of ${pod} (last ${LOG_TAIL_LINES} lines)`);
    log(await k.logs(pod, LOG_TAIL_LINES));
  }
}

/** Never throws: a dump that fails half-way must not stop the teardown after it. */
export async function dumpFailure(k: StackKubectl, log: (text: string) => void): Promise<void> {
  for (const client of [k.gomeet, k.loadTest]) {
    try {
      await dumpNamespace(client, log);
    } catch (err) {
      log(`(dump incomplete: ${(err as Error).message})`);
    }
  }
}
