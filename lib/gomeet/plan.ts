/**
 * The plan `run` hands to every k6 process: one JSON document in the environment variable
 * GOMEET_PLAN, so a runner needs nothing else to know what to do (same plan on every runner; the
 * runner's slot says which one it is). The password itself never travels in the plan — only the
 * name of the environment variable that holds it.
 *
 * Pure types and a validator: imported by Node (which writes the plan) and bundled into k6 scripts
 * (which read it). No Node or k6 imports.
 */
import { WS_ENGINES, type Profile, type WsEngine } from '../profiles.ts';
import { THRESHOLD_TABLE, type RowId } from '../../thresholds/table.ts';

/** Environment variable holding the plan JSON. */
export const PLAN_ENV = 'GOMEET_PLAN';
/** Environment variable naming the file handleSummary writes the raw k6 summary data to. */
export const SUMMARY_PATH_ENV = 'GOMEET_SUMMARY_PATH';

/** Which of the N k6 processes this is (execution segments split the load between them). */
export interface RunnerSlot {
  /** 0-based index of this runner. */
  id: number;
  /** Number of runners sharing the load. */
  count: number;
}

/** What the scenarios need to know about the target — nothing secret. */
export interface PlanTarget {
  /** Human name of the target (reports only). */
  name: string;
  /** API base URL, e.g. `http://127.0.0.1:18080` (no trailing slash needed). */
  apiBaseUrl: string;
  /** Signaling WebSocket URLs; sessions are spread over them round-robin. */
  signalingUrls: string[];
  /** Load-test users `loadtest-<n>@gomeet.local`, n < users, that exist on the target. */
  users: number;
  /** Name of the environment variable holding the load-test users' password. */
  passwordEnv: string;
}

export interface Plan {
  /** Run id: tags every sample (`run_id`) so runners and runs can be told apart downstream. */
  runId: string;
  runner: RunnerSlot;
  /** The load shape (lib/profiles.ts). */
  profile: Profile;
  /** Rows this run gates (k6 thresholds are generated for these only). */
  gates: RowId[];
  target: PlanTarget;
  /** Meetings created once for the whole run, before the runners start, so that N runners'
   *  sessions fill the same profile.websocket.meetings meetings. Without it each runner's setup()
   *  creates its own — right for one runner; with N runners each meeting would hold 1/N of its plan. */
  meetings?: PlanMeetings;
}

export interface PlanMeetings {
  /** Meeting ids the api scenario reads, joins and chats in (at least one). */
  api: string[];
  /** Meeting ids the signaling sessions join: exactly profile.websocket.meetings of them. */
  websocket: string[];
}

/** Meetings the api scenario spreads its reads, joins and chats over. */
export const API_MEETINGS = 10;

/** Participants an api meeting admits: every api user (joins by the same user are the same
 *  participant, so the meetings never fill up however long the test runs). */
export function apiMeetingCapacity(profile: Profile, targetUsers: number): number {
  return Math.min(profile.api.users, targetUsers);
}

/** Participants a signaling meeting must admit: its share of the planned sessions. */
export function wsMeetingCapacity(profile: Profile): number {
  return Math.ceil(profile.websocket.connections / profile.websocket.meetings);
}

/** A malformed plan: the message names the bad field's path. */
export class PlanError extends Error {
  override name = 'PlanError';
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PlanError(`${path}: must be an object`);
  return value as Json;
}

function string(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw new PlanError(`${path}.${key}: must be a non-empty string`);
  return v;
}

function int(o: Json, key: string, path: string, min: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new PlanError(`${path}.${key}: must be an integer >= ${min}`);
  return v;
}

function urlString(o: Json, key: string, path: string, schemes: string[]): string {
  const s = string(o, key, path);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s)?.[1]?.toLowerCase();
  if (!scheme || !schemes.includes(scheme)) throw new PlanError(`${path}.${key}: must be a ${schemes.join(' or ')} URL`);
  return s;
}

const API_FIELDS = ['ratePerSec', 'rampSec', 'steadySec', 'preAllocatedVUs', 'maxVUs', 'users'] as const;
const WS_FIELDS = ['connections', 'connectionsPerVU', 'rampSec', 'holdSec', 'heartbeatSec', 'meetings'] as const;
const ROW_IDS = new Set<string>(THRESHOLD_TABLE.map((r) => r.id));

