import { describe, expect, it } from 'vitest';
import { parsePlan, PlanError, validatePlan, type Plan } from '../../../lib/gomeet/plan.ts';
import { PROFILES } from '../../../lib/profiles.ts';

function plan(): Plan {
  return {
    runId: '20261130-093512-smoke-4f2a',
    runner: { id: 0, count: 1 },
    profile: structuredClone(PROFILES.smoke),
    gates: [...PROFILES.smoke.gates],
    target: {
      name: 'local-reference',
      apiBaseUrl: 'http://127.0.0.1:18080/',
      signalingUrls: ['ws://127.0.0.1:18090/ws', 'ws://127.0.0.1:18091/ws'],
      users: 1000,
      passwordEnv: 'GOMEET_LOADTEST_PASSWORD',
    },
  };
}

function errorOf(value: unknown): string {
  try {
    validatePlan(value);
  } catch (err) {
    expect(err).toBeInstanceOf(PlanError);
    return (err as Error).message;
  }
  throw new Error('expected a PlanError');
}

describe('plan', () => {
  it('round-trips a valid plan, trimming the API base URL', () => {
    const parsed = parsePlan(JSON.stringify(plan()));
    expect(parsed.target.apiBaseUrl).toBe('http://127.0.0.1:18080');
    expect(parsed.profile).toEqual(PROFILES.smoke);
    expect(parsed.gates).toEqual(PROFILES.smoke.gates);
  });

  it('says how to fix a missing or non-JSON plan', () => {
    expect(() => parsePlan(undefined)).toThrow(/GOMEET_PLAN is not set.*gomeet-capacity run/);
    expect(() => parsePlan('  ')).toThrow(/GOMEET_PLAN is not set/);
    expect(() => parsePlan('{runId')).toThrow(/GOMEET_PLAN is not valid JSON/);
  });

  it.each([
    ['runId', (p: any) => delete p.runId, 'plan.runId'],
    ['runId with a space (it becomes a tag)', (p: any) => (p.runId = 'a b'), 'plan.runId'],
    ['runner id beyond count', (p: any) => (p.runner = { id: 2, count: 2 }), 'plan.runner.id'],
    ['unknown gate', (p: any) => p.gates.push('nope'), 'plan.gates'],
    ['zero connections', (p: any) => (p.profile.websocket.connections = 0), 'plan.profile.websocket.connections'],
    ['unknown websocket engine', (p: any) => (p.profile.websocket.engine = 'k6/ws'), 'plan.profile.websocket.engine'],
    ['fractional rate', (p: any) => (p.profile.api.ratePerSec = 1.5), 'plan.profile.api.ratePerSec'],
    ['http signaling URL', (p: any) => (p.target.signalingUrls = ['http://127.0.0.1:1/ws']), 'plan.target.signalingUrls.0'],
    ['no signaling URLs', (p: any) => (p.target.signalingUrls = []), 'plan.target.signalingUrls'],
    ['ws API URL', (p: any) => (p.target.apiBaseUrl = 'ws://127.0.0.1:1'), 'plan.target.apiBaseUrl'],
    ['lower-case password env', (p: any) => (p.target.passwordEnv = 'password'), 'plan.target.passwordEnv'],
  ])('names the bad field: %s', (_name, mutate, path) => {
    const p = plan();
    mutate(p);
    expect(errorOf(p).startsWith(`${path}:`)).toBe(true);
  });

  it('a zero ramp is allowed (load starts at full rate)', () => {
    const p = plan();
    p.profile.api.rampSec = 0;
    p.profile.websocket.rampSec = 0;
    expect(validatePlan(p).profile.api.rampSec).toBe(0);
  });
});

describe('plan meetings (shared by N runners)', () => {
  it('are optional, and kept when they match the profile', () => {
    expect(validatePlan(plan()).meetings).toBeUndefined();
    const p = { ...plan(), meetings: { api: ['a1'], websocket: Array.from({ length: PROFILES.smoke.websocket.meetings }, (_, i) => `m${i}`) } };
    expect(validatePlan(p).meetings).toEqual(p.meetings);
  });

  it('must be exactly the meetings the profile plans', () => {
    const p = { ...plan(), meetings: { api: ['a1'], websocket: ['m0'] } };
    expect(errorOf(p)).toMatch(/^plan\.meetings\.websocket: 1 ids, but profile\.websocket\.meetings is 10/);
    expect(errorOf({ ...plan(), meetings: { api: [], websocket: ['m0'] } })).toMatch(/^plan\.meetings\.api:/);
  });
});
