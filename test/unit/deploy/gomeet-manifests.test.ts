/**
 * deploy/gomeet: the GoMeet stack as typed objects. Every rendered object is validated offline
 * against the Kubernetes OpenAPI schemas (kubernetes-models' `.validate()`), the validation is shown
 * to reject broken objects, and the rendered stack — given the status a finished rollout reports
 * and the nodes of the recorded cluster — passes `smoke --conformance`'s comparison with zero drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { describe, expect, it } from 'vitest';
import { renderStack, type Manifest, type StackOptions } from '../../../deploy/gomeet/index.ts';
import { compareWithSizing } from '../../../infra-smoke/conformance/compare.ts';
import { parseQuantity } from '../../../infra-smoke/conformance/quantity.ts';
import type { ClusterSnapshot, K8sObject } from '../../../infra-smoke/conformance/snapshot.ts';
import { SEED_SIZING } from '../../../thresholds/sizing.ts';

const SECRETS: StackOptions['secrets'] = {
  postgresPassword: 'pg-Secret-1',
  replicationPassword: 'repl-Secret-2',
  jwtSecret: 'jwt-Secret-3',
  livekitApiKey: 'APIkey4',
  livekitApiSecret: 'lk-Secret-5',
  turnSecret: 'turn-Secret-6',
  grafanaAdminPassword: 'graf-Secret-7',
};
const json = (m: Manifest) => JSON.parse(JSON.stringify(m)) as K8sObject & { spec: any; data?: Record<string, string>; stringData?: Record<string, string> };
const find = (objects: Manifest[], kind: string, name: string) => {
  const m = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!m) throw new Error(`${kind}/${name} not rendered`);
  return json(m);
};

/** Nodes as the recorded conforming cluster has them: the pools the manifests pin pods to. */
function recordedNodes(): K8sObject[] {
  const list = JSON.parse(readFileSync(join(import.meta.dirname, '../infra-smoke/fixtures/gomeet-cluster-conforming.json'), 'utf8'));
  return list.items.filter((i: K8sObject) => i.kind === 'Node');
}

