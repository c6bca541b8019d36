/**
 * `cluster prepare`: the seed's `./deploy.sh prepare-load-test` — "load-test-config.json with:
 * target scale 500 participants per meeting, 100 concurrent meetings, 50,000 total" — as this
 * suite uses it, in --out (default runs/cluster-<namespace>):
 *
 *   target.yaml             the stack as a target (cluster-target.ts), validated by the target schema
 *   load-test-config.json   the seed's scale, the profile that runs it, and where it points
 *   PROFILE.md              how to run it, and whether the `full` profile is that scale (it is said,
 *                           not assumed: the profile is read, and a difference is named)
 *
 * No kubectl call; --dry-run prints the files instead of writing them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROFILES } from '../../lib/profiles.ts';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { EXIT } from '../exit-codes.ts';
import type { ClusterSettings } from './cluster-flags.ts';
import { clusterTarget, targetYaml } from './cluster-target.ts';

/** The seed's scale next to what the `full` profile sends; each line where they differ. */
export function profileDifferences(): string[] {
  const want = SEED_SIZING.loadTest;
  const full = PROFILES.full;
  const diffs: string[] = [];
  if (full.websocket.connections !== want.totalParticipants) diffs.push(`signaling connections: profile ${full.websocket.connections}, seed ${want.totalParticipants}`);
  if (full.sfu?.rooms !== want.meetings) diffs.push(`meetings (rooms): profile ${full.sfu?.rooms}, seed ${want.meetings}`);
  if (full.sfu?.participantsPerRoom !== want.participantsPerMeeting) diffs.push(`participants per meeting: profile ${full.sfu?.participantsPerRoom}, seed ${want.participantsPerMeeting}`);
  return diffs;
}

export function loadTestConfig(s: ClusterSettings): Record<string, unknown> {
  return {
    seed: 'prepare-load-test: 500 participants per meeting, 100 concurrent meetings, 50,000 total',
    participantsPerMeeting: SEED_SIZING.loadTest.participantsPerMeeting,
    meetings: SEED_SIZING.loadTest.meetings,
    totalParticipants: SEED_SIZING.loadTest.totalParticipants,
    profile: 'full',
    target: 'target.yaml',
    namespace: s.namespace,
    loadTestNamespace: s.loadTestNamespace,
    ...(s.context ? { context: s.context } : {}),
  };
}

export function profileNote(s: ClusterSettings): string {
  const diffs = profileDifferences();
  const ctx = s.context ?? '<context>';
  return [
    `# Load test of the GoMeet stack in ${s.namespace}`,
    '',
    `The seed's prepare-load-test scale: ${SEED_SIZING.loadTest.participantsPerMeeting} participants per meeting, ${SEED_SIZING.loadTest.meetings} meetings, ${SEED_SIZING.loadTest.totalParticipants.toLocaleString('en-US')} total.`,
    diffs.length === 0 ? 'The `full` profile is exactly that scale (lib/profiles.ts).' : `The \`full\` profile differs from it:\n${diffs.map((d) => `- ${d}`).join('\n')}`,
    '',
    'Run it through the k6-operator, runners inside the cluster (they reach the in-cluster addresses of target.yaml):',
    '',
    '```',
    `gomeet-capacity run --profile full --target ${join(s.out, 'target.yaml')} --cluster --context ${ctx} --namespace ${s.loadTestNamespace}`,
    '```',
    '',
    `Start smaller (\`--profile nightly\`), and size the runners first with \`run --profile full --plan\`.`,
    `Secrets are not in these files: set GOMEET_LOADTEST_PASSWORD, GOMEET_LIVEKIT_API_KEY/SECRET, GOMEET_TURN_SECRET and GOMEET_PG_PASSWORD from the Secret gomeet-secrets in ${s.namespace}.`,
    `The public names (api.${s.domain}, livekit.${s.domain}, turn.${s.domain}) must resolve to the LoadBalancers \`cluster up\` reported.`,
    '',
  ].join('\n');
}

export async function clusterPrepare(s: ClusterSettings, log: (text: string) => void): Promise<number> {
  const target = clusterTarget(s);
  const files: Record<string, string> = {
    'target.yaml': targetYaml(target, `Written by \`gomeet-capacity cluster prepare\` for namespace ${s.namespace}.\nSecrets are never here: the *Env fields name the variables that hold them.`),
    'load-test-config.json': `${JSON.stringify(loadTestConfig(s), null, 2)}\n`,
    'PROFILE.md': profileNote(s),
  };
  if (s.dryRun) {
    for (const [name, text] of Object.entries(files)) log(`[dry-run] would write ${join(s.out, name)}:\n${text}`);
    return EXIT.go;
  }
  await mkdir(s.out, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(s.out, name), text);
  log(`cluster prepare: wrote ${Object.keys(files).map((f) => join(s.out, f)).join(', ')}`);
  for (const d of profileDifferences()) log(`cluster prepare: note — ${d}`);
  return EXIT.go;
}
