// target.yaml's optional prometheus.queries: a strict, bounded map from server row to PromQL —
// and the documented Kubernetes example is a valid target that overrides all four rows.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../../lib/config/target.ts';
import { PROMETHEUS_ROW_IDS } from '../../../thresholds/queries.ts';

const BASE = `
name: t
api: { baseUrl: http://127.0.0.1:18080 }
signaling: { url: ws://127.0.0.1:18090/ws }
livekit: { url: ws://127.0.0.1:17880 }
`;

describe('prometheus.queries in target.yaml', () => {
  it('is optional', () => {
    expect(parseTarget(`${BASE}prometheus: { url: http://127.0.0.1:19090 }\n`).prometheus.queries).toBeUndefined();
  });

  it('takes PromQL per server row, trimmed', () => {
    const t = parseTarget(`${BASE}prometheus:\n  url: http://127.0.0.1:19090\n  queries:\n    cpu_pct: |\n      max(up)\n`);
    expect(t.prometheus.queries).toEqual({ cpu_pct: 'max(up)' });
  });

  it('refuses an unknown row, an empty query and an oversized one, naming the field', () => {
    expect(() => parseTarget(`${BASE}prometheus: { url: http://x:9090, queries: { api_p95_ms: up } }\n`, 'f.yaml')).toThrow(/f\.yaml: prometheus\.queries: Unrecognized key.*api_p95_ms/);
    expect(() => parseTarget(`${BASE}prometheus: { url: http://x:9090, queries: { cpu_pct: '  ' } }\n`)).toThrow(/prometheus\.queries\.cpu_pct: must be a PromQL expression/);
    expect(() => parseTarget(`${BASE}prometheus: { url: http://x:9090, queries: { cpu_pct: '${'a'.repeat(4001)}' } }\n`)).toThrow(/prometheus\.queries\.cpu_pct/);
  });

  it('the Kubernetes example in docs/ is a valid target overriding every server row', async () => {
    const file = new URL('../../../docs/target-kubernetes.example.yaml', import.meta.url);
    const t = parseTarget(await readFile(file, 'utf8'), 'docs/target-kubernetes.example.yaml');
    expect(Object.keys(t.prometheus.queries ?? {}).sort()).toEqual([...PROMETHEUS_ROW_IDS].sort());
    expect(t.prometheus.queries?.cpu_pct).toContain('kube_pod_container_resource_limits');
    expect(t.prometheus.queries?.memory_pct).toContain('container_memory_working_set_bytes');
  });
});
