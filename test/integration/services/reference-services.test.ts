/**
 * The reference GoMeet services end to end, as real processes on a throwaway PostgreSQL and Redis:
 * the HTTP contract (auth, meetings, join, chat), the signaling protocol across two worker ports
 * (fan-out through Redis), deadlines and close codes, the API delay knob, /metrics, graceful
 * shutdown and the PostgreSQL circuit breaker.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, CLOSE, type ChatMessage, type JoinResponse, type LoginResponse, type Meeting, loadTestUserEmail } from '../../../lib/gomeet/contract.ts';
import { freePorts } from '../../helpers/free-port.ts';
import { type ThrowawayPostgres, startThrowawayPostgres } from '../../helpers/throwaway-postgres.ts';
import { type ThrowawayRedis, startThrowawayRedis } from '../../helpers/throwaway-redis.ts';
import { sampleValue } from './prom-text.ts';
import { API_ENTRY, SIGNALING_ENTRY, type ServiceProcess, startService, waitHealthy } from './service-processes.ts';
import { SignalingClient } from './signaling-client.ts';

// Secrets are generated per run and travel only in the services' environment.
const JWT_SECRET = randomBytes(24).toString('hex');
const PASSWORD = randomBytes(12).toString('hex');
const LIVEKIT = { url: 'ws://127.0.0.1:17880', key: 'APItest', secret: randomBytes(24).toString('hex') };

let postgres: ThrowawayPostgres;
let redisServer: ThrowawayRedis;
let redis: Redis;
const services: ServiceProcess[] = [];
let apiUrl = '';
let slowApiUrl = '';
/** Two workers of one signaling process (heartbeat 15 s). */
let sigUrls: string[] = [];
let sigHttp: string[] = [];
/** A second signaling process with GOMEET_HEARTBEAT_SEC=1, for deadline and shutdown tests. */
let fastSigUrl = '';
let fastSig: ServiceProcess;

beforeAll(async () => {
  [postgres, redisServer] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
  redis = new Redis(redisServer.url);
  const [apiPort, slowApiPort, s1, s2, s3] = await freePorts(5);
  const base = {
    GOMEET_PG_URL: postgres.url,
    GOMEET_REDIS_URL: redisServer.url,
    GOMEET_JWT_SECRET: JWT_SECRET,
    GOMEET_LOADTEST_PASSWORD: PASSWORD,
    GOMEET_LOADTEST_USERS: '50',
  };
  apiUrl = `http://127.0.0.1:${apiPort}`;
  slowApiUrl = `http://127.0.0.1:${slowApiPort}`;
  sigUrls = [`ws://127.0.0.1:${s1}/ws`, `ws://127.0.0.1:${s2}/ws`];
  sigHttp = [`http://127.0.0.1:${s1}`, `http://127.0.0.1:${s2}`];
  fastSigUrl = `ws://127.0.0.1:${s3}/ws`;

  const api = startService(API_ENTRY, {
    ...base,
    GOMEET_API_PORT: String(apiPort),
    GOMEET_SIGNALING_PORTS: `${s1},${s2}`,
    GOMEET_LIVEKIT_URL: LIVEKIT.url,
    GOMEET_LIVEKIT_API_KEY: LIVEKIT.key,
    GOMEET_LIVEKIT_API_SECRET: LIVEKIT.secret,
  });
  services.push(api);
  // The api creates the schema that signaling reads: it goes first.
  await waitHealthy(`${apiUrl}/health`, api);

  const slowApi = startService(API_ENTRY, { ...base, GOMEET_API_PORT: String(slowApiPort), GOMEET_API_DELAY_MS: '300' });
  const sig = startService(SIGNALING_ENTRY, { ...base, GOMEET_SIGNALING_PORTS: `${s1},${s2}` });
  fastSig = startService(SIGNALING_ENTRY, { ...base, GOMEET_SIGNALING_PORTS: String(s3), GOMEET_HEARTBEAT_SEC: '1' });
  services.push(slowApi, sig, fastSig);
  await Promise.all([
    waitHealthy(`${slowApiUrl}/health`, slowApi),
    waitHealthy(`${sigHttp[0]}/health`, sig),
    waitHealthy(`${sigHttp[1]}/health`, sig),
    waitHealthy(`http://127.0.0.1:${s3}/health`, fastSig),
  ]);
});

