/**
 * The signaling sessions one VU holds, many per VU on its event loop (k6/websockets), each as a
 * participant's client holds it:
 *
 *   1. at the VU's first session's slot on the global ramp: log in once (one HTTP call)
 *   2. open session k at its own slot (k / connections × rampSec), on signaling URL k mod urls
 *   3. open → auth → auth_ok → join → joined (within JOIN_TIMEOUT_MS of opening, or it failed)
 *   4. heartbeat every heartbeatSec; the ack's echoed timestamp gives the round trip
 *   5. at the common end of the hold window (rampSec + holdSec after the scenario start) count
 *      every session still joined and open in gomeet_ws_sessions_held, send leave, close
 *
 * Memory per session is one small object, one Map entry and one interval timer; every handler is a
 * module-level function shared by all sessions (the socket comes back as `event.target`), so a
 * message costs no closure. Every timer is cleared, so the iteration ends by itself once the
 * sockets close.
 */
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import type { UserSession } from './user-session.ts';
import {
  wsConnectMs,
  wsConnectSuccess,
  wsHeartbeatRttMs,
  wsJoinMs,
  wsSessionsHeld,
  wsUnexpectedClose,
} from './metrics.ts';
import { holdEndOffsetMs, JOIN_TIMEOUT_MS, meetingOfSession, openOffsetMs, signalingUrlOfSession } from './ramp.ts';
import { authFrame, frameType, heartbeatAckTs, heartbeatFrame, joinFrame, leaveFrame } from './signaling.ts';

/** Close code we send when giving up on a session that did not join in time (4000–4999: private use). */
const CLOSE_JOIN_TIMEOUT = 4000;
const CLOSE_NORMAL = 1000;
const READY_OPEN = 1;

// Session phases, in order. Plain numbers: compared with < to ask "joined yet?".
const CONNECTING = 0;
const AUTHENTICATING = 1;
const JOINING = 2;
const JOINED = 3;
/** We are closing it (hold over, join timeout, server error): its close is not unexpected. */
const CLOSING = 4;

interface Session {
  ws: WebSocket;
  meetingId: string;
  /** Date.now() when the socket was created, then when it opened (join time is measured from there). */
  sinceMs: number;
  phase: number;
  /** Its connect outcome is already in gomeet_ws_connect_success (exactly one sample per session). */
  counted: boolean;
  joinTimer: number;
  heartbeatTimer: number;
}

/** What one VU needs to hold its sessions. */
export interface SessionsPlan {
  /** Global index of the VU's first session and how many it holds. */
  first: number;
  count: number;
  /** Planned sessions of the whole test (all VUs, all runners). */
  connections: number;
  rampSec: number;
  holdSec: number;
  heartbeatSec: number;
  /** Date.now() of the scenario start (exec.scenario.startTime). */
  scenarioStartMs: number;
  signalingUrls: string[];
  meetingIds: string[];
  /** The VU's user; logged in once, its token is shared by all the VU's sessions. */
  user: UserSession;
}

// One VU = one JS runtime, so module state is this VU's state.
let plan: SessionsPlan;
let token = '';
let opened = 0;
let openTimer = 0;
let holdTimer = 0;
const sessions = new Map<WebSocket, Session>();

/** Event objects carry the socket they came from (not in @types/k6). */
interface SocketEvent {
  target: WebSocket;
  data?: unknown;
  code?: number;
}

/** Hold this VU's sessions; returns at once, the work happens on the VU's event loop. */
export function holdSessions(p: SessionsPlan): void {
  plan = p;
  opened = 0;
  if (p.count === 0) return;
  if (p.meetingIds.length === 0) throw new Error('no meetings to join: setup() must create the signaling meetings');
  holdTimer = setTimeout(endHold, Math.max(0, p.scenarioStartMs + holdEndOffsetMs(p.rampSec, p.holdSec) - Date.now()));
  openTimer = setTimeout(start, Math.max(0, slotMs(p.first) - Date.now()));
}

function slotMs(k: number): number {
  return plan.scenarioStartMs + openOffsetMs(k, plan.connections, plan.rampSec);
}

function start(): void {
  openTimer = 0;
  const t = plan.user.token();
  if (!t) {
    // Without a token none of this VU's sessions can join: each is a failed connect.
    for (let i = 0; i < plan.count; i++) wsConnectSuccess.add(false);
    opened = plan.count;
    clearTimeout(holdTimer);
    holdTimer = 0;
    return;
  }
  token = t;
  openDue();
}

/** Open every session whose slot has come (several if the event loop fell behind), then wait for the next. */
function openDue(): void {
  openTimer = 0;
  const now = Date.now();
  while (opened < plan.count && slotMs(plan.first + opened) <= now) openSession(plan.first + opened++);
  if (opened < plan.count) openTimer = setTimeout(openDue, Math.max(0, slotMs(plan.first + opened) - now));
}

