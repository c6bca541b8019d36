/**
 * The rendered TestRun against the k6-operator CRD's schema — as derived in
 * deploy/k6-operator/testrun.schema.json (which commit, which fields: its $comment) — with ajv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../lib/gomeet/plan.ts';
import { PROFILES } from '../../../lib/profiles.ts';
import { renderRunManifests, SCRIPT_FILE, testRunName } from '../../../scripts/cluster/testrun.ts';
import { executionSegmentArgs } from '../../../scripts/run/load/segments.ts';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../../deploy/k6-operator/testrun.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const PASSWORD = 'hunter2-not-in-manifests';

const plan: Plan = {
  runId: '20261130-112830-Full-33c7',
  runner: { id: 0, count: 1 },
  profile: PROFILES.full,
  gates: PROFILES.full.gates,
  target: {
    name: 'staging',
    apiBaseUrl: 'https://gomeet.staging.example/api',
    signalingUrls: ['wss://gomeet.staging.example/ws'],
    users: 1000,
    passwordEnv: 'GOMEET_LOADTEST_PASSWORD',
  },
  meetings: { api: ['a1'], websocket: Array.from({ length: PROFILES.full.websocket.meetings }, (_, i) => `m${i}`) },
};
const render = (over: Partial<Parameters<typeof renderRunManifests>[0]> = {}) =>
  renderRunManifests({
    plan,
    namespace: 'gomeet-capacity',
    script: 'export default function () {}',
    runnerImage: 'registry.example/gomeet-capacity/k6-runner:v2.2.0',
    sizing: { runners: 4, cpuRequestCores: 1.5, memoryRequestMiB: 896, memoryLimitMiB: 1344 },
    store: { url: 'http://influxdb.monitoring:8086', database: 'k6' },
    password: PASSWORD,
    ...over,
  });

describe('k6-operator TestRun', () => {
  it('validates against the CRD schema', () => {
    const { testRun } = render();
    expect(validate(testRun), JSON.stringify(validate.errors)).toBe(true);
  });

  it('parallelism, separate, the script ConfigMap holding the bundle, image, resources from the sizing', () => {
    const { testRun, configMap, name } = render();
    expect(testRun.spec.parallelism).toBe(4);
    expect(testRun.spec.separate).toBe(true);
    expect(testRun.spec.script.configMap).toEqual({ name: `${name}-script`, file: SCRIPT_FILE });
    expect((configMap.data as Record<string, string>)[SCRIPT_FILE]).toBe('export default function () {}');
    expect(testRun.spec.runner.image).toBe('registry.example/gomeet-capacity/k6-runner:v2.2.0');
    expect(testRun.spec.runner.resources).toEqual({ requests: { cpu: '1.5', memory: '896Mi' }, limits: { memory: '1344Mi' } });
  });

  it('arguments: the shared store, the run tag, no per-runner thresholds, no usage report (no host outside the target)', () => {
    const args = render().testRun.spec.arguments.split(' ');
    expect(args).toEqual(['--out', 'influxdb=http://influxdb.monitoring:8086/k6', '--tag', `run_id=${plan.runId}`, '--no-thresholds', '--no-usage-report']);
  });

  it('the password only in the Secret; the runners reference it; the plan in env carries no secret', () => {
    const { testRun, configMap, secret } = render();
    expect(JSON.stringify(testRun)).not.toContain(PASSWORD);
    expect(JSON.stringify(configMap)).not.toContain(PASSWORD);
    expect((secret.stringData as Record<string, string>).GOMEET_LOADTEST_PASSWORD).toBe(PASSWORD);
    const env = testRun.spec.runner.env;
    expect(env.find((e) => e.name === 'GOMEET_LOADTEST_PASSWORD')).toEqual({
      name: 'GOMEET_LOADTEST_PASSWORD',
      valueFrom: { secretKeyRef: { name: `${render().name}-secrets`, key: 'GOMEET_LOADTEST_PASSWORD' } },
    });
    const runnerPlan = JSON.parse(env.find((e) => e.name === 'GOMEET_PLAN')!.value!) as Plan;
    expect(runnerPlan.runner).toEqual({ id: 0, count: 4 });
    expect(runnerPlan.meetings).toEqual(plan.meetings);
  });

  it('names are valid Kubernetes names whatever the run id', () => {
    for (const id of [plan.runId, 'A_B.C', 'x'.repeat(100)]) {
      const name = testRunName(id);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(`${name}-secrets`.length).toBeLessThanOrEqual(63);
    }
  });

  it('the schema refuses what the API server would: a misspelt field, a bad quantity, a missing script', () => {
    const { testRun } = render();
    const typo = structuredClone(testRun) as unknown as { spec: Record<string, unknown> };
    typo.spec.paralelism = 4;
    expect(validate(typo)).toBe(false);
    const quantity = structuredClone(testRun);
    quantity.spec.runner.resources.requests.memory = '896 MB';
    expect(validate(quantity)).toBe(false);
    const noScript = structuredClone(testRun) as unknown as { spec: Record<string, unknown> };
    delete noScript.spec.script;
    expect(validate(noScript)).toBe(false);
    const stringParallelism = structuredClone(testRun) as unknown as { spec: Record<string, unknown> };
    stringParallelism.spec.parallelism = '4';
    expect(validate(stringParallelism)).toBe(false);
  });

  it('local runner i-1 gets the segment the operator gives its runner i', () => {
    // The operator: runner i of parallelism n runs --execution-segment=(i-1)/n:i/n (1-based, ends 0 and 1).
    for (let i = 1; i <= 4; i++) {
      const lo = i - 1 === 0 ? '0' : `${i - 1}/4`;
      const hi = i === 4 ? '1' : `${i}/4`;
      expect(executionSegmentArgs(i - 1, 4)[0]).toBe(`--execution-segment=${lo}:${hi}`);
    }
  });
});
