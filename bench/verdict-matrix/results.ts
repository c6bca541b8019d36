/** results.json's shape and its Markdown rendering (pure). */
import type { RowStatus, VerdictName } from '../../reports/verdict.ts';
import type { RowId } from '../../thresholds/table.ts';
import type { Detection, RowGot } from './match.ts';

export interface FaultRun {
  repeat: number;
  faultId: string;
  title: string;
  expectedVerdict: VerdictName;
  gotVerdict: VerdictName | 'ERROR';
  aborted: boolean;
  matched: boolean;
  mismatches: string[];
  rows: RowGot[];
  /** Fault start, load start and end (Unix ms); fault start null for the healthy run. */
  faultAtMs: number | null;
  loadStartMs: number | null;
  loadEndMs: number | null;
  detection: Detection;
  /** What the injector reported (requests refused, restart time, …). */
  notes: string[];
  outDir: string;
  wallSec: number;
  /** 1-min load average when the run started and when it ended (the machine is shared). */
  load1Before: number;
  load1After: number;
  /** Seconds waited for the machine to calm down before the run (--max-load). */
  waitedSec: number;
  error?: string;
}

export interface MatrixResults {
  command: string;
  date: string;
  machine: { cpus: number; loadBefore: number[]; loadAfter: number[] };
  injection: string;
  profile: string;
  repeats: number;
  runs: FaultRun[];
  summary: { repeat: number; matched: number; total: number }[];
  summaryLine: string;
  /** The recorded verdicts matched again against a corrected fault table (rejudge.ts); the recorded
   *  match above is kept as it was. */
  rejudged?: { date: string; reason: string; summaryLine: string; runs: { repeat: number; faultId: string; matched: boolean; mismatches: string[] }[] };
}

const fmtRow = (r: { id: RowId; status: RowStatus; observed: number | null }): string =>
  `${r.id}=${r.observed == null ? '—' : Number.isInteger(r.observed) ? r.observed : r.observed.toFixed(2)} ${r.status}`;

export function summaryLine(summary: MatrixResults['summary']): string {
  if (summary.length === 0) return 'nothing ran';
  const counts = summary.map((s) => `${s.matched}/${s.total}`);
  const same = counts.every((c) => c === counts[0]);
  return same
    ? `${counts[0]} matched in each of ${summary.length} repeat${summary.length === 1 ? '' : 's'}`
    : `matched per repeat: ${summary.map((s) => `repeat ${s.repeat}: ${s.matched}/${s.total}`).join(', ')}`;
}

export function renderMarkdown(r: MatrixResults): string {
  const faults = [...new Set(r.runs.map((x) => x.faultId))];
  const lines: string[] = [
    '# Verdict matrix — results',
    '',
    `- command: \`${r.command}\``,
    `- date: ${r.date}`,
    `- machine: ${r.machine.cpus} cores, load average before ${r.machine.loadBefore.map((n) => n.toFixed(2)).join(' / ')}, after ${r.machine.loadAfter.map((n) => n.toFixed(2)).join(' / ')} (1/5/15 min)`,
    `- profile: ${r.profile}`,
    `- injection: ${r.injection}`,
    '',
    `**${r.summaryLine}**`,
    '',
    '## Per fault',
    '',
    `| fault | expected | ${Array.from({ length: r.repeats }, (_, i) => `repeat ${i + 1}: got · detection · 1-min load`).join(' | ')} | matched |`,
    `|---|---|${Array.from({ length: r.repeats }, () => '---').join('|')}|---|`,
  ];
  for (const id of faults) {
    const runs = r.runs.filter((x) => x.faultId === id).sort((a, b) => a.repeat - b.repeat);
    const first = runs[0]!;
    const cells = Array.from({ length: r.repeats }, (_, i) => {
      const x = runs.find((y) => y.repeat === i + 1);
      if (!x) return 'not run';
      const det = x.detection.sec === null ? '—' : `${x.detection.sec} s (${x.detection.how})`;
      return `${x.matched ? '' : '**MISMATCH** '}${x.gotVerdict}${x.aborted ? ' (aborted)' : ''} · ${det} · load ${x.load1Before.toFixed(1)}`;
    });
    lines.push(`| ${id} | ${first.expectedVerdict} | ${cells.join(' | ')} | ${runs.filter((x) => x.matched).length}/${runs.length} |`);
  }
  if (r.rejudged) {
    lines.push('', '## Rejudged against the corrected fault table', '', `${r.rejudged.date}: ${r.rejudged.reason}`, '', `**${r.rejudged.summaryLine}** (the same recorded verdicts; nothing re-run)`, '');
    for (const x of r.rejudged.runs.filter((y) => !y.matched)) lines.push(`- repeat ${x.repeat}, ${x.faultId}: still a mismatch — ${x.mismatches.join('; ')}`);
  }
  lines.push('', '## Rows per run', '');
  for (const x of r.runs) {
    lines.push(
      `- repeat ${x.repeat}, **${x.faultId}**: ${x.gotVerdict}${x.matched ? ' — matched' : ` — MISMATCH: ${x.mismatches.join('; ')}`} ` +
        `(load average ${x.load1Before.toFixed(1)} → ${x.load1After.toFixed(1)}${x.waitedSec ? `, waited ${x.waitedSec} s for it` : ''}; ${x.wallSec} s)`,
    );
    lines.push(`  - rows: ${x.rows.map(fmtRow).join(', ')}`);
    if (x.notes.length) lines.push(`  - injector: ${x.notes.join('; ')}`);
    if (x.error) lines.push(`  - error: ${x.error}`);
  }
  return `${lines.join('\n')}\n`;
}
