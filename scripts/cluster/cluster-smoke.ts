/**
 * infra-smoke against a fresh cluster stack: the in-cluster servers (Prometheus, InfluxDB, Redis,
 * PostgreSQL, PgBouncer) through `kubectl port-forward` on 127.0.0.1, the public endpoints by the
 * seed's domains, the generated secrets as the checks' environment; the same checks and decision
 * as `smoke` (profile smoke: is the stack healthy — `run` judges capacity for its own profile).
 */
import { PROFILES } from '../../lib/profiles.ts';
import type { CheckResult } from '../../infra-smoke/check.ts';
import { blockingFailures, preflightChecks, runChecks } from '../../infra-smoke/preflight.ts';
import { formatSummary, formatTable } from '../../infra-smoke/table.ts';
import type { StackSecrets } from '../../deploy/gomeet/options.ts';
import type { PortForward } from '../clients/kubectl.ts';
import { clusterTarget, FORWARDED, type ForwardedServer, type ServerAddresses, type TargetPlace } from './cluster-target.ts';
import { smokeEnv } from './stack-secrets.ts';
import type { StackKubectl } from './stack-kubectl.ts';

export interface SmokeOutcome {
  ok: boolean;
  results: CheckResult[];
}

/** Runs the checks; in a dry run only the port-forwards are printed and no check is made. */
export async function smokeClusterStack(k: StackKubectl, place: TargetPlace, secrets: StackSecrets, log: (text: string) => void): Promise<SmokeOutcome> {
  const forwards: PortForward[] = [];
  try {
    const at = {} as ServerAddresses;
    for (const [server, f] of Object.entries(FORWARDED) as [ForwardedServer, (typeof FORWARDED)[ForwardedServer]][]) {
      const fwd = await (f.loadTest ? k.loadTest : k.gomeet).portForward(f.resource, f.port);
      forwards.push(fwd);
      at[server] = `127.0.0.1:${fwd.localPort}`;
    }
    const target = clusterTarget(place, at);
    if (k.gomeet.dryRun) {
      log(`[dry-run] infra-smoke against ${target.name} (api ${target.api.baseUrl}, in-cluster servers on the forwarded ports): not run`);
      return { ok: true, results: [] };
    }
    const results = await runChecks(preflightChecks(target, { ...process.env, ...smokeEnv(secrets) }, PROFILES.smoke));
    log(formatTable(results));
    log(formatSummary(results));
    return { ok: blockingFailures(results).length === 0, results };
  } finally {
    for (const f of forwards) f.close();
  }
}
