/**
 * A run that k6 stopped early (a critical threshold with abortOnFail) never reached the end of the
 * websocket hold window, so "sessions held" is not a measurement of capacity — it is 0 because nobody
 * got to the finish line. Reporting that as a failed ws_connections row would blame the signaling tier
 * for an API failure. Such rows become "no data", with the reason; the verdict is NO_GO anyway from
 * the row that aborted the run.
 */
import type { Profile } from '../../lib/profiles.ts';
import type { Observations } from '../../reports/observation.ts';

/** Seconds of the run before the websocket hold window ends (sessions are counted there). */
export function holdWindowEndSec(profile: Profile): number {
  return profile.websocket.rampSec + profile.websocket.holdSec;
}

export function k6RunDurationMs(summary: unknown): number | undefined {
  const ms = (summary as { state?: { testRunDurationMs?: unknown } } | undefined)?.state?.testRunDurationMs;
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

export function dropCountsOfCutShortRun(observations: Observations, profile: Profile, runDurationMs: number | undefined): Observations {
  if (runDurationMs === undefined || runDurationMs >= holdWindowEndSec(profile) * 1000) return observations;
  const out = new Map(observations);
  const stoppedAt = Math.round(runDurationMs / 1000);
  out.set('ws_connections', {
    observed: null,
    note: `load stopped at ${stoppedAt} s, before the hold window ended at ${holdWindowEndSec(profile)} s: sessions held were never counted`,
  });
  return out;
}
