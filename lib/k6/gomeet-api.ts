/**
 * The GoMeet HTTP adapter: the only k6 code that knows endpoints and bodies (from
 * lib/gomeet/contract.ts). Every request is tagged `endpoint` (what it is) and `name` (the templated
 * path, e.g. `/api/meetings/:id`) so tag cardinality stays bounded however many meetings exist;
 * k6 then also uses `name` for the `url` tag.
 *
 * Bodies are discarded by the scripts' options; requests that need one ask for `responseType: 'text'`.
 */
import http, { type Params, type Response } from 'k6/http';
import { API, type LoginResponse, type Meeting } from '../gomeet/contract.ts';

/** A request slower than this is a failure anyway (the api_p95_ms row's critical is 500 ms);
 *  bounding it keeps an open-model scenario's VUs from piling up behind a hung server. */
const REQUEST_TIMEOUT = '10s';

/** Templated paths for the `name` tag (`:id` instead of a meeting id). */
export const PATH_NAMES = {
  health: API.health,
  login: API.login,
  refresh: API.refresh,
  meetings: API.meetings,
  meeting: API.meeting(':id'),
  join: API.join(':id'),
  chat: API.chat(':id'),
} as const;

export type Endpoint =
  | 'health'
  | 'auth_login'
  | 'auth_refresh'
  | 'meeting_list'
  | 'meeting_get'
  | 'meeting_create'
  | 'meeting_join'
  | 'chat_send'
  | 'chat_history';

interface RequestShape {
  token?: string;
  /** The request carries a JSON body (a bodyless POST must not claim one: servers answer 400). */
  json?: boolean;
  /** The caller reads the response body. */
  readBody?: boolean;
}

function params(endpoint: Endpoint, name: string, shape: RequestShape = {}): Params {
  const headers: Record<string, string> = {};
  if (shape.json) headers['Content-Type'] = 'application/json';
  if (shape.token) headers.Authorization = `Bearer ${shape.token}`;
  const p: Params = { headers, tags: { endpoint, name }, timeout: REQUEST_TIMEOUT };
  if (shape.readBody) p.responseType = 'text';
  return p;
}

/** The GoMeet API of one target. */
export class GoMeetApi {
  constructor(private readonly baseUrl: string) {}

  health(): Response {
    return http.get(this.baseUrl + API.health, params('health', PATH_NAMES.health, { readBody: true }));
  }

  /** The password only ever goes into this request's body. */
  login(email: string, password: string): Response {
    return http.post(this.baseUrl + API.login, JSON.stringify({ email, password }), params('auth_login', PATH_NAMES.login, { json: true, readBody: true }));
  }

  refresh(refreshToken: string): Response {
    return http.post(this.baseUrl + API.refresh, JSON.stringify({ refreshToken }), params('auth_refresh', PATH_NAMES.refresh, { json: true, readBody: true }));
  }

  listMeetings(token: string, limit = 20): Response {
    return http.get(`${this.baseUrl}${API.meetings}?limit=${limit}`, params('meeting_list', PATH_NAMES.meetings, { token }));
  }

  getMeeting(token: string, id: string): Response {
    return http.get(this.baseUrl + API.meeting(id), params('meeting_get', PATH_NAMES.meeting, { token }));
  }

  /** `withBody` when the caller needs the new meeting's id (setup); load iterations discard it. */
  createMeeting(token: string, title: string, maxParticipants: number, withBody = false): Response {
    return http.post(
      this.baseUrl + API.meetings,
      JSON.stringify({ title, maxParticipants }),
      params('meeting_create', PATH_NAMES.meetings, { token, json: true, readBody: withBody }),
    );
  }

  joinMeeting(token: string, id: string): Response {
    return http.post(this.baseUrl + API.join(id), null, params('meeting_join', PATH_NAMES.join, { token }));
  }

  sendChat(token: string, id: string, text: string): Response {
    return http.post(this.baseUrl + API.chat(id), JSON.stringify({ text }), params('chat_send', PATH_NAMES.chat, { token, json: true }));
  }

  chatHistory(token: string, id: string, limit = 50): Response {
    return http.get(`${this.baseUrl}${API.chat(id)}?limit=${limit}`, params('chat_history', PATH_NAMES.chat, { token }));
  }
}

/** The body of a successful login/refresh, or undefined if the response is not one. */
export function loginBody(res: Response): LoginResponse | undefined {
  if (res.status !== 200 || typeof res.body !== 'string') return undefined;
  try {
    const body = JSON.parse(res.body) as LoginResponse;
    return typeof body.accessToken === 'string' && typeof body.refreshToken === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

/** The meeting a successful create returned, or undefined. */
export function meetingBody(res: Response): Meeting | undefined {
  if (res.status !== 201 || typeof res.body !== 'string') return undefined;
  try {
    const body = JSON.parse(res.body) as Meeting;
    return typeof body.id === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}
