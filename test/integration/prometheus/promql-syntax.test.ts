// Every PromQL the suite sends — the row defaults, the context signals, and the Kubernetes
// example's overrides — parses in the real Prometheus parser (promtool check rules), with the
// placeholders filled as the observer fills them. A typo in a query would otherwise surface only
// as a refused query in a report, after a run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTarget } from '../../../lib/config/target.ts';
import { promtoolCheckRules } from '../../../scripts/clients/prometheus.ts';
import { CONTEXT_QUERIES } from '../../../thresholds/context-queries.ts';
import { fillPlaceholders, SERVER_QUERIES } from '../../../thresholds/queries.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function check(queries: Record<string, string>): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'promql-'));
  dirs.push(dir);
  const file = join(dir, 'rules.yml');
  const rules = Object.entries(queries).map(([name, promql]) => ({
    record: `gomeet:${name}`,
    expr: fillPlaceholders(promql, { windowMs: 95_500, rateSec: 20 }),
  }));
  await writeFile(file, stringify({ groups: [{ name: 'gomeet', rules }] }));
  return promtoolCheckRules(file);
}

describe('PromQL the suite sends', () => {
  it('row defaults and context signals parse', async () => {
    const all = {
      ...Object.fromEntries(Object.entries(SERVER_QUERIES).map(([id, q]) => [id, q.promql])),
      ...Object.fromEntries(Object.entries(SERVER_QUERIES).flatMap(([id, q]) => (q.findings ?? []).map((f, i) => [`${id}_finding_${i}`, f.promql]))),
      ...Object.fromEntries(CONTEXT_QUERIES.map((q) => [q.id, q.promql])),
    };
    expect(await check(all)).toBeNull();
  });

  it('the Kubernetes example overrides parse', async () => {
    const text = await readFile(new URL('../../../docs/target-kubernetes.example.yaml', import.meta.url), 'utf8');
    const queries = parseTarget(text).prometheus.queries ?? {};
    expect(Object.keys(queries)).toHaveLength(4);
    expect(await check(queries as Record<string, string>)).toBeNull();
  });

  it('and a broken one does not (the check can fail)', async () => {
    expect(await check({ broken: 'sum by (le (rate(x[$rate]))' })).toMatch(/parse error|unexpected/);
  });
});
