/**
 * The scenarios, bundled and run by the real k6 against the real reference services (throwaway
 * PostgreSQL, Redis, api, signaling on free ports), each for ~15 s with a tiny profile:
 *
 *  - bundle: one .js per scenario, npm code inlined, k6 modules left as imports
 *  - api: every threshold metric is in the summary with samples; every request of the api scenario
 *    is tagged with a known `endpoint` and a templated `name`; a healthy stack answers without errors
 *  - websocket: every planned session is held through the hold window, joined and heartbeating
 *  - comprehensive: both at once, as `run` executes them
 *  - a target that does not answer / a missing plan: exit 107 before any load
 *  - in every run: no password, JWT secret or token in k6's output, the summary or the samples
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../lib/gomeet/plan.ts';
import { API_MIX } from '../../../lib/k6/api-mix.ts';
import { WS_METRIC_NAMES } from '../../../lib/k6/metric-names.ts';
import { thresholdsFor } from '../../../lib/k6/options.ts';
import { sessionsOfRunner } from '../../../lib/k6/ramp.ts';
import { PROFILES, type Profile } from '../../../lib/profiles.ts';
import { bundleScenarios, SCENARIOS_DIR } from '../../../scripts/bundle.ts';
import { K6_EXIT, k6Version, runK6, type RunK6Result } from '../../../scripts/clients/k6.ts';
import { K6_PIN } from '../../../scripts/tools/pins.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { startReferenceTarget, type ReferenceTarget } from './reference-target.ts';

/** A JWT as the api mints them (header.payload.signature, base64url JSON). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/;

const TINY: Profile = {
  ...PROFILES.smoke,
  name: 'smoke',
  api: { ratePerSec: 15, rampSec: 3, steadySec: 12, preAllocatedVUs: 5, maxVUs: 20, users: 10 },
  websocket: { connections: 40, connectionsPerVU: 10, rampSec: 4, holdSec: 10, heartbeatSec: 2, meetings: 3 },
};

interface Run {
  result: RunK6Result;
  summary: any;
  /** Everything k6 printed. */
  log: string;
  /** What runK6 passed on (progress lines, k6 log lines). */
  lines: string[];
  /** --out json samples. */
  samples: Array<{ metric: string; data: { value: number; tags: Record<string, string> } }>;
  /** Every text the run left behind, for the secret checks. */
  artifacts: string[];
}

let target: ReferenceTarget;
let k6Path: string;
let scripts: string[];
let bundleMs: number;
let dir: string;

function planFor(overrides: Partial<Plan['target']> = {}): Plan {
  return { runId: 'scenario-test', runner: { id: 0, count: 1 }, profile: TINY, gates: TINY.gates, target: { ...target.target, ...overrides } };
}

function scriptNamed(name: string): string {
  const s = scripts.find((p) => p.endsWith(`/${name}.js`));
  if (!s) throw new Error(`no bundled ${name}.js in ${scripts.join(', ')}`);
  return s;
}

let runs = 0;

async function run(
  name: string,
  plan: Plan | undefined,
  env: Record<string, string> = target.k6Env,
  stop?: AbortSignal,
  extraArgs: string[] = [],
): Promise<Run> {
  const n = ++runs;
  const summaryPath = join(dir, `${name}-${n}-summary.json`);
  const logPath = join(dir, `${name}-${n}-k6.log`);
  const samplesPath = join(dir, `${name}-${n}-samples.json`);
  const lines: string[] = [];
  const result = await runK6({
    k6Path,
    script: scriptNamed(name),
    summaryPath,
    logPath,
    args: ['--out', `json=${samplesPath}`, ...extraArgs],
    env: { ...(plan ? { GOMEET_PLAN: JSON.stringify(plan) } : {}), ...env },
    onLine: (l) => lines.push(l),
    stop,
  });
  const read = async (p: string) => (existsSync(p) ? readFile(p, 'utf8') : '');
  const summaryText = await read(summaryPath);
  const samplesText = await read(samplesPath);
  const log = await read(logPath);
  const samples = samplesText
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((p) => p.type === 'Point');
  return {
    result,
    summary: summaryText ? JSON.parse(summaryText) : undefined,
    log,
    lines,
    samples,
    artifacts: [summaryText, samplesText, log, lines.join('\n')],
  };
}

function expectNoSecrets(r: Run): void {
  for (const text of r.artifacts) {
    expect(text.includes(target.secrets.password)).toBe(false);
    expect(text.includes(target.secrets.jwtSecret)).toBe(false);
    expect(JWT.test(text)).toBe(false);
  }
}

