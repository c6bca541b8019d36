/**
 * The media step of `run`: the sfu-room scenario for the profile, measured, as observations of the
 * four media rows. Two halves, so every input problem is found before any load:
 *
 *   prepareMediaStep (before load)
 *     - the profile gates no media row → nothing to do
 *     - where the rooms can run (lab-location.ts); none for a cluster target → the rows get a note
 *       saying so (not measured); none for the local stack → UsageError (exit 2: its lab is broken)
 *     - the plan is valid, the key/secret variables are set, the rooms can be created with the key
 *       and the server's per-room limit holds the plan (a full room is found here, not mid-run)
 *   step.run() (with the k6 load or after it, per profile.sfu.phase)
 *     - runSfuRoom (run-room.ts): bots + probes, bounded, judged; artifacts in <out>/media/
 *     - media outside 127.0.0.0/8 → `loopbackViolation` (run fails the run on it)
 */
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Target } from '../../../lib/config/target.ts';
import { credentialsFromEnv, type LiveKitCredentials } from '../../../lib/livekit/token.ts';
import type { Profile } from '../../../lib/profiles.ts';
import { redactSecrets } from '../../../media/probe/redact.ts';
import type { Observation } from '../../../reports/observation.ts';
import type { RowId, ThresholdRow } from '../../../thresholds/table.ts';
import { requireRoot } from '../../clients/netns.ts';
import { UsageError } from '../../exit-codes.ts';
import { locateMediaLab } from './lab-location.ts';
import { MEDIA_ROWS } from './observe.ts';
import { planSfuRoom, type SfuRoomPlan } from './room-plan.ts';
import { runSfuRoom, type MediaLabLocation } from './run-room.ts';

export interface MediaStepInput {
  target: Target;
  /** Holds the variables target.livekit names (the local stack's secrets are added by `run`). */
  env: NodeJS.ProcessEnv;
  /** The target is the local stack `run` brought up or reused (its lab must work). */
  localStack: boolean;
  profile: Profile;
  runId: string;
  /** Effective rows of the run. */
  rows: readonly ThresholdRow[];
  /** The run's out dir; media artifacts go to <outDir>/media. */
  outDir: string;
  k6Path: string;
  onLine: (line: string) => void;
  /** Namespace of the lab (default the local stack's; tests use their own). */
  netns?: string;
}

export interface MediaOutcome {
  observations: Map<RowId, Observation>;
  /** The bots or browsers could not keep up: the run is INCONCLUSIVE with this reason. */
  saturated?: { reason: string };
  /** Set when some media pair left 127.0.0.0/8: the run must fail. */
  loopbackViolation?: string;
  /** One line for the terminal: the loopback proof. */
  loopbackStatement?: string;
}

export interface MediaStep {
  /** When the rooms run: with the k6 load, after it, or not at all (`none`). */
  phase: 'with-load' | 'after-load' | 'none';
  run(): Promise<MediaOutcome>;
}

export function gatesMedia(profile: Profile): boolean {
  return profile.gates.some((id) => MEDIA_ROWS.includes(id));
}

const allRows = (note: string): Map<RowId, Observation> => new Map(MEDIA_ROWS.map((id) => [id, { observed: null, note }]));

/** Creates the run's rooms (fresh names) and checks the server's limit holds the plan. */
async function createRooms(target: Target, creds: LiveKitCredentials, plan: SfuRoomPlan, perRoom: number): Promise<void> {
  const http = target.livekit.url.replace(/^ws/, 'http');
  const client = new RoomServiceClient(http, creds.apiKey, creds.apiSecret);
  for (const name of plan.rooms) {
    let room;
    try {
      // Empty rooms close after this; the participants arrive within the step's bound.
      room = await client.createRoom({ name, emptyTimeout: plan.boundSec + 120 });
    } catch (err) {
      const text = redactSecrets(err instanceof Error ? err.message : String(err), [creds.apiSecret]);
      throw new UsageError(`LiveKit refused to create room ${name} at ${http}: ${text.slice(0, 200)} (is ${target.livekit.apiKeyEnv}/${target.livekit.apiSecretEnv} the server's key pair?)`);
    }
    if (room.maxParticipants > 0 && room.maxParticipants < perRoom) {
      throw new UsageError(`LiveKit limits room ${name} to ${room.maxParticipants} participants but the profile puts ${perRoom} in each room: raise room.max_participants on the server or lower sfu.participantsPerRoom`);
    }
  }
}

export async function prepareMediaStep(input: MediaStepInput): Promise<MediaStep> {
  const { profile, target } = input;
  if (!gatesMedia(profile)) return { phase: 'none', run: async () => ({ observations: new Map() }) };
  const found = await locateMediaLab(target, { localStack: input.localStack, netns: input.netns });
  if ('missing' in found) {
    if (input.localStack) throw new UsageError(`the local stack's media lab is not usable: ${found.missing}`);
    input.onLine(found.missing);
    return { phase: 'none', run: async () => ({ observations: allRows(found.missing) }) };
  }
  requireRoot('the media step (bots and browsers in the SFU\'s network namespace)');
  const lab: MediaLabLocation = found.lab;
  let creds: LiveKitCredentials;
  try {
    creds = credentialsFromEnv(target.livekit.apiKeyEnv, target.livekit.apiSecretEnv, input.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let plan: SfuRoomPlan;
  try {
    plan = planSfuRoom({ runId: input.runId, sfu: profile.sfu, livekitUrl: lab.livekitUrl });
  } catch (err) {
    throw new UsageError(`profile ${profile.name}: ${(err as Error).message}`);
  }
  await createRooms(target, creds, plan, profile.sfu.participantsPerRoom);

  return {
    phase: profile.sfu.phase,
    async run(): Promise<MediaOutcome> {
      let r;
      try {
        r = await runSfuRoom({
          lab,
          runId: input.runId,
          sfu: profile.sfu,
          rows: input.rows,
          credentials: creds,
          apiKeyEnv: target.livekit.apiKeyEnv,
          apiSecretEnv: target.livekit.apiSecretEnv,
          outDir: join(input.outDir, 'media'),
          k6Path: input.k6Path,
          onLine: input.onLine,
        });
      } catch (err) {
        // Bots and probes record their own failures; this is the step itself breaking (a bug, a full disk).
        const why = `the media step failed: ${redactSecrets(err instanceof Error ? err.message : String(err), [creds.apiSecret]).split('\n')[0]}`;
        input.onLine(why);
        return { observations: allRows(why) };
      }
      input.onLine(`loopback: ${r.loopback.statement}`);
      if (r.saturated) input.onLine(`generator saturated: ${r.saturated.reason}`);
      return {
        observations: r.observations,
        ...(r.saturated ? { saturated: r.saturated } : {}),
        ...(r.loopback.violations.length ? { loopbackViolation: r.loopback.statement } : {}),
        loopbackStatement: r.loopback.statement,
      };
    },
  };
}
