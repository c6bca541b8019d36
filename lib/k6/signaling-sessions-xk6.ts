/**
 * The signaling sessions one VU holds, in Go (the k6/x/gomeet extension, xk6/signaling): the same
 * sessions as lib/k6/signaling-sessions.ts — same slots, URLs, meetings, frames, join timeout,
 * heartbeats, metrics and count at the hold's end — at ~1/5 of the memory per session, because a
 * session is a goroutine and a small buffer instead of a JS WebSocket object with its own buffers
 * and four goroutines (bench/ws-capacity). The protocol stays here: the extension gets its frames
 * and reply types from lib/k6/signaling.ts.
 *
 * Unlike the k6/websockets design this call blocks the VU's iteration until the hold ends.
 */
import { sleep } from 'k6';
import { holdSessions as holdInGo } from 'k6/x/gomeet';
import type { SessionsPlan } from './signaling-sessions.ts';
import { WS_METRICS } from './metric-names.ts';
// Importing the metrics creates them in the init context, where the extension finds them by name.
import { wsConnectSuccess } from './metrics.ts';
import { holdEndOffsetMs, JOIN_TIMEOUT_MS, meetingOfSession, openOffsetMs, signalingUrlOfSession } from './ramp.ts';
import { authFrame, heartbeatFrame, joinFrame, leaveFrame, REPLY } from './signaling.ts';

const TS_MARK = 1234567890123;

/** Hold this VU's sessions in Go; returns when they are counted and closed. */
export function holdSessionsInGo(p: SessionsPlan): void {
  if (p.count === 0) return;
  if (p.meetingIds.length === 0) throw new Error('no meetings to join: setup() must create the signaling meetings');
  const holdEndMs = p.scenarioStartMs + holdEndOffsetMs(p.rampSec, p.holdSec);
  const firstSlotMs = p.scenarioStartMs + openOffsetMs(p.first, p.connections, p.rampSec);
  // Log in at the VU's first slot, as the k6/websockets design does (the token is the VU's user's).
  const wait = firstSlotMs - Date.now();
  if (wait > 0) sleep(wait / 1000);
  const token = p.user.token();
  if (!token) {
    for (let i = 0; i < p.count; i++) wsConnectSuccess.add(false);
    return;
  }
  const urls: string[] = [];
  const joinFrames: string[] = [];
  const slotsMs: number[] = [];
  const meetings = p.meetingIds.length;
  for (let i = 0; i < p.count; i++) {
    const k = p.first + i;
    urls.push(p.signalingUrls[signalingUrlOfSession(k, meetings, p.signalingUrls.length)]!);
    joinFrames.push(joinFrame(p.meetingIds[meetingOfSession(k, meetings)]!));
    slotsMs.push(p.scenarioStartMs + openOffsetMs(k, p.connections, p.rampSec));
  }
  // The heartbeat frame around its timestamp, taken from the script's own frame builder.
  const [heartbeatPrefix, heartbeatSuffix] = heartbeatFrame(TS_MARK).split(String(TS_MARK)) as [string, string];
  holdInGo({
    urls,
    joinFrames,
    slotsMs,
    authFrame: authFrame(token),
    leaveFrame: leaveFrame(),
    heartbeatPrefix,
    heartbeatSuffix,
    replies: REPLY,
    heartbeatMs: p.heartbeatSec * 1000,
    joinTimeoutMs: JOIN_TIMEOUT_MS,
    holdEndMs,
    metrics: { ...WS_METRICS },
  });
}

