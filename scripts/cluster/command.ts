/**
 * `gomeet-capacity cluster up|down|status|prepare --context CTX [--dry-run] [--namespace N]
 * [--image-tag T] [--domain D] [--timeout-sec S] [--out DIR]`: flags checked, kubectl found (unless
 * dry run, or prepare, which calls none), then the action. Output goes to stdout: the dry run's
 * kubectl calls and manifests are the product.
 */
import { clusterDown } from './down.ts';
import { parseClusterFlags, type ClusterFlags } from './cluster-flags.ts';
import { requireKubectl } from './kubectl-on-path.ts';
import { clusterPrepare } from './prepare.ts';
import { stackKubectl, type KubectlSeams } from './stack-kubectl.ts';
import { clusterStatus } from './status.ts';
import { clusterUp, type UpSeams } from './up.ts';
import { EXIT } from '../exit-codes.ts';

export interface ClusterSeams extends KubectlSeams, UpSeams {
  log?: (text: string) => void;
  /** PATH searched for kubectl (default the process's). */
  path?: string;
}

export async function clusterCommand(action: string, flags: ClusterFlags, seams: ClusterSeams = {}): Promise<number> {
  const s = parseClusterFlags(action, flags);
  const log = seams.log ?? ((text: string) => console.log(text));
  if (s.action === 'prepare') return clusterPrepare(s, log);
  const kubectlPath = s.dryRun ? (seams.kubectlPath ?? 'kubectl') : (seams.kubectlPath ?? requireKubectl(seams.path));
  const k = stackKubectl(s, { ...seams, kubectlPath, onCommand: seams.onCommand ?? log });
  switch (s.action) {
    case 'up':
      return clusterUp(k, s, log, seams);
    case 'down':
      await clusterDown(k, s, log);
      return EXIT.go;
    case 'status':
      return clusterStatus(k, log);
  }
}
