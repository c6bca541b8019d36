/**
 * `cluster status`: each workload's ready/desired replicas and the pods that are not Running and
 * ready, per namespace. Exit 0 when everything is rolled out, 1 when something is not (a script can
 * wait on it); in a dry run only the kubectl calls are printed.
 */
import { EXIT } from '../exit-codes.ts';
import type { Kubectl } from '../clients/kubectl.ts';
import { unhealthyPods } from './failure-dump.ts';
import type { StackKubectl } from './stack-kubectl.ts';

interface WorkloadList {
  items?: Array<{ kind: string; metadata: { name: string }; spec?: { replicas?: number }; status?: { readyReplicas?: number } }>;
}

export interface WorkloadState {
  workload: string;
  ready: number;
  desired: number;
}

export function workloadStates(list: WorkloadList | undefined): WorkloadState[] {
  return (list?.items ?? []).map((w) => ({ workload: `${w.kind}/${w.metadata.name}`, ready: w.status?.readyReplicas ?? 0, desired: w.spec?.replicas ?? 1 }));
}

async function namespaceStatus(k: Kubectl, log: (text: string) => void): Promise<boolean> {
  const states = workloadStates((await k.getList(['deployments', 'statefulsets'])) as WorkloadList | undefined);
  const pods = await k.getList(['pods']);
  if (k.dryRun) return true;
  log(`${k.describeTarget()}:`);
  if (states.length === 0) log('  no workloads');
  const width = Math.max(0, ...states.map((s) => s.workload.length));
  for (const s of states) log(`  ${s.workload.padEnd(width)}  ${s.ready}/${s.desired} ready${s.ready < s.desired ? '  ← rolling out or failing' : ''}`);
  const sick = unhealthyPods(pods as Parameters<typeof unhealthyPods>[0]);
  log(`  pods: ${pods?.items.length ?? 0}${sick.length ? `, not ready: ${sick.join(', ')}` : ', all ready'}`);
  return states.length > 0 && states.every((s) => s.ready >= s.desired) && sick.length === 0;
}

export async function clusterStatus(k: StackKubectl, log: (text: string) => void): Promise<number> {
  const gomeet = await namespaceStatus(k.gomeet, log);
  const loadTest = await namespaceStatus(k.loadTest, log);
  return gomeet && loadTest ? EXIT.go : EXIT.noGo;
}
