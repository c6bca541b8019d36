/**
 * `gomeet-capacity smoke [--target FILE] [--profile P] [--json]` — the pre-flight checks alone:
 *
 *  1. the target: the file given (secrets from the environment), or the local reference stack
 *     (brought up if it is not running, stopped again afterwards unless --keep-stack)
 *  2. every check of infra-smoke/check-set.ts, in parallel, each bounded (5 s); the profile decides
 *     which failures block load — exactly as `run --profile P` would decide before sending any
 *  3. a table (or JSON); exit 0 when nothing blocks, 2 when a required check failed (what `run`
 *     would refuse with)
 *
 * `smoke --conformance [--context CTX] [--namespace NS] [--snapshot FILE]` compares a cluster
 * (kubectl get … -o json, or a recorded List) with the seed's sizing instead: exit 0 when it
 * conforms, 1 on any drift, 2 when the cluster cannot be read.
 */
import { readFile } from 'node:fs/promises';
import { loadTarget, type Target } from '../lib/config/target.ts';
import { isProfileName, PROFILE_NAMES, PROFILES } from '../lib/profiles.ts';
import { compareWithSizing } from '../infra-smoke/conformance/compare.ts';
import { formatDrifts } from '../infra-smoke/conformance/report.ts';
import { parseSnapshot, readClusterSnapshot, type ClusterSnapshot } from '../infra-smoke/conformance/snapshot.ts';
import { blockingFailures, preflightChecks, runChecks } from '../infra-smoke/preflight.ts';
import { formatSummary, formatTable } from '../infra-smoke/table.ts';
import { SEED_SIZING } from '../thresholds/sizing.ts';
import { Kubectl } from './clients/kubectl.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { ensureLocalStack, stopLocalStack } from './stack/local-stack.ts';

export interface SmokeFlags {
  target?: string;
  /** Which load the checks gate for (as `run --profile`); default smoke. */
  profile?: string;
  json?: boolean;
  keepStack?: boolean;
  conformance?: boolean;
  context?: string;
  namespace?: string;
  /** A recorded `kubectl get … -o json` List instead of a live cluster (--conformance). */
  snapshot?: string;
}

/** Progress goes to stderr so `--json` stdout stays one JSON document. */
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

async function smokeTarget(flags: SmokeFlags): Promise<{ target: Target; env: NodeJS.ProcessEnv; release: () => Promise<void> }> {
  if (flags.target) return { target: await loadTarget(flags.target), env: process.env, release: async () => {} };
  progress('smoke: no --target: using the local reference stack');
  const stack = await ensureLocalStack({ onProgress: progress });
  return {
    target: await loadTarget(stack.targetFile),
    env: { ...process.env, ...stack.env },
    release: async () => {
      if (stack.startedByUs && !flags.keepStack) {
        progress('smoke: stopping the local stack this command started (--keep-stack leaves it up)');
        await stopLocalStack({ onProgress: progress });
      }
    },
  };
}

/** A recorded List; a missing, unreadable or non-List file is bad input (one line, exit 2), not a crash. */
async function readSnapshotFile(file: string): Promise<ClusterSnapshot> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message.split('\n')[0];
    throw new UsageError(`--snapshot ${file}: ${why}`);
  }
  try {
    return parseSnapshot(doc, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function conformanceCommand(flags: SmokeFlags): Promise<number> {
  const namespace = flags.namespace ?? SEED_SIZING.namespace;
  let snapshot: ClusterSnapshot;
  if (flags.snapshot) {
    snapshot = await readSnapshotFile(flags.snapshot);
  } else {
    const kubectl = new Kubectl({ context: flags.context, namespace, dryRun: false, onCommand: progress });
    try {
      snapshot = await readClusterSnapshot(kubectl);
    } catch (err) {
      throw new UsageError(`cannot read the cluster: ${(err as Error).message}`);
    }
  }
  const drifts = compareWithSizing(snapshot, namespace);
  if (flags.json) console.log(JSON.stringify({ namespace, drifts }, null, 2));
  else console.log(formatDrifts(drifts, snapshot.source));
  return drifts.length === 0 ? EXIT.go : EXIT.noGo;
}

export async function smokeCommand(flags: SmokeFlags): Promise<number> {
  if (flags.conformance) return conformanceCommand(flags);
  if (flags.context || flags.snapshot) throw new UsageError('--context and --snapshot go with --conformance');
  const profileName = flags.profile ?? 'smoke';
  if (!isProfileName(profileName)) throw new UsageError(`unknown profile '${profileName}' (one of ${PROFILE_NAMES.join(', ')})`);
  const source = await smokeTarget(flags);
  try {
    const results = await runChecks(preflightChecks(source.target, source.env, PROFILES[profileName]));
    const blocking = blockingFailures(results);
    if (flags.json) {
      console.log(JSON.stringify({ target: source.target.name, profile: profileName, ok: blocking.length === 0, checks: results }, null, 2));
    } else {
      console.log(`smoke: ${source.target.name}, checks for profile ${profileName}`);
      console.log(formatTable(results));
      console.log(formatSummary(results));
    }
    return blocking.length === 0 ? EXIT.go : EXIT.usage;
  } finally {
    await source.release();
  }
}
