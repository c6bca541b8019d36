/**
 * The k6-operator manifests of one run (k6.io/v1alpha1 TestRun, with the ConfigMap holding the
 * bundled script and the Secret holding the password) — the cluster twin of `run --runners N`:
 *
 *   parallelism   N runners; the operator gives runner i (1-based) `--execution-segment (i-1)/N:i/N`,
 *                 exactly what scripts/run/load/segments.ts gives local runner i-1
 *   separate      true: one runner per node, so runners do not share a node's ports, files and cores
 *   script        ConfigMap <name>-script, key comprehensive.js: the esbuild bundle (scripts/bundle.ts)
 *   runner        the image carrying the pinned k6 (deploy/k6-operator/Dockerfile), resources sized
 *                 from the profile and the bench (scripts/run/plan-sizing.ts), env: GOMEET_PLAN (no
 *                 secret in it) and the password from the Secret by reference — never inline
 *   arguments     `--out influxdb=<store> --tag run_id=<id> --no-thresholds --no-usage-report`: every runner writes to
 *                 the one store, the verdict and the abort are global (scripts/run/watcher.ts); the
 *                 operator adds `--tag instance_id=<i>` and `--tag testrun_name=<name>` itself, and
 *                 since CLI tags replace the script's `tags` option, instance_id is the runner tag there
 *
 * Pure: plain objects, serialised by the kubectl client. Validated in a test against the schema
 * derived from the operator's CRD (deploy/k6-operator/testrun.schema.json).
 */
import type { Plan } from '../../lib/gomeet/plan.ts';
import type { RunnerSizing } from '../run/plan-sizing.ts';
import { influxOut, RUNNER_GO_ENV, type SampleStore } from '../run/load/runner-args.ts';

export const TESTRUN_API_VERSION = 'k6.io/v1alpha1';
/** The script's file name inside the ConfigMap (and the bundle's). */
export const SCRIPT_FILE = 'comprehensive.js';
/** Label every object of a run carries, with the run id as its value. */
export const RUN_ID_LABEL = 'gomeet-capacity/run-id';

export interface TestRunInput {
  plan: Plan;
  namespace: string;
  /** The bundled comprehensive scenario's text. */
  script: string;
  runnerImage: string;
  sizing: Pick<RunnerSizing, 'runners' | 'cpuRequestCores' | 'memoryRequestMiB' | 'memoryLimitMiB'>;
  store: SampleStore;
  /** The password (goes into the Secret's stringData only). */
  password: string;
}

/** Kubernetes names: lowercase alphanumerics and '-', ≤ 63 characters, from the run id. */
export function testRunName(runId: string): string {
  const base = `gomeet-${runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
  return base.slice(0, 55).replace(/-+$/, '');
}

export interface RunManifests {
  name: string;
  configMap: Record<string, unknown>;
  secret: Record<string, unknown>;
  testRun: TestRun;
}

/** The TestRun as this suite writes it (a subset of the CRD's spec). */
export interface TestRun {
  apiVersion: typeof TESTRUN_API_VERSION;
  kind: 'TestRun';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    parallelism: number;
    separate: boolean;
    script: { configMap: { name: string; file: string } };
    arguments: string;
    runner: {
      image: string;
      metadata: { labels: Record<string, string> };
      env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
      resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
    };
  };
}

export function renderRunManifests(input: TestRunInput): RunManifests {
  const { plan } = input;
  const name = testRunName(plan.runId);
  const labels = { 'app.kubernetes.io/part-of': 'gomeet-capacity', [RUN_ID_LABEL]: plan.runId };
  const secretName = `${name}-secrets`;
  const passwordEnv = plan.target.passwordEnv;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-script`, namespace: input.namespace, labels },
    data: { [SCRIPT_FILE]: input.script },
  };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: input.namespace, labels },
    type: 'Opaque',
    stringData: { [passwordEnv]: input.password },
  };
  // Every pod gets the same env, so the plan's runner slot says "one of N", not which one.
  const runnerPlan: Plan = { ...plan, runner: { id: 0, count: input.sizing.runners } };
  const testRun: TestRun = {
    apiVersion: TESTRUN_API_VERSION,
    kind: 'TestRun',
    metadata: { name, namespace: input.namespace, labels },
    spec: {
      parallelism: input.sizing.runners,
      separate: true,
      script: { configMap: { name: `${name}-script`, file: SCRIPT_FILE } },
      // --no-usage-report: k6 would otherwise report to its maker's server, a host not in the target.
      arguments: [`--out ${influxOut(input.store)}`, `--tag run_id=${plan.runId}`, '--no-thresholds', '--no-usage-report'].join(' '),
      runner: {
        image: input.runnerImage,
        metadata: { labels },
        env: [
          { name: 'GOMEET_PLAN', value: JSON.stringify(runnerPlan) },
          { name: passwordEnv, valueFrom: { secretKeyRef: { name: secretName, key: passwordEnv } } },
          ...Object.entries(RUNNER_GO_ENV).map(([name, value]) => ({ name, value })),
        ],
        resources: {
          requests: { cpu: String(input.sizing.cpuRequestCores), memory: `${input.sizing.memoryRequestMiB}Mi` },
          limits: { memory: `${input.sizing.memoryLimitMiB}Mi` },
        },
      },
    },
  };
  return { name, configMap, secret, testRun };
}
