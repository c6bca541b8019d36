/**
 * Production safety (issue 7): a target file marked `environment: production` is loaded only when
 * the operator says so (--confirm-production), and then only with smoke-sized load unless they
 * also pass --lift-production-cap. A wrong --target in a CI job must not put a release-scale load
 * on real users.
 *
 * The cap is the smoke profile's size (PRODUCTION_CAP): signaling sessions, API rate, SFU
 * participants in all rooms, and how long each part runs. A larger profile is refused, not
 * quietly shrunk: a verdict from a different load than the one asked for would be misread.
 *
 * Pure: `run` and `search` call it after the target file is read and before anything starts.
 */
import type { Target } from '../../lib/config/target.ts';
import { PROFILES, type Profile } from '../../lib/profiles.ts';
import { UsageError } from '../exit-codes.ts';

export interface ProductionFlags {
  confirmProduction?: boolean;
  liftProductionCap?: boolean;
}

/** The load a profile puts on a target, in the units the cap is stated in. */
export interface LoadSize {
  wsSessions: number;
  apiRatePerSec: number;
  sfuParticipants: number;
  /** Seconds from the first to the last request of the longest part (API, sessions, rooms). */
  durationSec: number;
}

export function loadSize(p: Profile): LoadSize {
  const sfuJoinSec = Math.ceil((p.sfu.rooms * p.sfu.participantsPerRoom) / Math.max(1, p.sfu.joinRatePerSec));
  return {
    wsSessions: p.websocket.connections,
    apiRatePerSec: p.api.ratePerSec,
    sfuParticipants: p.sfu.rooms * p.sfu.participantsPerRoom,
    durationSec: Math.max(p.api.rampSec + p.api.steadySec, p.websocket.rampSec + p.websocket.holdSec, sfuJoinSec + p.sfu.holdSec),
  };
}

/** The most a production target gets without --lift-production-cap: the smoke profile's load. */
export const PRODUCTION_CAP: LoadSize = loadSize(PROFILES.smoke);

const LABELS: Record<keyof LoadSize, string> = {
  wsSessions: 'signaling sessions',
  apiRatePerSec: 'API req/s',
  sfuParticipants: 'SFU participants',
  durationSec: 'seconds',
};

/** Each part of the load above the cap, e.g. `signaling sessions 25000 > 500`; empty when within. */
export function overProductionCap(p: Profile, cap: LoadSize = PRODUCTION_CAP): string[] {
  const size = loadSize(p);
  return (Object.keys(LABELS) as (keyof LoadSize)[]).filter((k) => size[k] > cap[k]).map((k) => `${LABELS[k]} ${size[k]} > ${cap[k]}`);
}

/**
 * Throws a one-line UsageError when this load may not go to this target; otherwise returns a note
 * for the progress log (or undefined for a target that is not production).
 * `profile` is the largest load the command would send (for `search`, the profile at --max).
 */
export function checkProductionSafety(
  target: Pick<Target, 'name' | 'environment'>,
  profile: Profile,
  flags: ProductionFlags,
  command: 'run' | 'search' = 'run',
): string | undefined {
  if (flags.liftProductionCap && !flags.confirmProduction) {
    throw new UsageError('--lift-production-cap only applies together with --confirm-production');
  }
  if (target.environment !== 'production') return undefined;
  if (!flags.confirmProduction) {
    throw new UsageError(
      `target '${target.name}' is environment: production: add --confirm-production to ${command} against it (load is capped at smoke size unless --lift-production-cap is added too)`,
    );
  }
  if (flags.liftProductionCap) return `production target '${target.name}': confirmed, cap lifted (--lift-production-cap)`;
  const over = overProductionCap(profile);
  if (over.length > 0) {
    throw new UsageError(
      `target '${target.name}' is production and ${command === 'search' ? `the search's largest step` : `profile '${profile.name}'`} exceeds the production cap (${over.join(', ')}): use smoke-sized load, or add --lift-production-cap to send it`,
    );
  }
  return `production target '${target.name}': confirmed, load within the production cap (smoke size)`;
}
