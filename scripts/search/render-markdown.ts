/**
 * search.md and the terminal's table: the answer, then one line per run of the search — load, why
 * it was chosen, the verdict, and each gated row's observed value and status. Pure; reads only
 * search.json's shape.
 */
import { conditionText, formatValue } from '../../reports/format.ts';
import type { RowStatus } from '../../reports/verdict.ts';
import type { RowId } from '../../thresholds/table.ts';
import type { SearchReport } from './report.ts';
import type { StepRow } from './step-record.ts';

const MARK: Record<RowStatus, string> = { pass: '✓', warn: 'warn', fail: 'FAIL', not_measured: 'no data' };

export function renderSearchMarkdown(report: SearchReport): string {
  const columns = rowColumns(report);
  const header = ['#', 'load', 'why', 'verdict', ...columns.map((c) => c.title), 'run'];
  const lines = report.steps.map((s) => [
    String(s.index),
    `${s.load.toLocaleString('en-US')}`,
    s.why,
    s.verdict,
    ...columns.map((c) => {
      const row = s.rows.find((r) => r.id === c.id);
      return row ? `${formatValue(row.unit, row.observed)} ${MARK[row.status]}` : '—';
    }),
    s.outDir,
  ]);
  const plan = report.plan;
  const out = [
    `# Capacity search: ${report.dimension} (${report.knob}, ${report.unit})`,
    '',
    `**${report.summary}**`,
    '',
    `target ${report.target} · base profile ${report.baseProfile} · ${report.steps.length} run${report.steps.length === 1 ? '' : 's'} in ${wallText(report.wallSec)} · ` +
      `loads ${plan.start.toLocaleString('en-US')}…${plan.max.toLocaleString('en-US')} step ${plan.step.toLocaleString('en-US')} (${plan.stepUp} step-up) · ${report.startedAt} → ${report.endedAt}`,
    '',
    table(header, lines),
    '',
    `Targets: ${columns.map((c) => `${c.title} ${c.targets}`).join(' · ')}.`,
    'A miss is believed after two runs agree, and so is the knee; INCONCLUSIVE runs are never a pass.',
    '',
  ];
  return out.join('\n');
}

/** One column per gated row, in the order of the first step that has them; its target(s) for the note under the table. */
function rowColumns(report: SearchReport): { id: RowId; title: string; targets: string }[] {
  const cols = new Map<RowId, { row: StepRow; targets: number[] }>();
  for (const s of report.steps) {
    for (const r of s.rows) {
      const c = cols.get(r.id) ?? { row: r, targets: [] };
      c.targets.push(r.target);
      cols.set(r.id, c);
    }
  }
  return [...cols.values()].map(({ row, targets }) => {
    const lo = Math.min(...targets);
    const hi = Math.max(...targets);
    const text = (target: number) => conditionText({ ...row, target }, 'target');
    return { id: row.id, title: row.title, targets: lo === hi ? text(lo) : `scales with the load (${text(lo)} … ${text(hi)})` };
  });
}

function table(header: string[], rows: string[][]): string {
  const esc = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function wallText(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`;
}