afterAll(async () => {
  await Promise.allSettled(services.map((s) => s.stop()));
  redis?.disconnect();
  await Promise.allSettled([postgres?.stop(), redisServer?.stop()]);
});

interface Answer<T> {
  status: number;
  body: T;
  ms: number;
}

async function call<T = unknown>(path: string, opts: { method?: string; token?: string; body?: unknown; base?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const started = performance.now();
  const res = await fetch((opts.base ?? apiUrl) + path, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, ms };
}

async function login(n: number): Promise<LoginResponse> {
  const res = await call<LoginResponse>(API.login, { body: { email: loadTestUserEmail(n), password: PASSWORD } });
  expect(res.status).toBe(200);
  return res.body;
}

async function createMeeting(token: string, title: string, maxParticipants?: number): Promise<Meeting> {
  const res = await call<Meeting>(API.meetings, { token, body: { title, maxParticipants } });
  expect(res.status).toBe(201);
  return res.body;
}

describe('health', () => {
  it('api and every signaling worker report PostgreSQL and Redis ok', async () => {
    for (const base of [apiUrl, ...sigHttp]) {
      const res = await call<{ status: string; service: string; checks: Record<string, string> }>(API.health, { base });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.checks).toEqual({ postgres: 'ok', redis: 'ok' });
    }
  });
});

