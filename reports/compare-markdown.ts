/**
 * A comparison as markdown, for the terminal (`report compare`) and report.md: both runs labelled,
 * worsened first then improved, changes under the noise floor counted but not listed. Short on
 * purpose: it goes into a PR comment or a chat message.
 */
import { formatDelta, formatDeltaPct, formatValue } from './format.ts';
import type { Comparison, MetricDelta, RunLabel } from './compare.ts';

export function renderCompareMarkdown(c: Comparison): string {
  const worsened = c.changed.filter((d) => d.change === 'worsened');
  const improved = c.changed.filter((d) => d.change === 'improved');
  const lines = [
    `### Compared with baseline run ${c.base.runId}`,
    '',
    `- base: ${labelText(c.base)}`,
    `- new: ${labelText(c.next)}`,
    `- steady state only (each row after its warm-up); ${c.unchanged.length} figure${c.unchanged.length === 1 ? '' : 's'} within the noise floor not shown`,
    ...c.notes.map((n) => `- note: ${n}`),
    '',
  ];
  const header = [`| Row | Metric | ${c.base.runId} (base) | ${c.next.runId} (new) | Δ | Δ % |`, '| --- | --- | ---: | ---: | ---: | ---: |'];
  if (worsened.length > 0) lines.push('**Worsened**', '', ...header, ...worsened.map(row), '');
  if (improved.length > 0) lines.push('**Improved**', '', ...header, ...improved.map(row), '');
  if (worsened.length === 0 && improved.length === 0) lines.push('No change beyond the noise floor.', '');
  return lines.join('\n');
}

function row(d: MetricDelta): string {
  const cells = [d.title, `${d.metric}${d.source === 'run' ? ' (whole run)' : ''}`, formatValue(d.unit, d.base), formatValue(d.unit, d.next), formatDelta(d.unit, d.delta), formatDeltaPct(d.deltaPct)];
  return `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function labelText(l: RunLabel): string {
  return `run ${l.runId} · ${l.verdict} · profile ${l.profile} · target ${l.target} · ${l.startedAt}`;
}
