/**
 * setup() helpers: prove the target answers before any load starts, and create the meetings the
 * load uses. Anything wrong throws a clear error — k6 then exits 107 (script exception) without
 * starting a single VU.
 */
import { fail } from 'k6';
import { API_MEETINGS, apiMeetingCapacity, wsMeetingCapacity as wsCapacityOf, type Plan } from '../gomeet/plan.ts';
import { GoMeetApi, meetingBody } from './gomeet-api.ts';
import { loadTestPassword } from './plan.ts';
import { UserSession } from './user-session.ts';

/** What setup() hands to every VU. Only meeting ids: k6 copies setup data into the summary, so no
 *  token or password may ever be in it. */
export interface SetupData {
  /** Meetings the api scenario reads, joins and chats in. */
  apiMeetings: string[];
  /** Meetings the signaling sessions join (profile.websocket.meetings of them). */
  wsMeetings: string[];
}

export { API_MEETINGS };

/** GET /health must say 200 and one login must succeed; returns the setup user's session. */
export function proveTargetAnswers(plan: Plan): UserSession {
  const api = new GoMeetApi(plan.target.apiBaseUrl);
  const health = api.health();
  if (health.status !== 200) {
    const why = health.status === 0 ? health.error : `HTTP ${health.status} ${String(health.body ?? '').slice(0, 200)}`;
    fail(`target '${plan.target.name}' does not answer: GET ${plan.target.apiBaseUrl}/health → ${why}`);
  }
  const user = new UserSession(api, 0, loadTestPassword(plan));
  const login = user.login();
  if (!user.token()) {
    fail(`target '${plan.target.name}': login of ${user.email} failed (HTTP ${login.status}${login.error ? `, ${login.error}` : ''}) — are the load-test users seeded and ${plan.target.passwordEnv} right?`);
  }
  return user;
}

/** Create `count` meetings for this run; fails setup if any create fails. */
export function createMeetings(plan: Plan, user: UserSession, purpose: string, count: number, maxParticipants: number): string[] {
  const api = new GoMeetApi(plan.target.apiBaseUrl);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const title = `${purpose} ${plan.runId} runner ${plan.runner.id} #${i}`;
    const res = user.call((token) => api.createMeeting(token, title, maxParticipants, true));
    const meeting = res && meetingBody(res);
    if (!meeting) fail(`target '${plan.target.name}': creating meeting '${title}' failed (HTTP ${res?.status ?? 'no token'})`);
    ids.push(meeting.id);
  }
  return ids;
}

/** Participants a signaling meeting must admit: its share of the planned sessions. */
export function wsMeetingCapacity(plan: Plan): number {
  return wsCapacityOf(plan.profile);
}

/** Participants an api meeting admits: every api user the target has. */
export function apiMeetingsCapacity(plan: Plan): number {
  return apiMeetingCapacity(plan.profile, plan.target.users);
}
