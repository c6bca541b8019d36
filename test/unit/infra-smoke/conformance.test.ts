/**
 * Conformance against recorded cluster snapshots (fixtures/): `kubectl get deployments,statefulsets,
 * hpa,nodes,configmaps -o json` Lists shaped like a real GoMeet cluster on DigitalOcean (control
 * plane, general/sfu/postgres/redis pools, kube-root-ca.crt, status blocks). Their figures were typed
 * from the seed by hand, not generated from thresholds/sizing.ts, so they witness the sizing
 * independently. gomeet-cluster-drifted.json differs from the conforming one in exactly four places:
 *   - the SFU's HPA tops out at 30, not 50
 *   - PgBouncer's max_client_conn is 2000, not 5000
 *   - Redis is the pre-upgrade 3 masters + 3 replicas, not 6 + 6
 *   - meeting-service's memory limit is 4Gi, not 8Gi
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compareWithSizing, type Drift } from '../../../infra-smoke/conformance/compare.ts';
import { parseSnapshot, type ClusterSnapshot, type K8sObject } from '../../../infra-smoke/conformance/snapshot.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { smokeCommand } from '../../../scripts/smoke.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CONFORMING = join(FIXTURES, 'gomeet-cluster-conforming.json');
const DRIFTED = join(FIXTURES, 'gomeet-cluster-drifted.json');
const CLI = join(import.meta.dirname, '../../../bin/gomeet-capacity.mjs');

const load = (file: string): ClusterSnapshot => parseSnapshot(JSON.parse(readFileSync(file, 'utf8')), file);
const brief = (ds: Drift[]) => ds.map(({ object, field, expected, observed }) => ({ object, field, expected, observed }));

/** The drifts the drifted fixture was made with — the whole list, in the report's order. */
const EXPECTED_DRIFTS = [
  { object: 'HorizontalPodAutoscaler/livekit-sfu-hpa', field: 'spec.maxReplicas', expected: '50', observed: '30' },
  { object: 'Deployment/meeting-service', field: 'meeting-service limits.memory', expected: '8Gi (or 8G)', observed: '4Gi' },
  { object: 'StatefulSet/redis-master', field: 'spec.replicas', expected: '6', observed: '3' },
  { object: 'StatefulSet/redis-replica', field: 'spec.replicas', expected: '6', observed: '3' },
  { object: 'ConfigMap/pgbouncer-config', field: 'pgbouncer.ini: max_client_conn', expected: '≥ 5000', observed: '2000' },
];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A deep copy with `edit` applied to the one object of that kind and name. */
function edited(s: ClusterSnapshot, kind: string, name: string, edit: (o: K8sObject) => K8sObject): ClusterSnapshot {
  const copy = structuredClone(s);
  const i = copy.objects.findIndex((o) => o.kind === kind && o.metadata.name === name);
  expect(i, `${kind}/${name} in the fixture`).toBeGreaterThanOrEqual(0);
  copy.objects[i] = edit(copy.objects[i]!);
  return copy;
}

