/**
 * Where each signaling session sits in the whole test — pure arithmetic, no k6 imports, so it is
 * unit-tested in Node. Session k (0 ≤ k < connections) of the whole test opens at
 * k / connections × rampSec after the scenario starts, whichever VU or runner holds it: the ramp is
 * one ramp even when k6-operator or `--execution-segment` splits the VUs over several processes.
 */

/** A session that has not joined this long after its socket was created counts as a failed connect. */
export const JOIN_TIMEOUT_MS = 10_000;

/** VUs that hold `connections` sessions, `perVU` each (the last VU may hold fewer). */
export function websocketVUs(connections: number, perVU: number): number {
  return Math.ceil(connections / perVU);
}

/** The sessions one VU holds: global indexes first … first + count − 1. `vuIndex` is the VU's
 *  unique index in the test (`exec.scenario.iterationInTest` of its single iteration). */
export function sessionsOfVU(vuIndex: number, perVU: number, connections: number): { first: number; count: number } {
  const first = vuIndex * perVU;
  return { first, count: Math.max(0, Math.min(perVU, connections - first)) };
}

/** ms after the scenario start at which session k opens. */
export function openOffsetMs(k: number, connections: number, rampSec: number): number {
  return Math.floor((k * rampSec * 1000) / connections);
}

/** ms after the scenario start at which every session that is still joined is counted and closed. */
export function holdEndOffsetMs(rampSec: number, holdSec: number): number {
  return (rampSec + holdSec) * 1000;
}

/** Meeting (index into the meetings created in setup) session k joins: sessions spread evenly,
 *  consecutive sessions in different meetings so every meeting fills during the whole ramp. */
export function meetingOfSession(k: number, meetings: number): number {
  return k % meetings;
}

/** Signaling URL (index) session k opens: round-robin within each meeting, so one meeting's
 *  participants land on every signaling process and its events must fan out through Redis. */
export function signalingUrlOfSession(k: number, meetings: number, urls: number): number {
  return Math.floor(k / meetings) % urls;
}

/**
 * Sessions one runner of `runners` holds, when `run` splits the test into equal execution segments
 * (runner i of n: `--execution-segment i/n:(i+1)/n`). k6 stripes equal segments round-robin, so
 * runner i gets the VUs whose index is i mod n. This runner's own count thresholds use it: its
 * counters only see its own sessions.
 */
export function sessionsOfRunner(runnerId: number, runners: number, connections: number, perVU: number): number {
  let total = 0;
  for (let vu = runnerId; vu < websocketVUs(connections, perVU); vu += runners) total += sessionsOfVU(vu, perVU, connections).count;
  return total;
}
