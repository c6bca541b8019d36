/**
 * The dashboard's queries against the real servers they are written for: every InfluxQL query (with
 * Grafana's macros filled in as Grafana would) runs without error on a throwaway influxd holding
 * the samples of a real k6 runner — and the client-side and load queries return data; every PromQL
 * expression passes `promtool check rules` (Prometheus's own parser).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_FILE } from '../../../docs/grafana/generate.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { startThrowawayInfluxd, type ThrowawayInfluxd } from '../../helpers/throwaway-influxd.ts';
import { runRunners, type RunResult } from '../influx/k6-runners.ts';

interface Target {
  datasource: { type: string };
  query?: string;
  expr?: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
}

const RUN_ID = 'dashboard-run';

describe('dashboard queries on real servers', () => {
  let influx: ThrowawayInfluxd;
  let dir = '';
  let run: RunResult;
  let panels: Panel[] = [];

  beforeAll(async () => {
    let k6: string;
    [influx, k6, dir] = await Promise.all([startThrowawayInfluxd(), ensureK6(), mkdtemp(join(tmpdir(), 'gomeet-grafana-'))]);
    panels = (JSON.parse(await readFile(DASHBOARD_FILE, 'utf8')).panels as Panel[]).filter((p) => p.type !== 'row');
    run = await runRunners({
      k6,
      influxUrl: influx.url,
      database: influx.database,
      runId: RUN_ID,
      dir,
      specs: [{ server: { delayMs: 5, failEvery: 10 }, rate: 20, durationSec: 5, sockets: 5, socketHoldSec: 3 }],
    });
  });
  afterAll(async () => {
    await influx?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Grafana's macros as Grafana fills them for a 5 s interval over the run. */
  const fill = (q: string) =>
    q
      .replaceAll('$timeFilter', `time >= ${run.window.startMs - 5000}ms AND time <= ${run.window.endMs + 5000}ms`)
      .replaceAll('$__interval_ms', '5000')
      .replaceAll('$__interval', '5s')
      .replaceAll('$run_id', RUN_ID)
      .replaceAll('$planned_connections', '100');

  it('every InfluxQL query runs; client-side and load panels find the runner\'s samples', async () => {
    const influxTargets = panels.flatMap((p) => (p.targets ?? []).filter((t) => t.datasource.type === 'influxdb').map((t) => ({ panel: p.title, query: t.query! })));
    expect(influxTargets.length).toBeGreaterThanOrEqual(8);
    for (const { panel, query } of influxTargets) {
      const res = await fetch(`${influx.url}/query?${new URLSearchParams({ db: influx.database, q: fill(query) })}`);
      const body = (await res.json()) as { results: { error?: string; series?: { values: unknown[][] }[] }[]; error?: string };
      expect(body.error ?? body.results[0]?.error, `${panel}: ${query}`).toBeUndefined();
      const points = (body.results[0]?.series ?? []).reduce((n, s) => n + s.values.length, 0);
      // The browser probes' video latency is the only k6 measurement this runner does not write.
      if (!panel.startsWith('Video latency')) expect(points, `${panel} finds no data: ${query}`).toBeGreaterThan(0);
    }
  });

  it('every PromQL expression parses (promtool check rules)', async () => {
    const exprs = panels.flatMap((p) => (p.targets ?? []).filter((t) => t.datasource.type === 'prometheus').map((t) => t.expr!));
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    const rules = {
      groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:expr_${i}`, expr: expr.replaceAll('$__rate_interval', '1m') })) }],
    };
    const file = join(dir, 'rules.yml');
    await writeFile(file, stringify(rules));
    const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', file]);
    expect(stdout).toContain(`SUCCESS: ${exprs.length} rules found`);
    // And promtool does reject a broken one, so the check above means something.
    await writeFile(file, stringify({ groups: [{ name: 'x', rules: [{ record: 'x:y', expr: 'sum(rate(x[1m])' }] }] }));
    await expect(promisify(execFile)('promtool', ['check', 'rules', file])).rejects.toThrow();
  });
});
