/**
 * The verdict as ONE self-contained HTML file: inline CSS and inline SVG charts generated in
 * TypeScript (render-html-chart.ts) — no script, no font, no image, nothing fetched. It opens the
 * same from a CI artifact, an e-mail or a machine without network.
 *
 * Sections: verdict and facts · why · rows (with when each row first missed its target / crossed
 * its critical) · a timeline per gated row with its target and critical drawn · the load over time
 * · the comparison with a baseline (when given) · the run's parameters and versions.
 * Everything beyond the verdict is optional: without series the report says so instead of drawing.
 */
import { THRESHOLD_TABLE, type ThresholdRow } from '../thresholds/table.ts';
import type { Comparison } from './compare.ts';
import { conditionText, formatValue, statusText } from './format.ts';
import { lineChart } from './render-html-chart.ts';
import { compareSection } from './render-html-compare.ts';
import type { RunInfo } from './run-info.ts';
import { firstCrossings, offsetText, type RowCrossings } from './series-crossings.ts';
import type { RunSeries } from './series.ts';
import type { Verdict, VerdictRow } from './verdict.ts';
import { escapeMarkup as h } from './xml-escape.ts';

/** What report.html shows beyond the verdict; every part optional. */
export interface ReportExtras {
  /** series.json of the run: timelines, load, first crossings. */
  series?: RunSeries;
  /** The comparison with a baseline run (run --baseline, report compare). */
  comparison?: Comparison;
  /** Parameters and versions. */
  info?: RunInfo;
  /** Server signals over the run that are not gated (SFU loss, forwarding latency, NACK/PLI, ...),
   *  one printable line each (reports/observe-prometheus.ts contextLines). */
  context?: string[];
}