function openSession(k: number): void {
  const meetings = plan.meetingIds.length;
  const url = plan.signalingUrls[signalingUrlOfSession(k, meetings, plan.signalingUrls.length)]!;
  const ws = new WebSocket(url);
  const session: Session = {
    ws,
    meetingId: plan.meetingIds[meetingOfSession(k, meetings)]!,
    sinceMs: Date.now(),
    phase: CONNECTING,
    counted: false,
    joinTimer: 0,
    heartbeatTimer: 0,
  };
  session.joinTimer = setTimeout(joinTimedOut, JOIN_TIMEOUT_MS, session);
  sessions.set(ws, session);
  ws.addEventListener('open', onOpen as (e: unknown) => void);
  ws.addEventListener('message', onMessage as (e: unknown) => void);
  ws.addEventListener('close', onClose as (e: unknown) => void);
}

function onOpen(event: SocketEvent): void {
  const s = sessions.get(event.target);
  if (!s) return;
  const now = Date.now();
  if (s.phase === CLOSING) {
    // Gave up while it was still connecting (join timeout or hold over): only now can it be closed.
    s.ws.close(CLOSE_JOIN_TIMEOUT);
    return;
  }
  wsConnectMs.add(now - s.sinceMs);
  s.sinceMs = now;
  s.phase = AUTHENTICATING;
  s.ws.send(authFrame(token));
}

function onMessage(event: SocketEvent): void {
  const s = sessions.get(event.target);
  if (!s || typeof event.data !== 'string') return;
  switch (frameType(event.data)) {
    case 'heartbeat_ack': {
      const ts = heartbeatAckTs(event.data);
      if (ts > 0) wsHeartbeatRttMs.add(Date.now() - ts);
      return;
    }
    case 'auth_ok':
      if (s.phase !== AUTHENTICATING) return;
      s.phase = JOINING;
      s.ws.send(joinFrame(s.meetingId));
      return;
    case 'joined':
      if (s.phase !== JOINING) return;
      wsJoinMs.add(Date.now() - s.sinceMs);
      countConnect(s, true);
      clearTimeout(s.joinTimer);
      s.joinTimer = 0;
      s.phase = JOINED;
      s.heartbeatTimer = setInterval(sendHeartbeat, plan.heartbeatSec * 1000, s);
      return;
    case 'error':
      // An error before the join (bad token, unknown meeting, meeting full) ends the attempt;
      // after it, the session carries on like a real client would.
      if (s.phase < JOINED) giveUp(s);
      return;
    default:
      // presence, chat: part of the load the server carries, nothing for the client to measure.
      return;
  }
}

function onClose(event: SocketEvent): void {
  const s = sessions.get(event.target);
  if (!s) return;
  sessions.delete(event.target);
  stopTimers(s);
  if (s.phase !== CLOSING) {
    wsUnexpectedClose.add(1, { code: event.code ? String(event.code) : 'none', phase: s.phase === JOINED ? 'joined' : 'joining' });
    countConnect(s, false);
  }
}

function sendHeartbeat(s: Session): void {
  if (s.ws.readyState === READY_OPEN) s.ws.send(heartbeatFrame(Date.now()));
}

function joinTimedOut(s: Session): void {
  s.joinTimer = 0;
  if (s.phase < JOINED) giveUp(s);
}

/** Count a session that will not join as failed and close it — or, if the socket is still
 *  connecting, close it when it opens (k6 cannot close a connecting socket). */
function giveUp(s: Session): void {
  countConnect(s, false);
  stopTimers(s);
  s.phase = CLOSING;
  if (s.ws.readyState === READY_OPEN) s.ws.close(CLOSE_JOIN_TIMEOUT);
}

function countConnect(s: Session, ok: boolean): void {
  if (s.counted) return;
  s.counted = true;
  wsConnectSuccess.add(ok);
}

function stopTimers(s: Session): void {
  if (s.joinTimer) clearTimeout(s.joinTimer);
  if (s.heartbeatTimer) clearInterval(s.heartbeatTimer);
  s.joinTimer = 0;
  s.heartbeatTimer = 0;
}

/** The common end of the hold window: count what is still held, then leave and close everything. */
function endHold(): void {
  holdTimer = 0;
  if (openTimer) clearTimeout(openTimer);
  openTimer = 0;
  // Sessions whose slot never came (the event loop fell a whole hold window behind) never connected.
  for (; opened < plan.count; opened++) wsConnectSuccess.add(false);
  // Count first, close after: each send/close is an unbuffered hand-off to the socket's writer
  // goroutine (k6/websockets), and on a saturated machine a VU's thousand of them outlasted the
  // scenario's grace — k6 interrupted the iteration mid-loop and the sessions after that point went
  // uncounted although they were held (bench/ws-capacity, 50,000 on 2 cores).
  const held: Session[] = [];
  for (const s of sessions.values()) {
    if (s.phase === JOINED && s.ws.readyState === READY_OPEN) held.push(s);
    else if (s.phase < JOINED) giveUp(s);
  }
  if (held.length > 0) wsSessionsHeld.add(held.length);
  for (const s of held) {
    stopTimers(s);
    s.phase = CLOSING;
    s.ws.send(leaveFrame());
    s.ws.close(CLOSE_NORMAL);
  }
}
