/**
 * The gateway's rate limits and the services' circuit breaker, end to end: the rate-limits scenario
 * bundled and run by the real pinned k6 against real haproxy (the stack's config and Lua bucket) in
 * front of the real api and signaling, on throwaway PostgreSQL and Redis.
 *
 * The limits are the seed's semantics on a shorter clock — 10 per 20 s for the API and for
 * WebSocket upgrades (burst = count, as for 1000/2000 per 60 s) — so "recovers after the window"
 * costs 21 s, not a minute; the seed's own numbers are pinned in test/unit/gateway. At 0.5 token/s
 * a phase sent within 1.5 s sees no refill, so the first 429 must be exactly request 11.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, loadTestUserEmail, type LoginResponse } from '../../../lib/gomeet/contract.ts';
import { LIMIT_NAMES } from '../../../lib/gomeet/rate-limit-probe.ts';
import { K6_EXIT } from '../../../scripts/clients/k6.ts';
import { formatVerdict } from '../../../scripts/limits/judge.ts';
import { runRateLimitProbe, type ProbeRun } from '../../../scripts/limits/run-probe.ts';
import { CLIENT_ID_HEADER, overPeriod, SEED_GATEWAY_LIMITS, type GatewayLimits } from '../../../stack/gateway/rate-limits.ts';
import { sampleValue } from '../services/prom-text.ts';
import { startGatewayTarget, type GatewayTarget } from './gateway-target.ts';

const LIMITS: GatewayLimits = { api: overPeriod(SEED_GATEWAY_LIMITS.api, 20, 10), websocket: overPeriod(SEED_GATEWAY_LIMITS.websocket, 20, 10) };
const EXTRA = 5;

let target: GatewayTarget;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gomeet-rate-limits-'));
  target = await startGatewayTarget(LIMITS);
});

afterAll(async () => {
  await target?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rate limits through the gateway (k6 rate-limits scenario)', () => {
  let run: ProbeRun;
  const lines: string[] = [];

  beforeAll(async () => {
    run = await runRateLimitProbe({ probe: { gatewayUrl: target.gateway.url, limits: LIMITS, extra: EXTRA, runTag: `it${Date.now()}` }, outDir: dir, onLine: (l) => lines.push(l) });
    console.log(formatVerdict(run.verdict));
  });

  const phase = (limit: string, name: string) => run.verdict.phases.find((p) => p.limit === limit && p.phase === name)!;

  it('k6 ran to the end and the judge finds every limit as specified', () => {
    expect(run.k6.exitCode, lines.join('\n')).toBe(K6_EXIT.ok);
    expect(run.verdict.ok, formatVerdict(run.verdict)).toBe(true);
  });

  for (const limit of LIMIT_NAMES) {
    it(`${limit}: no 429 up to the limit (9, then 10 requests as fresh clients)`, () => {
      for (const name of ['below', 'at']) {
        expect(phase(limit, name).facts).toMatchObject({ sent: name === 'below' ? 9 : 10, refused: 0, errors: 0, firstRefusedIndex: 0 });
      }
    });

    it(`${limit}: 429 from request 11 exactly, and for every request after it within the window`, () => {
      const past = phase(limit, 'past');
      expect(past.facts).toMatchObject({ sent: 10 + EXTRA, refused: EXTRA, errors: 0, firstRefusedIndex: 11 });
      expect(past.exact).toBe(true);
      expect(past.line).toMatch(/^429 from request 11 exactly/);
    });

    it(`${limit}: the same client is let through again once the window has passed`, () => {
      expect(phase(limit, 'recovered').facts).toMatchObject({ sent: 10, refused: 0, errors: 0 });
    });
  }
});

describe('circuit breaker behind the gateway', () => {
  let n = 0;
  /** Each call its own client: the breaker, not the rate limit, must decide these answers. */
  async function call(path: string, opts: { token?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { [CLIENT_ID_HEADER]: `breaker-${++n}` };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body) headers['content-type'] = 'application/json';
    const t0 = performance.now();
    const res = await fetch(target.gateway.url + path, {
      method: opts.body ? 'POST' : 'GET',
      headers,
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0 };
  }
  const breakerState = async () => sampleValue((await call('/metrics')).text, 'circuit_breaker_state', { service: 'meeting', target: 'postgres' });

  it('PostgreSQL failing opens the breaker (503 fast, state open) and it closes once PostgreSQL is back', async () => {
    const login = await call(API.login, { body: { email: loadTestUserEmail(0), password: target.password } });
    expect(login.status).toBe(200);
    const token = (JSON.parse(login.text) as LoginResponse).accessToken;
    expect((await call(API.meetings, { token })).status).toBe(200);
    expect(await breakerState()).toBe(0);

    target.postgresLink.cut();
    // Bounded: the breaker opens after 5 consecutive failures; 20 calls is plenty.
    const failing: Array<{ status: number; ms: number }> = [];
    for (let i = 0; i < 20 && (await breakerState()) !== 2; i++) failing.push(await call(API.meetings, { token }));
    expect(await breakerState()).toBe(2);
    expect(failing.every((r) => r.status === 503)).toBe(true);
    // Open: refused without touching PostgreSQL.
    const open = await Promise.all(Array.from({ length: 5 }, () => call(API.meetings, { token })));
    expect(open.map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
    expect(Math.max(...open.map((r) => r.ms))).toBeLessThan(1000);
    console.log(`breaker: opened after ${failing.length} calls; open answers in ${open.map((r) => r.ms.toFixed(0)).join(', ')} ms`);

    target.postgresLink.restore();
    // The breaker lets a trial call through 5 s after opening; bounded at 30 s.
    const t0 = Date.now();
    let status = 0;
    while (Date.now() - t0 < 30_000 && status !== 200) {
      status = (await call(API.meetings, { token })).status;
      if (status !== 200) await sleep(500);
    }
    expect(status).toBe(200);
    expect(await breakerState()).toBe(0);
    console.log(`breaker: closed ${((Date.now() - t0) / 1000).toFixed(1)} s after PostgreSQL came back`);
  });
});
