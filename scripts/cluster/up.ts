/**
 * `cluster up`: the GoMeet stack and the load-test side onto a cluster, step by step:
 *
 *  1. render deploy/gomeet with fresh secrets; validate every object (nothing invalid is sent)
 *  2. `kubectl apply --server-side` of the whole list (manifests on stdin, Secret never in argv),
 *     then the k6-operator's upstream bundle by URL
 *  3. wait for every rollout in apply order, then the Redis cluster's init Job
 *  4. print the Traefik LoadBalancer's address (the seed's DNS step points api./livekit. at it)
 *  5. infra-smoke against the stack (cluster-smoke.ts)
 *
 * A failure at 2–5 dumps pod state and logs, tears the stack down, and ends in a UsageError (exit 2:
 * no load was sent). --dry-run prints every kubectl call and manifest (secrets redacted) and makes none.
 */
import { renderStack, type RenderedStack } from '../../deploy/gomeet/index.ts';
import type { StackSecrets } from '../../deploy/gomeet/options.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import type { ClusterSettings } from './cluster-flags.ts';
import { smokeClusterStack, type SmokeOutcome } from './cluster-smoke.ts';
import type { TargetPlace } from './cluster-target.ts';
import { clusterDown } from './down.ts';
import { dumpFailure } from './failure-dump.ts';
import { waitForRollouts } from './rollouts.ts';
import { generateSecrets } from './stack-secrets.ts';
import type { StackKubectl } from './stack-kubectl.ts';

export interface UpSeams {
  secrets?: StackSecrets;
  smoke?: (k: StackKubectl, place: TargetPlace, secrets: StackSecrets, log: (text: string) => void) => Promise<SmokeOutcome>;
}

export function renderFor(s: ClusterSettings, secrets: StackSecrets): RenderedStack {
  return renderStack({ namespace: s.namespace, loadTestNamespace: s.loadTestNamespace, domain: s.domain, ...(s.imageTag ? { imageTag: s.imageTag } : {}), secrets });
}

interface LoadBalancerService {
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

async function reportGateway(k: StackKubectl, s: ClusterSettings, log: (text: string) => void): Promise<void> {
  const svc = (await k.gomeet.getJson('service', 'traefik')) as LoadBalancerService | undefined;
  if (k.gomeet.dryRun) return;
  const ingress = svc?.status?.loadBalancer?.ingress?.[0];
  const address = ingress?.ip ?? ingress?.hostname;
  log(address ? `cluster up: traefik LoadBalancer at ${address}: point api.${s.domain} and livekit.${s.domain} at it` : 'cluster up: traefik LoadBalancer address still pending (kubectl get service traefik)');
}

export async function clusterUp(k: StackKubectl, s: ClusterSettings, log: (text: string) => void, seams: UpSeams = {}): Promise<number> {
  const secrets = seams.secrets ?? generateSecrets();
  const stack = renderFor(s, secrets);
  for (const m of stack.objects) m.validate();
  log(`cluster up: ${stack.objects.length} objects into ${s.namespace} and ${s.loadTestNamespace} (context ${s.context})${s.dryRun ? ' — dry run, nothing is changed' : ''}`);
  try {
    await k.gomeet.applyServerSide(stack.objects.map((m) => m.toJSON() as object));
    for (const url of stack.bundleUrls) await k.gomeet.applyUrl(url);
    await waitForRollouts(k, stack, s.timeoutSec);
    await reportGateway(k, s, log);
    const outcome = await (seams.smoke ?? smokeClusterStack)(k, s, secrets, log);
    if (!outcome.ok) throw new Error(`infra-smoke failed: ${outcome.results.filter((r) => r.required && r.status === 'fail').map((r) => r.name).join(', ')}`);
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    log(`cluster up failed: ${why}`);
    await dumpFailure(k, log);
    try {
      await clusterDown(k, s, log);
    } catch (downErr) {
      log(`teardown failed too: ${(downErr as Error).message.split('\n')[0]}`);
    }
    throw new UsageError(`cluster up failed and was torn down: ${why}`);
  }
  log(`cluster up: ${s.dryRun ? 'dry run complete' : 'ready'}; \`cluster prepare\` writes the load-test target`);
  return EXIT.go;
}
