/**
 * Runs the sfu-room scenario in a media lab (a network namespace with only `lo`, livekit-server in
 * it): werift bots and Chromium probes in the same rooms at the same time, bounded, and judged.
 *
 *   1. plan (room-plan.ts): rooms, bot run, probe plan, bound; impaired paths, if any, checked and
 *      each started as its own impaired-path helper (impaired-probes.ts, impaired-helpers.ts), their
 *      probes sent through it and tagged with its label
 *   2. probe tokens minted here (the bots mint their own inside their workers, from the same
 *      environment variables — never a file or an argument)
 *   3. bots (media/runner runBotsInNetns) and probes (media/probe runProbes) start together; each is
 *      bounded by itself, and a failure of one is recorded, not thrown: the other still counts
 *   4. the impaired-path helpers stopped (whatever happened before), their relay counts kept
 *   5. judge (observe.ts) and write the artifacts into <outDir>: bots.jsonl, probes/ (k6 samples,
 *      summary, log), media.json (plan, context, observations, impaired paths), media.md (the tables)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LiveKitCredentials } from '../../../lib/livekit/token.ts';
import type { SfuLoad } from '../../../lib/profiles.ts';
import type { ProbeSpec } from '../../../media/probe/plan.ts';
import { runProbes } from '../../../media/probe/run-probes.ts';
import { mintProbeTokens } from '../../../media/probe/tokens.ts';
import { runBotsInNetns } from '../../../media/runner/launch.ts';
import { parseRecords } from '../../../media/runner/records.ts';
import type { ThresholdRow } from '../../../thresholds/table.ts';
import { startImpairedHelpers, type ImpairedPathRun } from './impaired-helpers.ts';
import { resolvePaths, routeProbes, type ImpairedProbes } from './impaired-probes.ts';
import { judgeMedia, type BotsOutcome, type MediaJudgement, type ProbesOutcome } from './observe.ts';
import { renderMediaMarkdown } from './report.ts';
import { planSfuRoom, type SfuRoomPlan } from './room-plan.ts';

/** Where the rooms run. */
export interface MediaLabLocation {
  /** Network namespace holding livekit-server (only `lo`). */
  netns: string;
  /** LiveKit URL inside the namespace: ws://127.0.0.1:<port>. */
  livekitUrl: string;
}

export interface SfuRoomInput {
  lab: MediaLabLocation;
  runId: string;
  sfu: SfuLoad;
  /** Effective rows of the run (warm-ups). */
  rows: readonly ThresholdRow[];
  credentials: LiveKitCredentials;
  /** Names of the variables the bots read the key and secret from (the target's). */
  apiKeyEnv: string;
  apiSecretEnv: string;
  outDir: string;
  /** The pinned k6 (ensureK6()). */
  k6Path: string;
  onLine: (line: string) => void;
  /** Cores the bots may use (default 2). */
  cores?: number;
  /** Test and bench seam: groups of probes whose media goes through impaired paths (delay, jitter,
   *  loss), one helper each; the other probes and the bots stay direct. */
  impaired?: ImpairedProbes;
  /** Test seam: change the probe plan's specs (e.g. which publisher a subscriber reads). */
  adjustProbes?: (specs: ProbeSpec[]) => ProbeSpec[];
}

export interface SfuRoomRun extends MediaJudgement {
  plan: SfuRoomPlan;
  startedAt: Date;
  endedAt: Date;
  /** Files written: bots.jsonl, probes/, media.json, media.md. */
  artifacts: string[];
  /** Each impaired path as run, with what its relay did (empty without input.impaired). */
  impairedPaths: ImpairedPathRun[];
}

/** Runs `fn` with the LiveKit credentials in this process's environment under the target's names:
 *  the bot launcher's child inherits them from there (and only from there). Restored afterwards. */
