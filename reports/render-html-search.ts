/**
 * search.html: a capacity search as ONE self-contained HTML file, styled like report.html (same
 * CSS, same inline SVG charts, nothing fetched):
 *
 *   the answer · the rows that broke the knee · one chart per gated row against load (each load's
 *   value, the target and critical lines — through each step's own target when it scales with the
 *   load —, the knee and the load that broke it marked) · every step, linked to its run's report.
 *
 * Reads only search.json's shape (scripts/search/report.ts).
 */
import type { SearchReport, SearchStepJson } from '../scripts/search/report.ts';
import type { RowId, Unit } from '../thresholds/table.ts';
import { conditionText, formatValue, statusText } from './format.ts';
import { niceTicks, xyChart, type ChartRule } from './render-html-chart.ts';
import { REPORT_CSS } from './render-html.ts';
import { escapeMarkup as h } from './xml-escape.ts';

const BADGE: Record<SearchReport['result']['kind'], { text: string; css: string }> = {
  knee: { text: 'KNEE FOUND', css: 'v-WARN' },
  'below-start': { text: 'BELOW START', css: 'v-NO_GO' },
  'at-least-max': { text: '≥ MAX', css: 'v-GO' },
  inconclusive: { text: 'INCONCLUSIVE', css: 'v-INCONCLUSIVE' },
};