/** Every metric a threshold names is in the summary, with samples behind it. */
function expectThresholdMetricsMeasured(r: Run, keys: string[]): void {
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    const metric = r.summary.metrics[key];
    expect(metric, `summary has ${key}`).toBeDefined();
    expect(metric.thresholds, `${key} carries its thresholds`).toBeDefined();
    if (key.startsWith('dropped_iterations')) continue; // zero is the healthy value
    const v = metric.values;
    const samples = metric.type === 'rate' ? v.passes + v.fails : v.count;
    expect(samples, `${key} has samples`).toBeGreaterThan(0);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gomeet-scenarios-'));
  [target, k6Path] = await Promise.all([startReferenceTarget({ users: 50, signalingWorkers: 2 }), ensureK6()]);
  const t0 = performance.now();
  scripts = await bundleScenarios();
  bundleMs = performance.now() - t0;
});

afterAll(async () => {
  await target?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bundle', () => {
  it('writes one k6 script per scenario, npm code inlined and k6 modules left to k6', async () => {
    const sources = (await readdir(SCENARIOS_DIR)).filter((f) => f.endsWith('.ts')).sort();
    expect(sources).toEqual(expect.arrayContaining(['api.ts', 'comprehensive.ts', 'websocket.ts']));
    expect(scripts.map((s) => s.split('/').pop())).toEqual(sources.map((f) => f.replace(/\.ts$/, '.js')));
    for (const s of scripts) {
      const js = await readFile(s, 'utf8');
      expect(js).toMatch(/from "k6\/[a-z/-]+"/);
      expect(js).not.toMatch(/from "\.\.?\//); // no relative imports left: everything of ours is inlined
      expect(js).not.toMatch(/sourceMappingURL/);
    }
    // "< 1 s" on a quiet machine; generous here because the machine is shared.
    expect(bundleMs).toBeLessThan(5000);
  });
});

describe('api scenario', () => {
  let r: Run;
  beforeAll(async () => {
    r = await run('api', planFor());
  });

  it('ends by itself with thresholds held or crossed, never a script error', () => {
    expect([K6_EXIT.ok, K6_EXIT.thresholdsFailed]).toContain(r.result.exitCode);
    expect(r.result.durationMs).toBeLessThan(60_000);
  });

  it('puts every metric its thresholds name in the summary, measured', () => {
    expectThresholdMetricsMeasured(r, Object.keys(thresholdsFor(planFor(), ['api'])));
    expect(r.summary.metrics['http_req_duration{scenario:api}'].values.count).toBeGreaterThan(100);
  });

  it('tags every api request with a known endpoint and a templated name', () => {
    const api = r.samples.filter((p) => p.metric === 'http_req_duration' && p.data.tags.scenario === 'api');
    expect(api.length).toBeGreaterThan(100);
    const endpoints = new Set(api.map((p) => p.data.tags.endpoint));
    const known = new Set<string>([...API_MIX.map((e) => e.action), 'auth_refresh']);
    for (const e of endpoints) expect(known.has(e!), `endpoint ${e}`).toBe(true);
    // 15 rps × 15 s: every action of the mix shows up.
    for (const { action } of API_MIX) expect(endpoints.has(action), `${action} was exercised`).toBe(true);
    for (const p of api) {
      expect(p.data.tags.name).toMatch(/^\/api\/[a-z/:]+$/);
      expect(p.data.tags.url).toBe(p.data.tags.name); // no raw ids in any tag
      expect(p.data.tags.run_id).toBe('scenario-test');
    }
  });

  it('a healthy stack answers every request as expected', () => {
    expect(r.summary.metrics['http_req_failed{scenario:api}'].values.rate).toBe(0);
    expect(r.summary.metrics.checks.values.fails).toBe(0);
  });

  it('leaks no secret', () => expectNoSecrets(r));
});

describe('websocket scenario', () => {
  let r: Run;
  beforeAll(async () => {
    r = await run('websocket', planFor());
  });

  it('holds every planned session through the hold window', () => {
    expect(r.result.exitCode).toBe(K6_EXIT.ok);
    expect(r.summary.metrics.gomeet_ws_sessions_held.values.count).toBe(TINY.websocket.connections);
    const success = r.summary.metrics.gomeet_ws_connect_success.values;
    expect(success.passes).toBe(TINY.websocket.connections);
    expect(success.fails).toBe(0);
    expect(r.summary.metrics.gomeet_ws_unexpected_close).toBeUndefined();
  });

  it('measures connect, join and heartbeat round trips for the sessions', () => {
    const m = r.summary.metrics;
    expect(m.gomeet_ws_connect_ms.values.count).toBe(TINY.websocket.connections);
    expect(m.gomeet_ws_join_ms.values.count).toBe(TINY.websocket.connections);
    // 10 s hold at one heartbeat per 2 s: at least 4 per session.
    expect(m.gomeet_ws_heartbeat_rtt_ms.values.count).toBeGreaterThanOrEqual(4 * TINY.websocket.connections);
    for (const name of WS_METRIC_NAMES.filter((n) => n !== 'gomeet_ws_unexpected_close')) expect(m[name], name).toBeDefined();
  });

  it('puts every metric its thresholds name in the summary, measured', () => {
    expectThresholdMetricsMeasured(r, Object.keys(thresholdsFor(planFor(), ['websocket'])));
  });

  it('ramps as planned: sessions open over the ramp, not at once, spread over every signaling URL', () => {
    const opens = r.samples.filter((p) => p.metric === 'ws_sessions');
    expect(opens.length).toBe(TINY.websocket.connections);
    const times = opens.map((p) => Date.parse((p.data as any).time)).sort((a, b) => a - b);
    const spreadMs = times.at(-1)! - times[0]!;
    const rampMs = TINY.websocket.rampSec * 1000;
    expect(spreadMs).toBeGreaterThan(rampMs * 0.8);
    expect(spreadMs).toBeLessThan(rampMs + 1000);
    const urls = new Set(opens.map((p) => p.data.tags.url));
    expect(urls).toEqual(new Set(target.target.signalingUrls));
  });

  it('leaks no secret', () => expectNoSecrets(r));
});

describe('websocket scenario on k6/websockets (the engine bench/ws-capacity compares against)', () => {
  it('holds every planned session and measures them like the Go engine', async () => {
    const plan = { ...planFor(), profile: { ...TINY, websocket: { ...TINY.websocket, engine: 'k6-websockets' as const } } };
    const r = await run('websocket', plan);
    expect(r.result.exitCode).toBe(K6_EXIT.ok);
    const m = r.summary.metrics;
    expect(m.gomeet_ws_sessions_held.values.count).toBe(TINY.websocket.connections);
    expect(m.gomeet_ws_connect_success.values.passes).toBe(TINY.websocket.connections);
    expect(m.gomeet_ws_join_ms.values.count).toBe(TINY.websocket.connections);
    expect(r.samples.filter((p) => p.metric === 'ws_sessions').length).toBe(TINY.websocket.connections);
  });
});

describe('websocket sessions the server refuses', () => {
  for (const engine of ['gomeet-xk6', 'k6-websockets'] as const) {
    it(`${engine}: a meeting that does not exist fails every connect, closes nothing unexpectedly and ends by itself`, async () => {
      const ws = { ...TINY.websocket, connections: 10, holdSec: 4, engine };
      const plan = { ...planFor(), profile: { ...TINY, websocket: ws }, meetings: { api: ['unused'], websocket: [1, 2, 3].map((i) => `00000000-0000-4000-8000-00000000000${i}`) } };
      const r = await run('websocket', plan);
      expect(r.result.exitCode).toBe(K6_EXIT.thresholdsFailed);
      const m = r.summary.metrics;
      expect(m.gomeet_ws_connect_success.values.passes).toBe(0);
      expect(m.gomeet_ws_connect_success.values.fails).toBe(ws.connections);
      expect(m.gomeet_ws_sessions_held.values.count).toBe(0);
      expect(m.gomeet_ws_unexpected_close).toBeUndefined();
      expect(r.result.durationMs).toBeLessThan((ws.rampSec + ws.holdSec + 20) * 1000);
    });
  }
});

describe('comprehensive scenario', () => {
  it('runs both scenarios in one test, as `run` does, with every gated metric measured', async () => {
    const r = await run('comprehensive', planFor());
    expect([K6_EXIT.ok, K6_EXIT.thresholdsFailed]).toContain(r.result.exitCode);
    expectThresholdMetricsMeasured(r, Object.keys(thresholdsFor(planFor(), ['api', 'websocket'])));
    expect(r.summary.metrics.gomeet_ws_sessions_held.values.count).toBe(TINY.websocket.connections);
    expect(r.summary.metrics['http_req_failed{scenario:api}'].values.rate).toBe(0);
    const scenarios = new Set(r.samples.filter((p) => p.metric === 'iterations').map((p) => p.data.tags.scenario));
    expect(scenarios).toEqual(new Set(['api', 'websocket']));
    expect(r.summary.setup_data).toBeUndefined(); // handleSummary drops what setup() returned
    expectNoSecrets(r);
  });
});

/** Meetings made once for the whole run, as `run` does for N runners (plan.meetings). */
async function createSharedMeetings(count: number): Promise<string[]> {
  const base = target.target.apiBaseUrl;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'loadtest-1@gomeet.local', password: target.secrets.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${base}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ title: `shared ${i}`, maxParticipants: 100 }),
    });
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