/** What `kubectl get … -o json` would return once every rollout finished: each workload ready. */
function asRolledOut(objects: Manifest[]): ClusterSnapshot {
  const workloads = objects.map(json).map((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet' ? { ...o, status: { replicas: o.spec.replicas, readyReplicas: o.spec.replicas } } : o));
  return { source: 'rendered manifests', objects: [...workloads, ...recordedNodes()] };
}

describe('deploy/gomeet manifests', () => {
  const stack = renderStack({ secrets: SECRETS });

  it('every object validates against the Kubernetes schemas, and the stack has what the seed lists', () => {
    for (const m of stack.objects) expect(() => m.validate(), `${m.kind}/${m.metadata?.name}`).not.toThrow();
    const ids = stack.objects.map((m) => `${m.kind}/${m.metadata?.name}@${m.metadata?.namespace ?? ''}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const w of SEED_SIZING.workloads) expect(ids, w.name).toContain(`${w.kind}/${w.name}@gomeet`);
    for (const extra of ['Job/redis-cluster-init@gomeet', 'ConfigMap/livekit-config@gomeet', 'ConfigMap/traefik-dynamic@gomeet', 'Service/traefik@gomeet', 'StatefulSet/influxdb@gomeet-capacity', 'Namespace/gomeet@', 'Namespace/gomeet-capacity@']) {
      expect(ids).toContain(extra);
    }
    expect(stack.bundleUrls).toEqual([expect.stringMatching(/^https:\/\/raw\.githubusercontent\.com\/grafana\/k6-operator\/[0-9a-f]{40}\/bundle\.yaml$/)]);
  });

  it('the validation is real: broken objects throw, naming the field', () => {
    const noName = new Deployment({ metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { spec: { containers: [{ image: 'i' } as never] } } } });
    expect(() => noName.validate()).toThrow(/containers\/0 must have required property 'name'|containers\/0 must have required property name/);
    // A rendered object, then broken the way a hand edit would: a quantity that is not one.
    const sfu = stack.objects.find((m) => m.kind === 'Deployment' && m.metadata?.name === 'signaling-service') as Deployment;
    const broken = new Deployment(structuredClone(json(sfu)) as never);
    broken.spec!.template.spec!.containers[0]!.resources!.limits!.cpu = 'six cores';
    expect(() => broken.validate()).toThrow(/limits\/cpu/);
    const hpa = new HorizontalPodAutoscaler(structuredClone(json(stack.objects.find((m) => m.kind === 'HorizontalPodAutoscaler')!)) as never);
    (hpa.spec as { maxReplicas: unknown }).maxReplicas = '50';
    expect(() => hpa.validate()).toThrow(/maxReplicas must be integer/);
  });

  it('conform to the sizing by construction: the rendered stack, rolled out, has zero drift', () => {
    expect(compareWithSizing(asRolledOut(stack.objects))).toEqual([]);
    // In another namespace too: conformance reads the namespace `cluster up --namespace` used.
    const staging = renderStack({ secrets: SECRETS, namespace: 'gomeet-staging' });
    expect(compareWithSizing(asRolledOut(staging.objects), 'gomeet-staging')).toEqual([]);
  });

  it('the zero-drift check has teeth: a rendered rate limit or replica count changed is reported', () => {
    const snapshot = asRolledOut(stack.objects);
    const traefik = snapshot.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'traefik-dynamic')!;
    traefik.data = { 'dynamic.yaml': traefik.data!['dynamic.yaml']!.replace('average: 2000', 'average: 3000') };
    const chat = snapshot.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'chat-service') as any;
    chat.spec.replicas = 4;
    chat.status = { readyReplicas: 4 };
    expect(compareWithSizing(snapshot).map((d) => `${d.object} ${d.field}: ${d.expected} / ${d.observed}`)).toEqual([
      'Deployment/chat-service spec.replicas: 10–25 (HPA range; seed 10) / 4',
      'ConfigMap/traefik-dynamic dynamic.yaml: http.middlewares.ws-rate-limit.rateLimit.average: 2000 / 3000',
    ]);
  });

  it('sizes come from the sizing: limits as the seed gives them, requests half of them; pool servers one per node', () => {
    const sig = find(stack.objects, 'Deployment', 'signaling-service').spec.template.spec.containers[0].resources;
    expect(sig).toEqual({ limits: { cpu: '6', memory: '12Gi' }, requests: { cpu: '3', memory: '6Gi' } });
    for (const [kind, name, pool] of [['Deployment', 'livekit-sfu', 'sfu'], ['StatefulSet', 'redis-master', 'redis'], ['StatefulSet', 'postgres-replica', 'postgres']] as const) {
      const spec = find(stack.objects, kind, name).spec.template.spec;
      const p = SEED_SIZING.nodePools.find((x) => x.pool === pool)!;
      expect(spec.nodeSelector).toEqual({ 'gomeet.io/pool': pool });
      // More than half a machine: the scheduler can place only one per node.
      expect(parseQuantity(spec.containers[0].resources.requests.cpu)).toBeGreaterThan(p.vcpu / 2);
      expect(parseQuantity(spec.containers[0].resources.requests.cpu)).toBeLessThanOrEqual(p.vcpu);
    }
    const sfuHpa = find(stack.objects, 'HorizontalPodAutoscaler', 'livekit-sfu-hpa').spec;
    expect(sfuHpa.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it('images: GoMeet services at <registry>/<name>:<imageTag>, third-party pinned and replaceable', () => {
    const image = (s: ReturnType<typeof renderStack>, kind: string, name: string) => find(s.objects, kind, name).spec.template.spec.containers[0].image;
    expect(image(stack, 'Deployment', 'auth-service')).toBe('gomeet/auth-service:v2.0.0');
    const custom = renderStack({ secrets: SECRETS, registry: 'registry.example/gm', imageTag: 'v2.1.0-rc1', images: { livekit: 'mirror/livekit:v1.9.0' } });
    expect(image(custom, 'Deployment', 'meeting-service')).toBe('registry.example/gm/meeting-service:v2.1.0-rc1');
    expect(image(custom, 'Deployment', 'livekit-sfu')).toBe('mirror/livekit:v1.9.0');
    expect(image(custom, 'StatefulSet', 'redis-master')).toBe(image(stack, 'StatefulSet', 'redis-master'));
    for (const m of stack.objects) {
      for (const c of (json(m).spec?.template?.spec?.containers ?? []) as { image: string }[]) expect(c.image, `${m.kind}/${m.metadata?.name}`).toMatch(/:[\w.-]+$/);
    }
  });

  it('secrets only in the Secret: containers read them by reference, never inline', () => {
    const values = Object.values(SECRETS);
    for (const m of stack.objects.filter((x) => x.kind !== 'Secret')) {
      const text = JSON.stringify(m);
      for (const v of values) expect(text, `${m.kind}/${m.metadata?.name}`).not.toContain(v);
    }
    const secret = find(stack.objects, 'Secret', 'gomeet-secrets');
    expect(secret.stringData!.LIVEKIT_KEYS).toBe('APIkey4: lk-Secret-5');
    expect(secret.stringData!['userlist.txt']).toContain('pg-Secret-1');
  });
});