describe('auth', () => {
  it('logs a seeded load-test user in and refuses a wrong password', async () => {
    const ok = await login(7);
    expect(ok.user.email).toBe(loadTestUserEmail(7));
    expect(ok.expiresIn).toBeGreaterThan(0);
    const { payload } = await jwtVerify(ok.accessToken, new TextEncoder().encode(JWT_SECRET));
    expect(payload.sub).toBe(ok.user.id);

    const bad = await call(API.login, { body: { email: loadTestUserEmail(7), password: `${PASSWORD}x` } });
    expect(bad.status).toBe(401);
    const unknown = await call(API.login, { body: { email: 'nobody@gomeet.local', password: PASSWORD } });
    expect(unknown.status).toBe(401);
    // Only users 0..N-1 are seeded (N = 50 here).
    const beyond = await call(API.login, { body: { email: loadTestUserEmail(50), password: PASSWORD } });
    expect(beyond.status).toBe(401);
    const malformed = await call(API.login, { body: { email: 'x' } });
    expect(malformed.status).toBe(400);
  });

  it('rotates refresh tokens: a refresh token works once', async () => {
    const first = await login(8);
    const refreshed = await call<LoginResponse>(API.refresh, { body: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.id).toBe(first.user.id);
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
    const again = await call(API.refresh, { body: { refreshToken: first.refreshToken } });
    expect(again.status).toBe(401);
  });
});

describe('meetings', () => {
  it('creates, gets and lists newest first; unknown ids are 404 and a missing token 401', async () => {
    const { accessToken: token, user } = await login(1);
    const older = await createMeeting(token, 'older');
    const newer = await createMeeting(token, 'newer', 25);
    expect(newer).toMatchObject({ title: 'newer', hostId: user.id, maxParticipants: 25 });
    expect(older.maxParticipants).toBe(500);

    const got = await call<Meeting>(API.meeting(newer.id), { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(newer);

    const list = await call<{ meetings: Meeting[] }>(`${API.meetings}?limit=2`, { token });
    expect(list.status).toBe(200);
    expect(list.body.meetings.map((m) => m.id)).toEqual([newer.id, older.id]);
    const clamped = await call<{ meetings: Meeting[] }>(`${API.meetings}?limit=1000`, { token });
    expect(clamped.body.meetings.length).toBeGreaterThanOrEqual(12); // 10 seeded + 2 created
    expect(clamped.body.meetings.length).toBeLessThanOrEqual(100);

    expect((await call(API.meeting('00000000-0000-4000-8000-000000000000'), { token })).status).toBe(404);
    expect((await call(API.meeting('not-a-uuid'), { token })).status).toBe(404);
    expect((await call(API.meetings)).status).toBe(401);
    expect((await call(API.meetings, { token: 'forged.token.here' })).status).toBe(401);
  });

  it('join returns the signaling URL, a participant id per join, and a LiveKit token for the room', async () => {
    const { accessToken: token, user } = await login(2);
    const meeting = await createMeeting(token, 'join me');
    const a = await call<JoinResponse>(API.join(meeting.id), { method: 'POST', token });
    const b = await call<JoinResponse>(API.join(meeting.id), { method: 'POST', token });
    expect(a.status).toBe(200);
    expect(a.body.meetingId).toBe(meeting.id);
    expect(a.body.signalingUrl).toBe(sigUrls[0]);
    expect(a.body.participantId.startsWith(user.id)).toBe(true);
    expect(b.body.participantId).not.toBe(a.body.participantId); // the same user can join twice

    const lk = a.body.livekit!;
    expect(lk).toMatchObject({ url: LIVEKIT.url, room: meeting.id });
    const { payload } = await jwtVerify(lk.token, new TextEncoder().encode(LIVEKIT.secret));
    expect(payload.sub).toBe(a.body.participantId);
    expect(payload.iss).toBe(LIVEKIT.key);
    expect((payload.video as { room: string; roomJoin: boolean })).toMatchObject({ room: meeting.id, roomJoin: true });

    expect((await call(API.join('00000000-0000-4000-8000-000000000000'), { method: 'POST', token })).status).toBe(404);
  });

  it('takes a bodyless POST that still says Content-Type: application/json, and refuses broken JSON', async () => {
    const { accessToken: token } = await login(6);
    const meeting = await createMeeting(token, 'bodyless');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const join = await fetch(apiUrl + API.join(meeting.id), { method: 'POST', headers });
    expect(join.status).toBe(200);
    const broken = await fetch(apiUrl + API.meetings, { method: 'POST', headers, body: '{"title": ' });
    expect(broken.status).toBe(400);
    const missing = await fetch(apiUrl + API.meetings, { method: 'POST', headers });
    expect(missing.status).toBe(400);
  });
});

describe('signaling', () => {
  it('auth, join, heartbeat, presence and chat fan out across two worker ports through Redis', async () => {
    const alice = await login(10);
    const bob = await login(11);
    const meeting = await createMeeting(alice.accessToken, 'fan-out');

    const a = await SignalingClient.open(sigUrls[0]!);
    const b = await SignalingClient.open(sigUrls[1]!);
    try {
      a.send({ type: 'auth', token: alice.accessToken });
      expect(await a.next('auth_ok')).toEqual({ type: 'auth_ok', userId: alice.user.id });
      a.send({ type: 'join', meetingId: meeting.id });
      const aJoined = await a.next('joined');
      expect(aJoined).toMatchObject({ meetingId: meeting.id, participants: 1 });
      expect(aJoined.participantId.startsWith(alice.user.id)).toBe(true);

      const bJoined = await b.authAndJoin(bob.accessToken, meeting.id);
      expect(bJoined.participants).toBe(2);

      // Alice (worker 1) hears of Bob's join on worker 2.
      const presence = await a.next('presence', 5000, (m) => m.joined.includes(bJoined.participantId));
      expect(presence).toMatchObject({ meetingId: meeting.id, participants: 2 });
      // Bob hears of his own join too, and only after `joined` (the contract's order).
      await b.next('presence', 5000, (m) => m.joined.includes(bJoined.participantId));
      expect(b.order.indexOf('joined')).toBeLessThan(b.order.indexOf('presence'));

      a.send({ type: 'heartbeat', ts: 1234.5 });
      expect(await a.next('heartbeat_ack')).toEqual({ type: 'heartbeat_ack', ts: 1234.5 });

      // Chat through the API reaches both sockets...
      const sent = await call<ChatMessage>(API.chat(meeting.id), { token: alice.accessToken, body: { text: 'hello from the API' } });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ meetingId: meeting.id, userId: alice.user.id, text: 'hello from the API' });
      for (const s of [a, b]) {
        const chat = await s.next('chat', 5000, (m) => m.message.id === sent.body.id);
        expect(chat.message).toEqual(sent.body);
      }
      // ...and chat over signaling reaches the other worker and lands in history, newest first.
      b.send({ type: 'chat', text: 'hello from signaling' });
      const relayed = await a.next('chat', 5000, (m) => m.message.text === 'hello from signaling');
      expect(relayed.message.userId).toBe(bob.user.id);
      const history = await call<{ messages: ChatMessage[] }>(`${API.chat(meeting.id)}?limit=10`, { token: bob.accessToken });
      expect(history.status).toBe(200);
      expect(history.body.messages.map((m) => m.text)).toEqual(['hello from signaling', 'hello from the API']);

      // Bob leaves: Alice hears it and the live count drops.
      b.send({ type: 'leave' });
      const left = await a.next('presence', 5000, (m) => m.left.includes(bJoined.participantId));
      expect(left.participants).toBe(1);
      expect(await redis.hget('gomeet:participants', meeting.id)).toBe('1');
    } finally {
      a.close();
      b.close();
    }
    // Closing the last socket takes the meeting's count to zero.
    await expect.poll(() => redis.hget('gomeet:participants', meeting.id), { timeout: 5000 }).toBeNull();
  });

  it('coalesces a burst of joins into at most one presence frame per second', async () => {
    const host = await login(12);
    const meeting = await createMeeting(host.accessToken, 'burst');
    const watcher = await SignalingClient.open(sigUrls[0]!);
    const joiners: SignalingClient[] = [];
    try {
      await watcher.authAndJoin(host.accessToken, meeting.id);
      await watcher.next('presence'); // its own join
      for (let i = 0; i < 20; i++) joiners.push(await SignalingClient.open(sigUrls[i % 2]!));
      for (const j of joiners) j.send({ type: 'auth', token: host.accessToken });
      await Promise.all(joiners.map((j) => j.next('auth_ok')));
      // All 20 joins leave at once: a burst, as in a join storm.
      const since = Date.now();
      for (const j of joiners) j.send({ type: 'join', meetingId: meeting.id });
      const joined = await Promise.all(joiners.map((j) => j.next('joined').then((m) => m.participantId)));

      const announced = new Set<string>();
      let frames = 0;
      let participants = 0;
      while (announced.size < joined.length) {
        const presence = await watcher.next('presence', 5000);
        frames += 1;
        for (const id of presence.joined) announced.add(id);
        participants = presence.participants;
      }
      const spanSec = (Date.now() - since) / 1000;
      expect([...announced].sort()).toEqual([...joined].sort());
      expect(participants).toBe(21);
      // Merged: fewer frames than joins...
      expect(frames).toBeLessThan(joined.length);
      // ...and at most one a second. Counted over the whole span, not from gaps between arrivals:
      // a stalled test process can bunch arrivals together, but never make frames outnumber seconds.
      expect(frames).toBeLessThanOrEqual(Math.floor(spanSec) + 1);
    } finally {
      watcher.close();
      for (const j of joiners) j.close();
    }
  });

  it('refuses a bad token with close 4003, and answers protocol errors with error frames', async () => {
    const bad = await SignalingClient.open(sigUrls[1]!);
    bad.send({ type: 'auth', token: 'not-a-jwt' });
    expect((await bad.closed).code).toBe(CLOSE.badToken);

    const forged = await SignalingClient.open(sigUrls[0]!);
    const other = await import('jose').then(({ SignJWT }) =>
      new SignJWT({ email: 'x@gomeet.local' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode('some-other-secret-value')),
    );
    forged.send({ type: 'auth', token: other });
    expect((await forged.closed).code).toBe(CLOSE.badToken);

    const { accessToken } = await login(13);
    const s = await SignalingClient.open(sigUrls[0]!);
    try {
      s.send({ type: 'join', meetingId: '00000000-0000-4000-8000-000000000000' });
      expect((await s.next('error')).code).toBe('unauthenticated');
      s.send('{not json');
      expect((await s.next('error')).code).toBe('bad_message');
      s.send({ type: 'auth', token: accessToken });
      await s.next('auth_ok');
      s.send({ type: 'chat', text: 'too early' });
      expect((await s.next('error')).code).toBe('not_joined');
      s.send({ type: 'join', meetingId: '00000000-0000-4000-8000-000000000000' });
      expect((await s.next('error')).code).toBe('unknown_meeting');
    } finally {
      s.close();
    }
  });

  it('a full meeting refuses the next participant on signaling (meeting_full) and on the API (409)', async () => {
    const { accessToken } = await login(14);
    const meeting = await createMeeting(accessToken, 'tiny', 1);
    const first = await SignalingClient.open(sigUrls[0]!);
    const second = await SignalingClient.open(sigUrls[1]!);
    try {
      await first.authAndJoin(accessToken, meeting.id);
      second.send({ type: 'auth', token: accessToken });
      await second.next('auth_ok');
      second.send({ type: 'join', meetingId: meeting.id });
      expect((await second.next('error')).code).toBe('meeting_full');
      expect((await call(API.join(meeting.id), { method: 'POST', token: accessToken })).status).toBe(409);
    } finally {
      first.close();
      second.close();
    }
  });

  it('closes a silent session after 3 heartbeat intervals with 4002', async () => {
    const { accessToken } = await login(15);
    const s = await SignalingClient.open(fastSigUrl);
    s.send({ type: 'auth', token: accessToken });
    await s.next('auth_ok');
    const started = Date.now();
    const closed = await s.closed;
    const silentMs = Date.now() - started;
    expect(closed.code).toBe(CLOSE.heartbeatTimeout);
    expect(silentMs).toBeGreaterThanOrEqual(2900); // 3 × 1 s, minus timer slack
    expect(silentMs).toBeLessThan(6000); // plus at most one sweep interval, with room for a noisy machine
  });

  it('keeps a heartbeating session open past the heartbeat deadline', async () => {
    const { accessToken } = await login(16);
    const s = await SignalingClient.open(fastSigUrl);
    try {
      s.send({ type: 'auth', token: accessToken });
      await s.next('auth_ok');
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 500));
        s.send({ type: 'heartbeat', ts: i });
        await s.next('heartbeat_ack');
      }
      expect(s.ws.readyState).toBe(s.ws.OPEN);
    } finally {
      s.close();
    }
  });

  it('closes a session that never authenticates after 10 s with 4001', async () => {
    const s = await SignalingClient.open(sigUrls[1]!);
    const started = Date.now();
    const closed = await s.closed;
    expect(closed.code).toBe(CLOSE.authTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9900);
  }, 20_000);
});

