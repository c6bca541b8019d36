/**
 * api — the GoMeet HTTP API under an open model.
 *
 *   setup: GET /health and one login prove the target answers (else exit 107 before any load);
 *          create the meetings the mix reads, joins and chats in
 *   load:  ramping-arrival-rate to profile.api.ratePerSec over rampSec, held for steadySec; each
 *          iteration is ONE request chosen by weight from lib/k6/api-mix.ts
 *
 * There is no sleep: an arrival-rate executor paces iterations itself, and a sleep would only make
 * each VU slower — with a slow server the rate would then silently drop (coordinated omission)
 * instead of showing up as latency and dropped iterations.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import type { Response } from 'k6/http';
import { pickAction, type ApiAction } from '../lib/k6/api-mix.ts';
import { GoMeetApi } from '../lib/k6/gomeet-api.ts';
import { apiScenario, commonOptions, thresholdsFor } from '../lib/k6/options.ts';
import { loadTestPassword, readPlan } from '../lib/k6/plan.ts';
import { API_MEETINGS, apiMeetingsCapacity, createMeetings, proveTargetAnswers, type SetupData } from '../lib/k6/setup.ts';
import { writeSummary } from '../lib/k6/summary.ts';
import { UserSession } from '../lib/k6/user-session.ts';

const plan = readPlan();
const api = new GoMeetApi(plan.target.apiBaseUrl);

export const options = commonOptions(plan, { api: apiScenario(plan.profile.api) }, thresholdsFor(plan, ['api']));

/** Status each action expects; anything else fails its check (and k6's http_req_failed). */
const EXPECTED_STATUS: Record<ApiAction, number> = {
  auth_login: 200,
  meeting_list: 200,
  meeting_get: 200,
  meeting_create: 201,
  meeting_join: 200,
  chat_send: 201,
  chat_history: 200,
};

/** Meetings the api mix uses, created by setup. They admit every api user, and joins by the same
 *  user are the same participant, so they never fill up however long the test runs. */
export function apiSetup(user: UserSession): string[] {
  if (plan.meetings) return plan.meetings.api;
  return createMeetings(plan, user, 'api', API_MEETINGS, apiMeetingsCapacity(plan));
}

let user: UserSession | undefined;

/** This VU's user: VUs are spread over the profile's users, each logs in once and keeps its token. */
function vuUser(): UserSession {
  if (!user) {
    const users = Math.min(plan.profile.api.users, plan.target.users);
    user = new UserSession(api, (exec.vu.idInTest - 1) % users, loadTestPassword(plan));
  }
  return user;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** One iteration = one request of the mix. */
export function apiIteration(data: SetupData): void {
  const me = vuUser();
  const action = pickAction(Math.random());
  const meeting = pick(data.apiMeetings);
  let res: Response | undefined;
  switch (action) {
    case 'auth_login':
      res = me.login();
      break;
    case 'meeting_list':
      res = me.call((t) => api.listMeetings(t));
      break;
    case 'meeting_get':
      res = me.call((t) => api.getMeeting(t, meeting));
      break;
    case 'meeting_create':
      res = me.call((t) => api.createMeeting(t, `load ${plan.runId}`, 10));
      break;
    case 'meeting_join':
      res = me.call((t) => api.joinMeeting(t, meeting));
      break;
    case 'chat_send':
      res = me.call((t) => api.sendChat(t, meeting, 'hello from the load test'));
      break;
    case 'chat_history':
      res = me.call((t) => api.chatHistory(t, meeting));
      break;
  }
  const expected = EXPECTED_STATUS[action];
  // Check names are fixed strings (they become the `check` tag): bounded cardinality.
  check(res, { [`${action} ${expected}`]: (r) => r !== undefined && r.status === expected });
}

export function setup(): SetupData {
  const user = proveTargetAnswers(plan);
  return { apiMeetings: apiSetup(user), wsMeetings: [] };
}

export default apiIteration;

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
