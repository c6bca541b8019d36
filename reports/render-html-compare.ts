/** report.html's comparison section: the same content as compare-markdown.ts, as HTML tables. */
import type { Comparison, MetricDelta } from './compare.ts';
import { formatDelta, formatDeltaPct, formatValue } from './format.ts';
import { escapeMarkup as h } from './xml-escape.ts';

export function compareSection(c: Comparison): string {
  const table = (title: string, cls: string, deltas: MetricDelta[]) =>
    deltas.length === 0
      ? ''
      : `<h3 class="${cls}">${h(title)}</h3>
    <table class="compare ${cls}">
      <thead><tr><th>Row</th><th>Metric</th><th>${h(c.base.runId)} (base)</th><th>${h(c.next.runId)} (new)</th><th>Δ</th><th>Δ %</th></tr></thead>
      <tbody>
${deltas
  .map(
    (d) => `        <tr><td>${h(d.title)}</td><td>${h(d.metric)}${d.source === 'run' ? ' (whole run)' : ''}</td><td class="num">${h(formatValue(d.unit, d.base))}</td><td class="num">${h(formatValue(d.unit, d.next))}</td><td class="num">${h(formatDelta(d.unit, d.delta))}</td><td class="num">${h(formatDeltaPct(d.deltaPct))}</td></tr>`,
  )
  .join('\n')}
      </tbody>
    </table>`;
  const worsened = c.changed.filter((d) => d.change === 'worsened');
  const improved = c.changed.filter((d) => d.change === 'improved');
  return `<section class="comparison" id="comparison">
    <h2>Compared with baseline run ${h(c.base.runId)}</h2>
    <dl class="facts">
      <dt>Base</dt><dd>${h(`${c.base.runId} · ${c.base.verdict} · ${c.base.profile} / ${c.base.target} · ${c.base.startedAt}`)}</dd>
      <dt>New</dt><dd>${h(`${c.next.runId} · ${c.next.verdict} · ${c.next.profile} / ${c.next.target} · ${c.next.startedAt}`)}</dd>
    </dl>
    <p class="note">Steady state only (each row after its warm-up). ${c.unchanged.length} figure(s) within the noise floor not shown.</p>
${c.notes.map((n) => `    <p class="note">${h(n)}</p>`).join('\n')}
    ${table('Worsened', 'worsened', worsened)}
    ${table('Improved', 'improved', improved)}
    ${worsened.length + improved.length === 0 ? '<p>No change beyond the noise floor.</p>' : ''}
  </section>`;
}