export const REPORT_CSS = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d2430; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  h2 { margin-top: 2rem; }
  .verdict { display: inline-block; padding: .2rem .7rem; border-radius: .3rem; color: #fff; font-weight: 700; }
  .v-GO { background: #1f7a3a; } .v-WARN { background: #a86a00; } .v-NO_GO { background: #b3261e; } .v-INCONCLUSIVE { background: #6b4fa0; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
  dl.facts dt { color: #5b6575; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde1e7; vertical-align: top; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .s-pass { color: #1f7a3a; } .s-warn { color: #a86a00; } .s-fail { color: #b3261e; font-weight: 700; } .s-not_measured { color: #7a828e; }
  tr.ungated td { color: #7a828e; }
  .note { color: #5b6575; font-size: .9em; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 34rem), 1fr)); gap: 1rem; }
  figure { margin: 0; }
  figcaption { color: #5b6575; font-size: .85em; }
  svg.chart { max-width: 100%; height: auto; background: #fff; border: 1px solid #dde1e7; border-radius: .3rem; }
  svg .grid { stroke: #eef0f3; } svg .axis { stroke: #9aa3af; }
  svg .tick { font-size: 10px; fill: #5b6575; } svg .chart-title { font-size: 12px; font-weight: 600; fill: #1d2430; }
  svg .line { fill: none; stroke-width: 1.8; } svg .dot { stroke: none; }
  svg .line-0 { stroke: #2f6fde; } svg .dot.line-0 { fill: #2f6fde; }
  svg .line-1 { stroke: #7b4fd0; } svg .dot.line-1 { fill: #7b4fd0; }
  svg .line-2 { stroke: #0f8a8a; } svg .dot.line-2 { fill: #0f8a8a; }
  svg .line-3 { stroke: #c2571a; } svg .dot.line-3 { fill: #c2571a; }
  svg .rule { stroke-width: 1.2; stroke-dasharray: 6 4; } svg .rule-label { font-size: 10px; }
  svg .target { stroke: #a86a00; fill: #a86a00; } svg .critical { stroke: #b3261e; fill: #b3261e; }
  svg .marker { stroke-width: 1.5; stroke-dasharray: 2 3; }
  svg .shade { fill: #f1f3f6; }
  table.compare.worsened td:first-child { border-left: 3px solid #b3261e; }
  table.compare.improved td:first-child { border-left: 3px solid #1f7a3a; }
`;

export function renderHtml(verdict: Verdict, extras: ReportExtras = {}): string {
  const v = verdict;
  const { series, comparison, info, context } = extras;
  const crossings = new Map<string, RowCrossings>();
  if (series) {
    for (const row of v.rows) {
      const s = series.rows.find((x) => x.rowId === row.id);
      if (s && row.gated) crossings.set(row.id, firstCrossings(s, { ...row, ...timing(row) }, series.window));
    }
  }
  const facts: [string, string][] = [
    ['Profile', v.profile],
    ['Target', v.target],
    ['Run', v.runId],
    ['Started', v.startedAt],
    ['Ended', v.endedAt],
    ['Aborted', v.aborted ? 'yes' : 'no'],
    ...(v.baseline ? ([['Baseline', v.baseline.runId]] as [string, string][]) : []),
  ];
  const rows = v.rows.map((r) => {
    const c = crossings.get(r.id);
    return `      <tr class="${r.gated ? 'gated' : 'ungated'}">
        <td>${h(r.title)}</td>
        <td class="num">${h(formatValue(r.unit, r.observed))}</td>
        <td class="num">${h(conditionText(r, 'target'))}</td>
        <td class="num">${h(conditionText(r, 'critical'))}</td>
        <td class="s-${r.status}">${h(statusText(r.status))}</td>
        <td class="num first-target">${h(crossingText(c, 'missedTargetAtMs', series))}</td>
        <td class="num first-critical">${h(crossingText(c, 'crossedCriticalAtMs', series))}</td>
        <td class="note">${h([r.where ?? c?.where, r.note].filter(Boolean).join(' — '))}</td>
      </tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GoMeet capacity: ${h(v.verdict)} — ${h(v.profile)} / ${h(v.target)}</title>
  <style>${REPORT_CSS}</style>
</head>
<body>
  <h1>GoMeet capacity <span class="verdict v-${h(v.verdict)}">${h(v.verdict)}</span></h1>
  <dl class="facts">
${facts.map(([k, val]) => `    <dt>${h(k)}</dt><dd>${h(val)}</dd>`).join('\n')}
  </dl>
  <h2>Why</h2>
  <ul class="reasons">
${v.reasons.map((r) => `    <li>${h(r)}</li>`).join('\n')}
  </ul>
  <h2>Rows</h2>
  <table class="rows">
    <thead><tr><th>Row</th><th>Observed</th><th>Target</th><th>Critical</th><th>Status</th><th>First off target</th><th>First over critical</th><th>Note</th></tr></thead>
    <tbody>
${rows.join('\n')}
    </tbody>
  </table>
  <p class="note">First off target / over critical: the first ${series ? `${series.bucketSec} s ` : ''}bucket after the row's warm-up whose value misses the target / crosses the critical, from the run start.</p>
${timelines(v, series, crossings)}
${loadSection(series)}
${comparison ? compareSection(comparison) : ''}
${context && context.length > 0 ? `  <h2>Server context (not gated)</h2>\n  <ul class="context">\n${context.map((c) => `    <li>${h(c)}</li>`).join('\n')}\n  </ul>` : ''}
${infoSection(info)}
</body>
</html>
`;
}

/** Warm-up and abort flag of a verdict row, from the table (verdict.json does not carry them). */
function timing(row: VerdictRow): Pick<ThresholdRow, 'warmupSec' | 'abortOnCritical'> {
  const t = THRESHOLD_TABLE.find((x) => x.id === row.id);
  return { warmupSec: t?.warmupSec ?? 0, abortOnCritical: t?.abortOnCritical ?? true };
}

function crossingText(c: RowCrossings | undefined, key: 'missedTargetAtMs' | 'crossedCriticalAtMs', series: RunSeries | undefined): string {
  if (!c || !series) return '—';
  const t = c[key];
  return t === undefined ? 'never' : offsetText(t, series.window);
}

function timelines(v: Verdict, series: RunSeries | undefined, crossings: Map<string, RowCrossings>): string {
  const gated = v.rows.filter((r) => r.gated);
  if (!series) return `  <section id="timelines"><h2>Timelines</h2><p class="note">No series were recorded for this run (series.json): no timelines.</p></section>`;
  const figures: string[] = [];
  const missing: string[] = [];
  for (const row of gated) {
    const s = series.rows.find((x) => x.rowId === row.id);
    if (!s || s.points.length === 0) {
      missing.push(row.title);
      continue;
    }
    const { warmupSec } = timing(row);
    const c = crossings.get(row.id);
    const markers = [
      ...(c?.missedTargetAtMs !== undefined ? [{ tMs: c.missedTargetAtMs, label: `first off target at ${offsetText(c.missedTargetAtMs, series.window)}`, kind: 'target' as const }] : []),
      ...(c?.crossedCriticalAtMs !== undefined ? [{ tMs: c.crossedCriticalAtMs, label: `first over critical at ${offsetText(c.crossedCriticalAtMs, series.window)}`, kind: 'critical' as const }] : []),
    ];
    const chart = lineChart({
      title: `${row.title}${s.statistic ? ` — ${s.statistic}` : ''}`,
      window: series.window,
      lines: [{ label: row.title, points: s.points }],
      format: (x) => formatValue(row.unit, x),
      rules: [
        { label: `target ${conditionText(row, 'target')}`, value: row.target, kind: 'target' },
        { label: `critical ${conditionText(row, 'critical')}`, value: row.critical, kind: 'critical' },
      ],
      markers,
      ...(warmupSec > 0 ? { shadeUntilMs: series.window.startMs + warmupSec * 1000, shadeLabel: `warm-up (${warmupSec} s): not judged` } : {}),
      bucketMs: series.bucketSec * 1000,
    });
    const caption = [
      `${statusText(row.status)}; observed ${formatValue(row.unit, row.observed)} over the run`,
      ...markers.map((m) => m.label),
      ...(s.where ? [`where: ${s.where}`] : []),
    ].join(' · ');
    figures.push(`    <figure class="row-chart" data-row="${h(row.id)}">${chart}<figcaption>${h(caption)}</figcaption></figure>`);
  }
  return `  <section id="timelines">
    <h2>Timelines</h2>
    <div class="charts">
${figures.join('\n')}
    </div>
${missing.length > 0 ? `    <p class="note">No series for: ${h(missing.join(', '))}.</p>` : ''}
  </section>`;
}

function loadSection(series: RunSeries | undefined): string {
  if (!series || series.load.length === 0) return '';
  const figures = series.load.map((l) => {
    const chart = lineChart({
      title: l.title,
      window: series.window,
      lines: [{ label: l.title, points: l.points }],
      format: (x) => x.toLocaleString('en-US', { maximumFractionDigits: 1 }),
      bucketMs: series.bucketSec * 1000,
    });
    return `    <figure class="load-chart" data-load="${h(l.kind)}">${chart}</figure>`;
  });
  return `  <section id="load">
    <h2>Load</h2>
    <div class="charts">
${figures.join('\n')}
    </div>
  </section>`;
}

function infoSection(info: RunInfo | undefined): string {
  if (!info) return '';
  const versions: [string, string | undefined][] = [
    ['k6', info.versions.k6],
    ['livekit-server', info.versions.livekitServer],
    ['gomeet-capacity commit', info.versions.suiteCommit],
  ];
  const rows = [
    ...Object.entries(info.parameters).map(([k, val]) => [k, String(val)] as const),
    ...versions.map(([k, val]) => [k, val ?? 'unknown'] as const),
  ];
  return `  <section id="run-info">
    <h2>Parameters and versions</h2>
    <table class="info">
      <tbody>
${rows.map(([k, val]) => `        <tr><th>${h(k)}</th><td>${h(val)}</td></tr>`).join('\n')}
      </tbody>
    </table>
  </section>`;
}