export function renderSearchHtml(report: SearchReport): string {
  const badge = BADGE[report.result.kind];
  const facts: [string, string][] = [
    ['Dimension', `${report.dimension} (${report.knob}, ${report.unit})`],
    ['Target', report.target],
    ['Base profile', report.baseProfile],
    ['Loads', `${n(report.plan.start)} … ${n(report.plan.max)}, step ${n(report.plan.step)}, ${report.plan.stepUp} step-up`],
    ['Runs', `${report.steps.length} of at most ${report.plan.maxRuns}`],
    ['Wall time', `${report.wallSec} s (budget ${report.plan.budgetSec} s)`],
    ['Started', report.startedAt],
    ['Ended', report.endedAt],
  ];
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GoMeet capacity search: ${h(report.dimension)} — ${h(badge.text)}</title>
  <style>${REPORT_CSS}</style>
</head>
<body>
  <h1>GoMeet capacity search <span class="verdict ${badge.css}">${h(badge.text)}</span></h1>
  <p class="summary"><strong>${h(report.summary)}</strong></p>
  <dl class="facts">
${facts.map(([k, v]) => `    <dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('\n')}
  </dl>
${brokenSection(report)}
${curves(report)}
${stepsTable(report)}
</body>
</html>
`;
}

function brokenSection(report: SearchReport): string {
  if (report.brokenAtLoad === undefined) return '';
  const items = report.brokenBy.map(
    (r) =>
      `    <li><span class="s-${r.status}">${h(r.title)}</span>: ${h(r.observed.map((v) => formatValue(r.unit, v)).join(', '))} — target ${h(conditionText(r, 'target'))}, critical ${h(conditionText(r, 'critical'))}</li>`,
  );
  if (items.length === 0 && report.brokenReason) items.push(`    <li>${h(report.brokenReason)}</li>`);
  return `  <h2>What broke at ${h(n(report.brokenAtLoad))} ${h(report.unit)}</h2>
  <ul class="broken">
${items.join('\n')}
  </ul>`;
}

/** Each gated row against load: one point per load (the mean of its judged runs), rules from each step's own target/critical. */
function curves(report: SearchReport): string {
  const loads = report.steps.map((s) => s.load);
  if (loads.length === 0) return `  <section id="curves"><h2>Rows against load</h2><p class="note">No run was made.</p></section>`;
  const xMin = Math.min(report.plan.start, ...loads);
  const xMax = Math.max(...loads, xMin + report.plan.step);
  const ticks = niceTicks(xMin, xMax, 6).map((at) => ({ at, label: n(at) }));
  const markers = [
    ...(report.result.kind === 'knee' ? [{ x: report.result.knee, label: `knee: ${n(report.result.knee)} ${report.unit} held`, kind: 'target' as const }] : []),
    ...(report.brokenAtLoad !== undefined ? [{ x: report.brokenAtLoad, label: `${n(report.brokenAtLoad)} ${report.unit} broke`, kind: 'critical' as const }] : []),
  ];
  const figures: string[] = [];
  const missing: string[] = [];
  for (const id of report.gates) {
    const perLoad = valuesByLoad(report.steps, id);
    const any = report.steps.flatMap((s) => s.rows).find((r) => r.id === id);
    if (!any || perLoad.length === 0) {
      missing.push(any?.title ?? id);
      continue;
    }
    const unit: Unit = any.unit;
    const chart = xyChart({
      title: `${any.title} against ${report.unit}`,
      x: { min: xMin, max: xMax, ticks, tipX: (x) => `${n(x)} ${report.unit}` },
      lines: [{ label: any.title, points: perLoad.map(([load, values]) => [load, mean(values)] as [number, number]) }],
      format: (v) => formatValue(unit, v),
      rules: rulesOf(report.steps, id),
      markers,
    });
    const caption = perLoad.map(([load, values]) => `${n(load)}: ${values.map((v) => formatValue(unit, v)).join(' / ')}`).join(' · ');
    figures.push(`    <figure class="row-curve" data-row="${h(id)}">${chart}<figcaption>${h(caption)}</figcaption></figure>`);
  }
  return `  <section id="curves">
    <h2>Rows against load</h2>
    <div class="charts">
${figures.join('\n')}
    </div>
${missing.length > 0 ? `    <p class="note">No value at any load for: ${h(missing.join(', '))}.</p>` : ''}
  </section>`;
}

/** [load, observed values of the runs that judged the row there], ascending by load; INCONCLUSIVE runs' values are left out. */
function valuesByLoad(steps: readonly SearchStepJson[], id: RowId): [number, number[]][] {
  const by = new Map<number, number[]>();
  for (const s of steps) {
    if (s.outcome === 'inconclusive') continue;
    const v = s.rows.find((r) => r.id === id)?.observed;
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    by.set(s.load, [...(by.get(s.load) ?? []), v]);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]);
}

function rulesOf(steps: readonly SearchStepJson[], id: RowId): ChartRule[] {
  const at = new Map<number, { target: number; critical: number; row: SearchStepJson['rows'][number] }>();
  for (const s of steps) {
    const row = s.rows.find((r) => r.id === id);
    if (row) at.set(s.load, { target: row.target, critical: row.critical, row });
  }
  const points = [...at.entries()].sort((a, b) => a[0] - b[0]);
  const first = points[0]![1].row;
  const rule = (kind: 'target' | 'critical'): ChartRule => {
    const values = points.map(([load, p]) => [load, p[kind]] as [number, number]);
    const flat = values.every(([, v]) => v === values[0]![1]);
    const label = flat ? `${kind} ${conditionText(first, kind)}` : `${kind} (scales with the load)`;
    return { label, value: values[values.length - 1]![1], kind, ...(flat ? {} : { points: values }) };
  };
  return [rule('target'), rule('critical')];
}

function stepsTable(report: SearchReport): string {
  const ids = report.gates.filter((id) => report.steps.some((s) => s.rows.some((r) => r.id === id)));
  const titles = ids.map((id) => report.steps.flatMap((s) => s.rows).find((r) => r.id === id)!.title);
  const rows = report.steps.map((s) => {
    const cells = ids.map((id) => {
      const r = s.rows.find((x) => x.id === id);
      return r ? `<td class="num s-${r.status}" title="${h(statusText(r.status))}; target ${h(conditionText(r, 'target'))}">${h(formatValue(r.unit, r.observed))}</td>` : '<td class="num">—</td>';
    });
    return `      <tr class="outcome-${s.outcome}"><td class="num">${s.index}</td><td class="num">${h(n(s.load))}</td><td>${h(s.why)}</td><td><span class="verdict v-${h(s.verdict)}">${h(s.verdict)}</span></td>${cells.join('')}<td class="num">${s.durationSec} s</td><td><a href="${h(`${s.outDir}/report.html`)}">${h(s.runId)}</a></td></tr>`;
  });
  return `  <section id="steps">
    <h2>Every run</h2>
    <table class="steps">
      <thead><tr><th>#</th><th>Load (${h(report.unit)})</th><th>Why</th><th>Verdict</th>${titles.map((t) => `<th>${h(t)}</th>`).join('')}<th>Took</th><th>Run</th></tr></thead>
      <tbody>
${rows.join('\n')}
      </tbody>
    </table>
    <p class="note">A miss (WARN or NO_GO) is believed once two runs at that load agree, and so is the knee; an INCONCLUSIVE run is never a pass.</p>
  </section>`;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function n(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