describe('two runners (execution segments)', () => {
  it('ramp as one test over shared meetings: together they hold every session, each its own share', async () => {
    const ws = { ...TINY.websocket, connectionsPerVU: 7 }; // 6 VUs: 40 = 5 × 7 + 5, an uneven split
    const meetings = { api: await createSharedMeetings(1), websocket: await createSharedMeetings(ws.meetings) };
    const runners = await Promise.all(
      [0, 1].map((id) =>
        run(
          'websocket',
          { ...planFor(), runner: { id, count: 2 }, profile: { ...TINY, websocket: ws }, meetings },
          target.k6Env,
          undefined,
          ['--execution-segment', `${id}/2:${id + 1}/2`, '--execution-segment-sequence', '0,1/2,1'],
        ),
      ),
    );
    const held = runners.map((r) => r.summary.metrics.gomeet_ws_sessions_held.values.count);
    expect(held).toEqual([sessionsOfRunner(0, 2, ws.connections, 7), sessionsOfRunner(1, 2, ws.connections, 7)]);
    expect(held[0]! + held[1]!).toBe(ws.connections);
    for (const r of runners) {
      // Each runner's count threshold is its own share, so a healthy split passes on both.
      expect(r.result.exitCode).toBe(K6_EXIT.ok);
      const joined = r.samples.filter((p) => p.metric === 'gomeet_ws_join_ms').length;
      expect(joined).toBe(r.summary.metrics.gomeet_ws_sessions_held.values.count);
    }
    // One ramp: the two runners' opens interleave over the whole ramp instead of each ramping alone.
    const opens = runners.map((r) => r.samples.filter((p) => p.metric === 'ws_sessions').map((p) => Date.parse((p.data as any).time)));
    for (const times of opens) expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(ws.rampSec * 1000 * 0.7);
  });
});

