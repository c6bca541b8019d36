/**
 * The verdict as a short markdown note, sized for a pull-request comment: verdict, reasons, and
 * the table with every row (not-measured rows included, so nobody mistakes silence for a pass).
 */
import { conditionText, formatValue, runLine, statusText } from './format.ts';
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

export function renderMarkdown(verdict: Verdict): string {
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
  ];
  return lines.join('\n');
}
