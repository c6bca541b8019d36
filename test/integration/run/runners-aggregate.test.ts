/**
 * N local runners as one test, judged over all their samples — with real k6 (pinned), the real
 * reference services, a throwaway influxd:
 *
 *   - the same load split over 4 runners gives the same verdict and, within noise, the same figures
 *     as 1 runner (sessions held: exactly; connect success and api error rate: the same; api p95:
 *     close — this machine is shared and noisy, so "close" is generous)
 *   - a critical row crossed on the aggregate (every API answer 700 ms late > the 500 ms critical)
 *     makes the watcher stop every runner gracefully, long before the planned end; the verdict says
 *     aborted, with the row, and how long stopping them took
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../../lib/config/target.ts';
import { PROFILES, type Profile } from '../../../lib/profiles.ts';
import { buildVerdict } from '../../../reports/verdict.ts';
import { bundleScenarios } from '../../../scripts/bundle.ts';
import { K6_EXIT } from '../../../scripts/clients/k6.ts';
import { runObservedLoad, type ObservedLoad } from '../../../scripts/run/load/observed-load.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';
import { startThrowawayInfluxd, type ThrowawayInfluxd } from '../../helpers/throwaway-influxd.ts';
import { startReferenceTarget, type ReferenceTarget } from '../scenarios/reference-target.ts';

/** Smoke's shape, small enough for a shared 2-core machine twice over: 120 sessions in 12 VUs (3 per runner of 4). */
const PROFILE: Profile = {
  ...PROFILES.smoke,
  api: { ...PROFILES.smoke.api, ratePerSec: 8, rampSec: 5, steadySec: 25, users: 20 },
  websocket: { connections: 120, connectionsPerVU: 10, rampSec: 10, holdSec: 20, heartbeatSec: 5, meetings: 4 },
};

let influx: ThrowawayInfluxd;
let work: string;
let k6Path: string;
let script: string;

beforeAll(async () => {
  influx = await startThrowawayInfluxd();
  work = await mkdtemp(join(tmpdir(), 'gomeet-runners-'));
  k6Path = await ensureK6();
  script = (await bundleScenarios(join(work, 'bundle'))).find((s) => s.endsWith('comprehensive.js'))!;
});

