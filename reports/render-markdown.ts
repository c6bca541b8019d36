/**
 * The verdict as a short markdown note, sized for a pull-request comment: verdict, reasons, and
 * the table with every row (not-measured rows included, so nobody mistakes silence for a pass).
 * Against a baseline, one line per changed primary figure (the full comparison is in report.html
 * and `report compare`).
 */
import type { Comparison, MetricDelta } from './compare.ts';
import { conditionText, formatDelta, formatDeltaPct, formatValue, runLine, statusText } from './format.ts';
import type { RowStatus, Verdict, VerdictName } from './verdict.ts';

const VERDICT_MARK: Record<VerdictName, string> = { GO: '✅', WARN: '⚠️', NO_GO: '❌', INCONCLUSIVE: '❔' };
const STATUS_MARK: Record<RowStatus, string> = { pass: '✅', warn: '⚠️', fail: '❌', not_measured: '➖' };

/** Text safe inside a table cell: no row breaks, no column breaks, no raw HTML. */
function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

function tableRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdown(verdict: Verdict, comparison?: Comparison): string {
  const lines = [
    `## GoMeet capacity: ${VERDICT_MARK[verdict.verdict]} ${verdict.verdict}`,
    '',
    cell(runLine(verdict)) + (verdict.aborted ? ' · **aborted**' : ''),
    '',
    ...verdict.reasons.map((r) => `- ${cell(r)}`),
    '',
    '| Row | Observed | Target | Critical | Status | Note |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...verdict.rows.map((r) =>
      tableRow([
        cell(r.title),
        cell(formatValue(r.unit, r.observed)),
        cell(conditionText(r, 'target')),
        cell(conditionText(r, 'critical')),
        `${STATUS_MARK[r.status]} ${statusText(r.status)}`,
        cell([r.where, r.note].filter(Boolean).join(' — ')),
      ]),
    ),
    '',
    ...(comparison ? baselineLines(comparison) : []),
  ];
  return lines.join('\n');
}

/** Only the primary figure of each row (e.g. p95, not p50/p99/mean): short by design. */
function baselineLines(c: Comparison): string[] {
  const primary = c.changed.filter((d) => d.primary);
  const line = (d: MetricDelta) =>
    `- ${d.change === 'worsened' ? '🔻 worsened' : '🔺 improved'}: ${cell(d.title)} ${cell(d.metric)} ${cell(formatValue(d.unit, d.base))} → ${cell(formatValue(d.unit, d.next))} (${cell(formatDelta(d.unit, d.delta))}, ${cell(formatDeltaPct(d.deltaPct))})`;
  return [
    `**vs baseline run ${cell(c.base.runId)}** (${c.base.verdict}; steady state, noise floor applied)${primary.length === 0 ? ': no change beyond the noise floor' : ''}`,
    '',
    ...primary.map(line),
    '',
  ];
}
