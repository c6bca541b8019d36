/**
 * websocket — signaling sessions held as participants hold them: in Go by the suite's k6 extension
 * (lib/k6/signaling-sessions-xk6.ts, the default) or on the VU's event loop with k6/websockets
 * (lib/k6/signaling-sessions.ts), as profile.websocket.engine says.
 *
 *   setup: GET /health and one login prove the target answers (else exit 107 before any load);
 *          create profile.websocket.meetings meetings, each admitting its share of the sessions
 *   load:  per-vu-iterations, one iteration per VU, connectionsPerVU sessions per VU; session k of
 *          the whole test opens at k / connections × rampSec, every session is held until
 *          rampSec + holdSec after the scenario start, then counted (gomeet_ws_sessions_held) and closed
 *
 * The VU's index on the global ramp is `exec.scenario.iterationInTest` of its single iteration: it
 * is unique across execution segments, so N runners (k6-operator, --execution-segment) still ramp
 * as one test and hold disjoint sessions.
 */
import exec from 'k6/execution';
import { commonOptions, thresholdsFor, websocketScenario } from '../lib/k6/options.ts';
import { GoMeetApi } from '../lib/k6/gomeet-api.ts';
import { loadTestPassword, readPlan } from '../lib/k6/plan.ts';
import { sessionsOfVU } from '../lib/k6/ramp.ts';
import { createMeetings, proveTargetAnswers, wsMeetingCapacity, type SetupData } from '../lib/k6/setup.ts';
import { holdSessions } from '../lib/k6/signaling-sessions.ts';
import { holdSessionsInGo } from '../lib/k6/signaling-sessions-xk6.ts';
import { DEFAULT_WS_ENGINE } from '../lib/profiles.ts';
import { writeSummary } from '../lib/k6/summary.ts';
import { UserSession } from '../lib/k6/user-session.ts';

const plan = readPlan();

export const options = commonOptions(plan, { websocket: websocketScenario(plan.profile.websocket) }, thresholdsFor(plan, ['websocket']));

/** The meetings the sessions join: the run's shared ones when the plan has them (N runners), else
 *  created by this runner's setup. */
export function websocketSetup(user: UserSession): string[] {
  if (plan.meetings) return plan.meetings.websocket;
  return createMeetings(plan, user, 'signaling', plan.profile.websocket.meetings, wsMeetingCapacity(plan));
}

/** One VU's single iteration: hold its share of the sessions, then end when they are closed. */
export function websocketSessions(data: SetupData): void {
  const ws = plan.profile.websocket;
  const vuIndex = exec.scenario.iterationInTest;
  const { first, count } = sessionsOfVU(vuIndex, ws.connectionsPerVU, ws.connections);
  const hold = (ws.engine ?? DEFAULT_WS_ENGINE) === 'gomeet-xk6' ? holdSessionsInGo : holdSessions;
  hold({
    first,
    count,
    connections: ws.connections,
    rampSec: ws.rampSec,
    holdSec: ws.holdSec,
    heartbeatSec: ws.heartbeatSec,
    scenarioStartMs: exec.scenario.startTime,
    signalingUrls: plan.target.signalingUrls,
    meetingIds: data.wsMeetings,
    user: new UserSession(new GoMeetApi(plan.target.apiBaseUrl), vuIndex % plan.target.users, loadTestPassword(plan)),
  });
}

export function setup(): SetupData {
  const user = proveTargetAnswers(plan);
  return { apiMeetings: [], wsMeetings: websocketSetup(user) };
}

export default websocketSessions;

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
