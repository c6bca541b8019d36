/**
 * The run's meetings, created once by `run` before any runner starts (plan.meetings), so N runners
 * fill the same profile.websocket.meetings meetings the way one runner would — a runner's own
 * setup() would create a private set, each holding 1/N of its planned participants.
 *
 *   1. log in as load-test user 0 (the password from the variable the target names)
 *   2. create API_MEETINGS api meetings and profile.websocket.meetings signaling meetings
 *      (POST /api/meetings, capacities as lib/gomeet/plan.ts computes them)
 *
 * Anything refused is a UsageError before load: nothing has been sent but these few requests.
 */
import { API, loadTestUserEmail, type LoginResponse, type Meeting } from '../../../lib/gomeet/contract.ts';
import { API_MEETINGS, apiMeetingCapacity, wsMeetingCapacity, type PlanMeetings } from '../../../lib/gomeet/plan.ts';
import type { Profile } from '../../../lib/profiles.ts';
import { UsageError } from '../../exit-codes.ts';

const REQUEST_TIMEOUT_MS = 15_000;

export interface MeetingsInput {
  apiBaseUrl: string;
  /** The load-test users' password (never logged). */
  password: string;
  /** Load-test users the target has (target.auth.users). */
  targetUsers: number;
  profile: Profile;
  runId: string;
}

export async function createRunMeetings(input: MeetingsInput): Promise<PlanMeetings> {
  const token = await login(input);
  const create = async (purpose: string, count: number, capacity: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await createMeeting(input.apiBaseUrl, token, `${purpose} ${input.runId} #${i}`, capacity)).id);
    return ids;
  };
  return {
    api: await create('api', API_MEETINGS, apiMeetingCapacity(input.profile, input.targetUsers)),
    websocket: await create('signaling', input.profile.websocket.meetings, wsMeetingCapacity(input.profile)),
  };
}

async function login(input: MeetingsInput): Promise<string> {
  const email = loadTestUserEmail(0);
  const res = await post(input.apiBaseUrl, API.login, { email, password: input.password });
  if (res.status !== 200) throw new UsageError(`creating the run's meetings: login of ${email} answered HTTP ${res.status}`);
  return ((await res.json()) as LoginResponse).accessToken;
}

async function createMeeting(base: string, token: string, title: string, maxParticipants: number): Promise<Meeting> {
  const res = await post(base, API.meetings, { title, maxParticipants }, token);
  if (res.status !== 201) {
    throw new UsageError(`creating meeting '${title}' (maxParticipants ${maxParticipants}) answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
  return (await res.json()) as Meeting;
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<Response> {
  try {
    return await fetch(new URL(path, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new UsageError(`creating the run's meetings: POST ${new URL(path, base)} failed (${err instanceof Error ? err.message : String(err)})`);
  }
}
