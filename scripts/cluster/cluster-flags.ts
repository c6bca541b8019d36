/**
 * `cluster up|down|status|prepare` flags, checked before anything runs: a bad one is a UsageError
 * (one line, exit 2). --context is required wherever kubectl is called, so a bring-up or a teardown
 * never lands on whatever context happens to be current.
 */
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { UsageError } from '../exit-codes.ts';

export const CLUSTER_ACTIONS = ['up', 'down', 'status', 'prepare'] as const;
export type ClusterAction = (typeof CLUSTER_ACTIONS)[number];

export interface ClusterFlags {
  context?: string;
  dryRun?: boolean;
  namespace?: string;
  imageTag?: string;
  domain?: string;
  /** Seconds each rollout may take (`kubectl rollout status --timeout`). */
  timeoutSec?: string;
  /** prepare: where the target file and the profile note go. */
  out?: string;
}

export interface ClusterSettings {
  action: ClusterAction;
  context?: string;
  dryRun: boolean;
  namespace: string;
  loadTestNamespace: string;
  imageTag?: string;
  domain: string;
  timeoutSec: number;
  out: string;
}

/** The seed waits 600 s for its databases ("increased timeout for large scale"). */
export const DEFAULT_ROLLOUT_TIMEOUT_SEC = 600;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A Docker tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function parseClusterFlags(action: string, flags: ClusterFlags): ClusterSettings {
  if (!(CLUSTER_ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown cluster action '${action}' (one of ${CLUSTER_ACTIONS.join(', ')})`);
  const a = action as ClusterAction;
  if (a !== 'prepare' && !flags.context) throw new UsageError(`cluster ${a} needs --context CTX (the kubectl context to ${a === 'status' ? 'read' : 'change'}; never the current one by default)`);
  const namespace = flags.namespace ?? SEED_SIZING.namespace;
  if (!DNS_LABEL.test(namespace)) throw new UsageError(`--namespace '${namespace}' is not a Kubernetes namespace name (lowercase letters, digits, '-', ≤ 63)`);
  if (flags.imageTag !== undefined && !IMAGE_TAG.test(flags.imageTag)) throw new UsageError(`--image-tag '${flags.imageTag}' is not an image tag (letters, digits, _ . -, ≤ 128)`);
  const domain = flags.domain ?? 'gomeet.com';
  if (!DOMAIN.test(domain)) throw new UsageError(`--domain '${domain}' is not a domain name`);
  const timeoutSec = flags.timeoutSec === undefined ? DEFAULT_ROLLOUT_TIMEOUT_SEC : Number(flags.timeoutSec);
  if (!Number.isInteger(timeoutSec) || timeoutSec < 10 || timeoutSec > 7200) throw new UsageError(`--timeout-sec must be a whole number of seconds from 10 to 7200 (got '${flags.timeoutSec}')`);
  return {
    action: a,
    context: flags.context,
    dryRun: !!flags.dryRun,
    namespace,
    // The load-test side follows a custom namespace, so two stacks on one cluster never share it.
    loadTestNamespace: flags.namespace ? `${namespace}-capacity` : 'gomeet-capacity',
    imageTag: flags.imageTag,
    domain,
    timeoutSec,
    out: flags.out ?? `runs/cluster-${namespace}`,
  };
}