afterAll(async () => {
  await influx?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function targetOf(ref: ReferenceTarget): Target {
  return {
    name: ref.target.name,
    environment: 'local',
    api: { baseUrl: ref.target.apiBaseUrl },
    signaling: { url: ref.target.signalingUrls },
    livekit: { url: 'ws://127.0.0.1:1', apiKeyEnv: 'GOMEET_LIVEKIT_API_KEY', apiSecretEnv: 'GOMEET_LIVEKIT_API_SECRET' },
    prometheus: { url: 'http://127.0.0.1:1' },
    influxdb: { url: influx.url, database: influx.database },
    auth: { users: ref.target.users, passwordEnv: ref.target.passwordEnv },
  };
}

async function run(ref: ReferenceTarget, runners: number, profile: Profile, label: string, watchEveryMs?: number) {
  const rows = effectiveRows(THRESHOLD_TABLE, { gates: profile.gates, plannedConnections: profile.websocket.connections });
  const runId = `agg-${label}-${Date.now()}`;
  const lines: string[] = [];
  const loaded: ObservedLoad = await runObservedLoad({
    k6Path,
    script,
    runId,
    profile,
    runners,
    target: targetOf(ref),
    env: ref.k6Env,
    rows,
    outDir: join(work, runId),
    onLine: (phase, line) => lines.push(`${phase} ${line}`),
    watchEveryMs,
  });
  const verdict = buildVerdict({
    rows,
    gates: profile.gates,
    observations: loaded.observations,
    facts: { ...loaded.facts },
    meta: { profile: 'test', target: ref.target.name, runId, startedAt: loaded.startedAt.toISOString(), endedAt: loaded.endedAt.toISOString() },
  });
  const observed = (id: string) => verdict.rows.find((r) => r.id === id)!.observed;
  return { loaded, verdict, observed, lines };
}

describe('4 runners judged as one test', () => {
  let ref: ReferenceTarget;
  beforeAll(async () => {
    ref = await startReferenceTarget({ users: 30, signalingWorkers: 2 });
  });
  afterAll(async () => ref?.stop());

  it('gives the verdict and, within noise, the figures of 1 runner with the same total load', async () => {
    const one = await run(ref, 1, PROFILE, 'one');
    const four = await run(ref, 4, PROFILE, 'four');
    for (const r of [one, four]) {
      expect(r.loaded.facts.aborted, r.lines.join('\n')).toBe(false);
      expect(r.loaded.load!.runners.every((x) => x.result.exitCode === K6_EXIT.ok)).toBe(true);
    }
    expect(four.loaded.load!.runners).toHaveLength(4);
    // Every one of the 4 wrote samples the verdict used.
    expect(four.verdict.rows.find((r) => r.id === 'api_p95_ms')!.note).toMatch(/from 4 runners/);
    expect(one.verdict.rows.find((r) => r.id === 'api_p95_ms')!.note).toMatch(/from 1 runner/);

    const ids = ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct'];
    console.info(`1 runner: ${one.verdict.verdict} ${ids.map((id) => `${id}=${one.observed(id)}`).join(' ')}`);
    console.info(`4 runners: ${four.verdict.verdict} ${ids.map((id) => `${id}=${four.observed(id)}`).join(' ')}`);
    expect(four.verdict.verdict).toBe(one.verdict.verdict);
    // Counts add up exactly: each session is held by exactly one runner.
    expect(four.observed('ws_connections')).toBe(one.observed('ws_connections'));
    expect(four.observed('ws_connections')).toBe(PROFILE.websocket.connections);
    expect(four.observed('ws_connect_success_pct')).toBe(one.observed('ws_connect_success_pct'));
    expect(four.observed('api_error_rate_pct')).toBe(one.observed('api_error_rate_pct'));
    // Latency is not a count: 4 k6 processes on 2 cores add their own scheduling delay to what they
    // time (measured here: p95 18 ms with 1 runner, 132 ms with 4 while the machine was busy). What
    // must agree is the judgement: every row lands in the same band (pass / warn / fail).
    const [a, b] = [one.observed('api_p95_ms')!, four.observed('api_p95_ms')!];
    console.info(`api p95: 1 runner ${a} ms, 4 runners ${b} ms`);
    for (const id of ids) {
      const status = (v: typeof one) => v.verdict.rows.find((r) => r.id === id)!.status;
      expect(status(four), id).toBe(status(one));
    }
  });
});

describe('global abort', () => {
  let slow: ReferenceTarget;
  beforeAll(async () => {
    slow = await startReferenceTarget({ users: 30, signalingWorkers: 2, apiDelayMs: 700 });
  });
  afterAll(async () => slow?.stop());

  it('a critical row crossed on the aggregate stops every runner, and the verdict says so with the row', async () => {
    // api p95 may abort after its 20 s warm-up; the run is planned for 80 s.
    const profile: Profile = { ...PROFILE, api: { ...PROFILE.api, steadySec: 75, maxVUs: 40 }, websocket: { ...PROFILE.websocket, holdSec: 60 } };
    const r = await run(slow, 2, profile, 'abort', 1000);
    const load = r.loaded.load!;
    expect(r.loaded.watch?.crossing?.map((c) => c.rowId), r.lines.join('\n')).toContain('api_p95_ms');
    expect(r.loaded.facts.aborted).toBe(true);
    expect(r.loaded.facts.abortReason).toMatch(/API response time \(p95\) \d+.* crosses the critical 500/);
    expect(r.loaded.facts.abortReason).toMatch(/all 2 runner\(s\) stopped [\d.]+ s after the watcher saw it/);
    // Stopped gracefully (k6's external-abort exit, summaries written), well before the planned end.
    expect(load.runners.map((x) => x.result.exitCode)).toEqual([K6_EXIT.externalAbort, K6_EXIT.externalAbort]);
    expect(load.endedAtMs - load.startedAtMs!).toBeLessThan(70_000);
    const stoppedInMs = load.endedAtMs - r.loaded.watch!.detectedAtMs!;
    console.info(`watcher saw the crossing ${((r.loaded.watch!.detectedAtMs! - load.startedAtMs!) / 1000).toFixed(1)} s into the run; all runners stopped ${(stoppedInMs / 1000).toFixed(1)} s later`);
    expect(stoppedInMs).toBeLessThan(30_000);
    expect(r.verdict.verdict).toBe('NO_GO');
    expect(r.verdict.aborted).toBe(true);
  });
});