describe('fault knob GOMEET_API_DELAY_MS', () => {
  it('delays every API response by at least the set time, but not /health', async () => {
    const res = await call<LoginResponse>(API.login, { base: slowApiUrl, body: { email: loadTestUserEmail(3), password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(300);
    const notFound = await call(API.meeting('x'), { base: slowApiUrl, token: res.body.accessToken });
    expect(notFound.status).toBe(404);
    expect(notFound.ms).toBeGreaterThanOrEqual(300);
    // Best of three, so a noisy machine does not turn a fast answer slow.
    const health = Math.min(...(await Promise.all([0, 1, 2].map(() => call(API.health, { base: slowApiUrl })))).map((r) => r.ms));
    expect(health).toBeLessThan(300);
  });
});

describe('metrics', () => {
  it('the api exposes per-service HTTP, DB, breaker and process metrics', async () => {
    await login(4);
    const res = await fetch(`${apiUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const login200 = { service: 'auth', method: 'POST', route: API.login, status_code: '200' };
    expect(sampleValue(text, 'http_requests_total', login200)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'http_request_duration_seconds_count', login200)).toBeGreaterThanOrEqual(1);
    // Routes are templated: no raw meeting id in any label.
    expect(sampleValue(text, 'http_requests_total', { service: 'meeting', route: '/api/meetings/:id' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toMatch(/route="\/api\/meetings\/[0-9a-f]{8}-/);
    expect(sampleValue(text, 'http_requests_total', { service: 'chat', route: '/api/meetings/:id/chat' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'gomeet_db_query_duration_seconds_count', { service: 'auth', query: 'auth_user_by_email' })).toBeGreaterThanOrEqual(1);
    for (const service of ['auth', 'meeting', 'chat']) {
      expect(sampleValue(text, 'circuit_breaker_state', { service, target: 'postgres' })).toBe(0);
    }
    expect(sampleValue(text, 'process_resident_memory_bytes', { service: 'api' })).toBeGreaterThan(10e6);
    expect(sampleValue(text, 'process_cpu_seconds_total', { service: 'api' })).toBeGreaterThan(0);
  });

  it('each signaling worker exposes its sockets, frames, DB and process metrics', async () => {
    const { accessToken } = await login(5);
    const meeting = await createMeeting(accessToken, 'metrics');
    const s = await SignalingClient.open(sigUrls[0]!);
    try {
      await s.authAndJoin(accessToken, meeting.id);
      s.send({ type: 'heartbeat', ts: 1 });
      await s.next('heartbeat_ack');
      const text = await (await fetch(`${sigHttp[0]}/metrics`)).text();
      expect(sampleValue(text, 'websocket_connections_active', { service: 'signaling' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(text, 'gomeet_signaling_messages_total', { type: 'heartbeat', direction: 'in' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(text, 'gomeet_signaling_messages_total', { type: 'joined', direction: 'out' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(text, 'gomeet_db_query_duration_seconds_count', { service: 'signaling', query: 'signaling_meeting_by_id' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(text, 'circuit_breaker_state', { service: 'signaling', target: 'postgres' })).toBe(0);
      expect(sampleValue(text, 'process_resident_memory_bytes', { service: 'signaling' })).toBeGreaterThan(10e6);
    } finally {
      s.close();
    }
  });
});

describe('shutdown and outages (last: they stop servers)', () => {
  it('SIGTERM closes signaling sockets with 1001, returns their counts, and exits 0', async () => {
    const { accessToken } = await login(20);
    const meeting = await createMeeting(accessToken, 'shutdown');
    const s = await SignalingClient.open(fastSigUrl);
    await s.authAndJoin(accessToken, meeting.id);
    expect(await redis.hget('gomeet:participants', meeting.id)).toBe('1');
    await fastSig.stop();
    expect((await s.closed).code).toBe(CLOSE.shuttingDown);
    expect(fastSig.exitCode()).toBe(0);
    expect(await redis.hget('gomeet:participants', meeting.id)).toBeNull();
  });

  it('PostgreSQL down: /health names it, the breaker opens, and the API fails fast with 503', async () => {
    const { accessToken } = await login(21);
    const meeting = await createMeeting(accessToken, 'outage');
    await postgres.stop();

    const health = await call<{ checks: { postgres: string; redis: string } }>(API.health);
    expect(health.status).toBe(503);
    expect(health.body.checks.postgres).toMatch(/^down: /);
    expect(health.body.checks.redis).toBe('ok');

    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(API.meeting(meeting.id), { token: accessToken })).status);
    expect(new Set(statuses)).toEqual(new Set([503]));
    const text = await (await fetch(`${apiUrl}/metrics`)).text();
    expect(sampleValue(text, 'circuit_breaker_state', { service: 'meeting', target: 'postgres' })).toBe(2);
    expect(sampleValue(text, 'circuit_breaker_failures_total', { service: 'meeting', target: 'postgres' })).toBeGreaterThanOrEqual(5);
    // Other services' breakers are independent: auth has not failed yet.
    expect(sampleValue(text, 'circuit_breaker_state', { service: 'auth', target: 'postgres' })).toBe(0);
  });
});
