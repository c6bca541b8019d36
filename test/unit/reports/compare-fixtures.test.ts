/**
 * `report compare` on two recorded real runs (test/fixtures/recorded-runs): the same smoke profile against
 * the local stack, the second with the API delayed by 150 ms. The slowdown must be listed under
 * worsened, be a regression, and the whole-run numbers must not be what decides it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../reports/compare.ts';
import { renderCompareMarkdown } from '../../../reports/compare-markdown.ts';
import { regressionsOf } from '../../../reports/compare-regressions.ts';
import { compareWithBaseline } from '../../../reports/compare-baseline.ts';
import { loadRunRecord } from '../../../reports/history.ts';
import { observeFromK6Summary } from '../../../reports/observe-k6.ts';
import { PROFILES } from '../../../lib/profiles.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { rowById, THRESHOLD_TABLE } from '../../../thresholds/table.ts';

const dir = (name: string) => fileURLToPath(new URL(`../../fixtures/recorded-runs/${name}`, import.meta.url));

describe('comparing the recorded baseline and slowed runs', async () => {
  const base = await loadRunRecord(dir('baseline'));
  const slowed = await loadRunRecord(dir('slowed'));
  const c = compareRuns(base, slowed);

  it('lists the API p95 under worsened, from the steady state, labelled with both runs', () => {
    const p95 = c.changed.find((d) => d.rowId === 'api_p95_ms' && d.primary)!;
    expect(p95).toMatchObject({ metric: 'p95', source: 'steady', change: 'worsened' });
    const steadyBase = base.series!.steady!.find((s) => s.rowId === 'api_p95_ms')!.metrics.p95!;
    const steadyNew = slowed.series!.steady!.find((s) => s.rowId === 'api_p95_ms')!.metrics.p95!;
    expect([p95.base, p95.next]).toEqual([steadyBase, steadyNew]);
    // The 150 ms delay shows in the median as well: every request waits.
    const p50 = c.changed.find((d) => d.rowId === 'api_p95_ms' && d.metric === 'p50')!;
    expect(p50.change).toBe('worsened');
    expect(p50.delta).toBeGreaterThan(120);
    expect(c.changed[0]!.change).toBe('worsened');
    const md = renderCompareMarkdown(c);
    expect(md).toContain(`| ${base.verdict.runId} (base) | ${slowed.verdict.runId} (new) |`);
    expect(md.indexOf('**Worsened**')).toBeGreaterThan(-1);
    expect(md.split('**Worsened**')[1]!.split('**Improved**')[0]).toContain('| API response time (p95) | p95 |');
  });

  it('the steady window decides, not the ramp: whole-run p95s differ by far less than the delay', () => {
    const whole = (r: typeof base) => r.verdict.rows.find((x) => x.id === 'api_p95_ms')!.observed!;
    const p95 = c.changed.find((d) => d.rowId === 'api_p95_ms' && d.primary)!;
    expect(whole(slowed) - whole(base)).toBeLessThan(p95.delta);
  });

  it('is a regression beyond +20 ms and +20 %, which turns a GO into WARN', async () => {
    const regressions = regressionsOf(c, new Set(PROFILES.smoke.gates));
    expect(regressions.map((r) => r.rowId)).toEqual(['api_p95_ms']);
    // The slowed run was a WARN on its own; pretend it met every target to see the regression decide.
    const asGo = { ...slowed.verdict, verdict: 'GO' as const, reasons: ['all 4 gated rows meet their targets'] };
    const judged = await compareWithBaseline({ baselineDir: dir('baseline'), verdict: asGo, series: slowed.series });
    expect(judged.verdict.verdict).toBe('WARN');
    expect(judged.verdict.reasons[0]).toMatch(/^regression: API response time \(p95\) p95 /);
    expect(judged.verdict.baseline?.runId).toBe(base.verdict.runId);
    // And the other way round nothing regressed.
    expect(regressionsOf(compareRuns(slowed, base), new Set(PROFILES.smoke.gates))).toEqual([]);
  });

  it("the summary observer and the InfluxDB observer agree on these real runs", async () => {
    const rows = effectiveRows(THRESHOLD_TABLE, { gates: PROFILES.smoke.gates, plannedConnections: PROFILES.smoke.websocket.connections });
    for (const run of ['baseline', 'slowed']) {
      const summary = JSON.parse(await readFile(`${dir(run)}/k6-summary.json`, 'utf8'));
      const fromSummary = observeFromK6Summary(summary, rows, PROFILES.smoke.gates);
      const fromStore = (await loadRunRecord(dir(run))).verdict.rows;
      // The recorded runs predate the media rows; the two observers share the k6 rows.
      for (const id of PROFILES.smoke.gates.filter((g) => rowById(g).source.kind === 'k6')) {
        const a = fromSummary.get(id)!.observed!;
        const b = fromStore.find((r) => r.id === id)!.observed!;
        if (id === 'api_p95_ms') expect(Math.abs(a - b), `${run} ${id}`).toBeLessThan(Math.max(2, 0.01 * a));
        else expect(b, `${run} ${id}`).toBe(a);
      }
    }
  });
});
