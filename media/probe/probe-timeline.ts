/**
 * When a probe stops. Browsers on a busy machine connect seconds apart, so a fixed "connect +
 * duration" would leave a subscriber measuring only the tail of a publisher that connected late.
 * Instead:
 *
 *  - a subscriber measures for durationSec from its first readable frame, which must come within
 *    connectTimeoutSec of its connect (else `no_video`);
 *  - a publisher stays at least durationSec + publisherLingerSec, then until every subscriber that
 *    reads it has come and gone — but never longer than connectTimeoutSec beyond that;
 *  - a publisher that sends nothing within connectTimeoutSec fails `no_video`.
 *
 * Pure: the k6 helper calls nextStep() after every drain; unit tests call it with made-up clocks.
 */
import type { ProbeRole } from './page-api.ts';

export interface ProbeProgress {
  role: ProbeRole;
  connectedAtMs: number;
  /** Subscriber: first clock frame read; publisher: first interval with video sent. */
  firstVideoAtMs: number | undefined;
  /** Publisher: subscribers of the plan that read its video … */
  watchersExpected: number;
  /** … how many of them it has seen in the room so far … */
  watchersSeen: number;
  /** … and how many are in the room now. */
  watchersPresent: number;
}

export interface TimelinePlan {
  durationSec: number;
  connectTimeoutSec: number;
  publisherLingerSec: number;
}

export type ProbeStep = 'continue' | 'done' | 'no_video';

export function nextStep(p: ProbeProgress, nowMs: number, plan: TimelinePlan): ProbeStep {
  const s = 1000;
  if (p.firstVideoAtMs === undefined) return nowMs > p.connectedAtMs + plan.connectTimeoutSec * s ? 'no_video' : 'continue';
  if (p.role === 'subscriber') return nowMs >= p.firstVideoAtMs + plan.durationSec * s ? 'done' : 'continue';
  const soft = p.connectedAtMs + (plan.durationSec + plan.publisherLingerSec) * s;
  const hard = soft + plan.connectTimeoutSec * s;
  if (nowMs >= hard) return 'done';
  const watchersDone = p.watchersSeen >= p.watchersExpected && p.watchersPresent === 0;
  return nowMs >= soft && watchersDone ? 'done' : 'continue';
}