function profile(value: unknown): Profile {
  const p = object(value, 'plan.profile');
  const api = object(p.api, 'plan.profile.api');
  const ws = object(p.websocket, 'plan.profile.websocket');
  // Durations may be 0 (e.g. no ramp); counts and rates must be positive.
  for (const f of API_FIELDS) int(api, f, 'plan.profile.api', f === 'rampSec' ? 0 : 1);
  for (const f of WS_FIELDS) int(ws, f, 'plan.profile.websocket', f === 'rampSec' ? 0 : 1);
  if (ws.engine !== undefined && !WS_ENGINES.includes(ws.engine as WsEngine)) {
    throw new PlanError(`plan.profile.websocket.engine: must be one of ${WS_ENGINES.join(', ')}`);
  }
  string(p, 'name', 'plan.profile');
  return p as unknown as Profile;
}

/** Check a parsed plan; throws PlanError naming the first bad field. */
export function validatePlan(value: unknown): Plan {
  const o = object(value, 'plan');
  const runId = string(o, 'runId', 'plan');
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(runId)) throw new PlanError('plan.runId: only letters, digits, . _ - (it becomes a metric tag)');
  const runnerObj = object(o.runner, 'plan.runner');
  const runner: RunnerSlot = { id: int(runnerObj, 'id', 'plan.runner', 0), count: int(runnerObj, 'count', 'plan.runner', 1) };
  if (runner.id >= runner.count) throw new PlanError(`plan.runner.id: ${runner.id} must be < runner.count ${runner.count}`);
  if (!Array.isArray(o.gates)) throw new PlanError('plan.gates: must be an array of row ids');
  for (const g of o.gates) if (typeof g !== 'string' || !ROW_IDS.has(g)) throw new PlanError(`plan.gates: unknown row id ${JSON.stringify(g)}`);
  const t = object(o.target, 'plan.target');
  const urls = t.signalingUrls;
  if (!Array.isArray(urls) || urls.length === 0) throw new PlanError('plan.target.signalingUrls: must be a non-empty array');
  for (const [i, u] of urls.entries()) {
    if (typeof u !== 'string' || !/^wss?:\/\//i.test(u)) throw new PlanError(`plan.target.signalingUrls.${i}: must be a ws or wss URL`);
  }
  const target: PlanTarget = {
    name: string(t, 'name', 'plan.target'),
    apiBaseUrl: urlString(t, 'apiBaseUrl', 'plan.target', ['http', 'https']).replace(/\/+$/, ''),
    signalingUrls: urls as string[],
    users: int(t, 'users', 'plan.target', 1),
    passwordEnv: string(t, 'passwordEnv', 'plan.target'),
  };
  if (!/^[A-Z_][A-Z0-9_]*$/.test(target.passwordEnv)) throw new PlanError('plan.target.passwordEnv: must be an environment variable name');
  const plan: Plan = { runId, runner, profile: profile(o.profile), gates: o.gates as RowId[], target };
  if (o.meetings !== undefined) plan.meetings = meetings(o.meetings, plan.profile.websocket.meetings);
  return plan;
}

function meetingIds(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((id) => typeof id !== 'string' || id === '')) {
    throw new PlanError(`${path}: must be a non-empty array of meeting ids`);
  }
  return value as string[];
}

function meetings(value: unknown, planned: number): PlanMeetings {
  const m = object(value, 'plan.meetings');
  const result = { api: meetingIds(m.api, 'plan.meetings.api'), websocket: meetingIds(m.websocket, 'plan.meetings.websocket') };
  if (result.websocket.length !== planned) {
    throw new PlanError(`plan.meetings.websocket: ${result.websocket.length} ids, but profile.websocket.meetings is ${planned}`);
  }
  return result;
}

/** Parse the GOMEET_PLAN text; a missing or malformed plan is a PlanError with a fix-it hint. */
export function parsePlan(text: string | undefined): Plan {
  if (text === undefined || text.trim() === '') {
    throw new PlanError(`${PLAN_ENV} is not set: scenarios are started by \`gomeet-capacity run\`, which passes the plan as JSON`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PlanError(`${PLAN_ENV} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return validatePlan(value);
}