async function withCredentialsInEnv<T>(names: { apiKeyEnv: string; apiSecretEnv: string }, creds: LiveKitCredentials, fn: () => Promise<T>): Promise<T> {
  const before = { key: process.env[names.apiKeyEnv], secret: process.env[names.apiSecretEnv] };
  process.env[names.apiKeyEnv] = creds.apiKey;
  process.env[names.apiSecretEnv] = creds.apiSecret;
  try {
    return await fn();
  } finally {
    for (const [name, value] of [[names.apiKeyEnv, before.key], [names.apiSecretEnv, before.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 4).join(' | ');

export async function runSfuRoom(input: SfuRoomInput): Promise<SfuRoomRun> {
  const plan = planSfuRoom({ runId: input.runId, sfu: input.sfu, livekitUrl: input.lab.livekitUrl, cores: input.cores });
  const outDir = input.outDir;
  await mkdir(outDir, { recursive: true });
  const botsFile = join(outDir, 'bots.jsonl');
  const probesDir = join(outDir, 'probes');

  let specs = input.adjustProbes ? input.adjustProbes(plan.probes.probes) : plan.probes.probes;
  // Checked before any helper starts: a bad path is refused with nothing to clean up.
  const paths = input.impaired ? resolvePaths(specs, input.impaired.paths) : [];
  const impaired = input.impaired
    ? await startImpairedHelpers({ netns: input.lab.netns, sfuHttpPort: input.impaired.sfuHttpPort, sfuUdpPort: input.impaired.sfuUdpPort, paths, maxLifetimeSec: plan.boundSec + 30 })
    : undefined;
  let impairedPaths: ImpairedPathRun[] = [];
  specs = routeProbes(specs, impaired?.routes ?? []);
  if (impaired) input.onLine(`impaired paths: ${impaired.routes.map((r) => `${r.label} (${r.identities.join(', ')})`).join('; ')}`);
  const probePlan = { ...plan.probes, probes: specs };
  const fullPlan: SfuRoomPlan = { ...plan, probes: probePlan };
  const ttlSec = plan.boundSec + 600;

  input.onLine(
    `${plan.rooms.length} room(s) × ${input.sfu.participantsPerRoom}: ${plan.bots.rooms * (plan.bots.publishersPerRoom + plan.bots.subscribersPerRoom)} bots (${plan.bots.workers} worker(s)) + ${specs.length} browser probes, ` +
      `hold ${input.sfu.holdSec} s, bounded at ${plan.boundSec} s; artifacts in ${outDir}`,
  );
  const startedAt = new Date();
  let bots: BotsOutcome;
  let probes: ProbesOutcome;
  // The bots and the probes' k6 each run in their own process group (so workers and browsers go
  // with them): a signal to this process alone would reach neither, so both are stopped from here.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Minted inside the try: the impaired-path helpers are running and must be stopped if it throws.
    const tokens = await mintProbeTokens(specs, input.credentials.apiKey, input.credentials.apiSecret, ttlSec);
    const botRun = withCredentialsInEnv(input, input.credentials, () =>
      runBotsInNetns({ config: plan.bots, outFile: botsFile, run: input.runId, netns: input.lab.netns, apiKeyEnv: input.apiKeyEnv, apiSecretEnv: input.apiSecretEnv, onProgress: (l) => input.onLine(`bots ${l}`), signal: interrupt.signal }),
    ).then(
      async (summary): Promise<BotsOutcome> => ({ summary, records: parseRecords(await readFile(botsFile, 'utf8')) }),
      (err: unknown): BotsOutcome => ({ error: message(err) }),
    );
    const warmupSec = input.rows.find((r) => r.id === 'video_latency_ms')?.warmupSec ?? 0;
    const probeRun = runProbes({ netns: input.lab.netns, k6Path: input.k6Path, outDir: probesDir, plan: probePlan, tokens, warmupSec, signal: interrupt.signal }).then(
      (r): ProbesOutcome => {
        input.onLine(`probes: k6 exited ${r.k6ExitCode ?? 'killed'}; ${r.results.filter((p) => p.ok).length} of ${specs.length} probes ran to the end (log ${r.logPath})`);
        return { results: r.results, pooledLatency: r.pooledLatency, k6ExitCode: r.k6ExitCode };
      },
      (err: unknown): ProbesOutcome => ({ error: message(err) }),
    );
    [bots, probes] = await Promise.all([botRun, probeRun]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    impairedPaths = (await impaired?.stop()) ?? [];
  }
  const endedAt = new Date();

  const judgement = judgeMedia({ plan: fullPlan, rows: input.rows, bots, probes });
  const mediaJson = join(outDir, 'media.json');
  const mediaMd = join(outDir, 'media.md');
  await writeFile(
    mediaJson,
    `${JSON.stringify(
      {
        runId: input.runId,
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        sfu: input.sfu,
        plan: { rooms: fullPlan.rooms, bots: fullPlan.bots, probes: fullPlan.probes, boundSec: fullPlan.boundSec },
        observations: Object.fromEntries(judgement.observations),
        saturated: judgement.saturated ?? null,
        context: judgement.context,
        impairedPaths,
      },
      null,
      2,
    )}\n`,
  );
  await writeFile(mediaMd, renderMediaMarkdown(fullPlan, judgement, { startedAt, endedAt }));
  return { ...judgement, plan: fullPlan, startedAt, endedAt, artifacts: [botsFile, probesDir, mediaJson, mediaMd], impairedPaths };
}
