/**
 * One kubectl client per namespace of the stack (GoMeet's and the load-test side's), both on the
 * same context and dry-run setting. Tests hand in a factory with a recording runner.
 */
import { Kubectl, type CommandRunner, type ForwardStarter } from '../clients/kubectl.ts';
import type { ClusterSettings } from './cluster-flags.ts';

export interface StackKubectl {
  gomeet: Kubectl;
  loadTest: Kubectl;
}

export interface KubectlSeams {
  kubectlPath?: string;
  run?: CommandRunner;
  forward?: ForwardStarter;
  onCommand?: (line: string) => void;
}

export function stackKubectl(s: ClusterSettings, seams: KubectlSeams = {}): StackKubectl {
  const make = (namespace: string) => new Kubectl({ context: s.context, namespace, dryRun: s.dryRun, ...seams });
  return { gomeet: make(s.namespace), loadTest: make(s.loadTestNamespace) };
}
