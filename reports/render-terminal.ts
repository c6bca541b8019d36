/**
 * The verdict as the `run` command prints it: an aligned table (row, observed, target, critical,
 * status), the reasons, and the verdict line last — the line a person scrolling back looks for.
 * Colours only on a terminal (and never with NO_COLOR): CI logs and files stay plain text.
 */
import { styleText } from 'node:util';
import { conditionText, formatValue, runLine, statusText } from './format.ts';
import type { RowStatus, Verdict, VerdictName } from './verdict.ts';

type Style = Parameters<typeof styleText>[0];

export interface TerminalOptions {
  /** ANSI colours; default: stdout is a TTY and NO_COLOR is unset. */
  color?: boolean;
}

const STATUS_STYLE: Record<RowStatus, Style> = { pass: 'green', warn: 'yellow', fail: 'red', not_measured: 'dim' };
const VERDICT_STYLE: Record<VerdictName, Style> = {
  GO: ['bold', 'green'],
  WARN: ['bold', 'yellow'],
  NO_GO: ['bold', 'red'],
  INCONCLUSIVE: ['bold', 'magenta'],
};

export function renderTerminal(verdict: Verdict, options: TerminalOptions = {}): string {
  const color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  const paint = (style: Style, text: string) => (color ? styleText(style, text, { validateStream: false }) : text);

  const header = ['row', 'observed', 'target', 'critical', 'status'];
  const cells = verdict.rows.map((r) => [
    r.title,
    formatValue(r.unit, r.observed),
    conditionText(r, 'target'),
    conditionText(r, 'critical'),
    statusText(r.status),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // Pad before painting: escape codes must not count towards a column's width.
  const line = (c: string[]) => c.map((text, i) => (i === c.length - 1 ? text : text.padEnd(widths[i]!))).join('  ');

  const out = [runLine(verdict), '', paint('bold', line(header))];
  verdict.rows.forEach((r, i) => {
    const c = cells[i]!;
    const padded = line(c);
    const statusAt = padded.length - c[c.length - 1]!.length;
    out.push(padded.slice(0, statusAt) + paint(STATUS_STYLE[r.status], padded.slice(statusAt)));
  });
  out.push('');
  for (const reason of verdict.reasons) out.push(`  - ${reason}`);
  out.push(paint(VERDICT_STYLE[verdict.verdict], `verdict: ${verdict.verdict}`));
  return out.join('\n');
}