describe('k6 client', () => {
  it('reports the pinned k6 version', async () => {
    expect(await k6Version(k6Path)).toBe(K6_PIN.version);
  });

  it('stops k6 gracefully when asked (as on Ctrl-C): exit 105, and the summary is still written', async () => {
    const long = { ...planFor(), profile: { ...TINY, websocket: { ...TINY.websocket, holdSec: 120 } } };
    const r = await run('websocket', long, target.k6Env, AbortSignal.timeout(8000));
    expect(r.result.exitCode).toBe(K6_EXIT.externalAbort);
    expect(r.result.durationMs).toBeLessThan(40_000);
    expect(r.summary).toBeDefined();
    // Nothing was held to the end of a hold window that never came.
    expect(r.summary.metrics.gomeet_ws_sessions_held.values.count).toBe(0);
    expect(r.summary.metrics.gomeet_ws_connect_success.values.passes).toBeGreaterThan(0);
  });
});

describe('refusing to load', () => {
  it('a target that does not answer stops in setup with exit 107 and says why', async () => {
    const r = await run('api', planFor({ apiBaseUrl: 'http://127.0.0.1:1' }));
    expect(r.result.exitCode).toBe(K6_EXIT.scriptException);
    expect(r.log).toMatch(/does not answer: GET http:\/\/127\.0\.0\.1:1\/health/);
    expect(r.samples.filter((p) => p.metric === 'iterations')).toHaveLength(0);
    expectNoSecrets(r);
  });

  it('a wrong password stops in setup with exit 107 and names the variable, not its value', async () => {
    const r = await run('websocket', planFor(), { [target.target.passwordEnv]: 'not-the-password' });
    expect(r.result.exitCode).toBe(K6_EXIT.scriptException);
    expect(r.log).toMatch(/login of loadtest-0@gomeet\.local failed \(HTTP 401\)/);
    expect(r.log).toContain(target.target.passwordEnv);
    expect(r.log).not.toContain('not-the-password');
  });

  it('no plan: exit 107 before anything runs, with the fix in the message', async () => {
    const r = await run('comprehensive', undefined);
    expect(r.result.exitCode).toBe(K6_EXIT.scriptException);
    expect(r.log).toMatch(/GOMEET_PLAN is not set/);
  });
});