describe('conformance: the pure comparison on recorded snapshots', () => {
  it('a conforming cluster has no drift', () => {
    expect(compareWithSizing(load(CONFORMING))).toEqual([]);
  });

  it('the drifted cluster: exactly its four deliberate drifts (five objects), observed against expected, each with the seed words', () => {
    const drifts = compareWithSizing(load(DRIFTED));
    expect(brief(drifts)).toEqual(EXPECTED_DRIFTS);
    expect(drifts.find((d) => d.object === 'StatefulSet/redis-master')!.seed).toContain('6 masters + 6 replicas');
    expect(drifts.find((d) => d.object.startsWith('ConfigMap/pgbouncer'))!.seed).toContain('5000');
  });

  it('only the namespace under test counts: a conforming copy elsewhere in an -A List does not hide the drift', () => {
    const drifted = load(DRIFTED);
    const staging = load(CONFORMING).objects.filter((o) => o.metadata.namespace).map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'gomeet-staging' } }));
    // Put the good copies first: a name-only lookup would find them before the drifted ones.
    const both: ClusterSnapshot = { source: 'all namespaces', objects: [...staging, ...drifted.objects] };
    expect(brief(compareWithSizing(both, 'gomeet'))).toEqual(EXPECTED_DRIFTS);
    expect(compareWithSizing(both, 'gomeet-staging')).toEqual([]);
    const missing = compareWithSizing(both, 'elsewhere');
    expect(missing.find((d) => d.object === 'Deployment/auth-service')).toMatchObject({ field: 'object', expected: 'present in namespace elsewhere', observed: 'missing' });
  });

  it('an autoscaling/v1 HPA (older kubectl) is read by its CPU field; the pods metric v1 cannot hold is the only drift', () => {
    const v1 = edited(load(CONFORMING), 'HorizontalPodAutoscaler', 'livekit-sfu-hpa', (o) => ({
      ...o,
      apiVersion: 'autoscaling/v1',
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'livekit-sfu' }, minReplicas: 15, maxReplicas: 50, targetCPUUtilizationPercentage: 70 },
    }));
    expect(brief(compareWithSizing(v1))).toEqual([
      { object: 'HorizontalPodAutoscaler/livekit-sfu-hpa', field: 'pods metric livekit_participants_total', expected: 'averageValue 400', observed: 'no such metric' },
    ]);
  });

  it('a value that is not a quantity is reported as observed, not a crash; millicores compare as cores', () => {
    const bad = edited(load(CONFORMING), 'Deployment', 'chat-service', (o) => {
      const c = (o.spec as any).template.spec.containers[0];
      c.resources.limits.cpu = 'three';
      return o;
    });
    expect(brief(compareWithSizing(bad))).toEqual([{ object: 'Deployment/chat-service', field: 'chat-service limits.cpu', expected: '3 (3000m)', observed: 'three' }]);
  });

  it('not ready and not present are drifts too', () => {
    const s = edited(load(CONFORMING), 'Deployment', 'signaling-service', (o) => ({ ...o, status: { ...o.status, readyReplicas: 19 } }));
    const noRedisConf: ClusterSnapshot = { ...s, objects: s.objects.filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === 'redis-config')) };
    expect(brief(compareWithSizing(noRedisConf))).toEqual([
      { object: 'Deployment/signaling-service', field: 'status.readyReplicas', expected: '25 (all)', observed: '19' },
      { object: 'ConfigMap/redis-config', field: 'redis.conf', expected: 'maxclients ≥ 50000', observed: 'missing' },
    ]);
  });
});

// The CLI cases start the real command line (node + tsx): seconds each on a busy machine.
describe('conformance: `smoke --conformance --snapshot FILE`', { timeout: 90_000 }, () => {
  it('the drifted snapshot: each drift printed with observed and expected, exit 1', () => {
    const r = cli(['smoke', '--conformance', '--snapshot', DRIFTED]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('5 drifts from the seed');
    for (const d of EXPECTED_DRIFTS) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(d.object) && l.includes(d.field));
      expect(line, `${d.object} ${d.field}`).toBeDefined();
      expect(line!.replace(/\s+/g, ' ')).toContain(`${d.expected} ${d.observed}`);
    }
  });

  it('--json: the same drifts as data, exit 1 (in process)', async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    try {
      expect(await smokeCommand({ conformance: true, json: true, snapshot: DRIFTED })).toBe(1);
    } finally {
      log.mockRestore();
    }
    expect(brief(JSON.parse(out.join('\n')).drifts)).toEqual(EXPECTED_DRIFTS);
  });

  it('the conforming snapshot: no drift, exit 0', () => {
    const r = cli(['smoke', '--conformance', '--snapshot', CONFORMING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('matches the seed');
  });

  it('an absent file: one line `error: …`, exit 2', () => {
    const r = cli(['smoke', '--conformance', '--snapshot', join(tmpdir(), 'no-such-snapshot.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: --snapshot .*no-such-snapshot\.json: no such file/);
  });

  it('a file that is not a kubectl List, or not JSON: a UsageError naming the file (the CLI makes it one line, exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
    const pod = join(dir, 'pod.json');
    writeFileSync(pod, JSON.stringify({ kind: 'Pod', metadata: { name: 'x' } }));
    const yaml = join(dir, 'list.yaml');
    writeFileSync(yaml, 'kind: List\nitems: []\n');
    await expect(smokeCommand({ conformance: true, snapshot: pod })).rejects.toThrow(new UsageError(`${pod}: not a kubectl List (kind: List, items: […])`));
    await expect(smokeCommand({ conformance: true, snapshot: yaml })).rejects.toThrow(UsageError);
    await expect(smokeCommand({ conformance: true, snapshot: yaml })).rejects.toThrow(/^--snapshot .*list\.yaml: /);
  });
});
