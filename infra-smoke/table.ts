/**
 * The checks as a table for a terminal (status, check, observed, expected; the fix hint under each
 * check that did not pass), and as JSON for machines. Long cells wrap within their column.
 */
import type { CheckResult, CheckStatus } from './check.ts';

const MARK: Record<CheckStatus, string> = { pass: 'ok', fail: 'FAIL', warn: 'warn', skip: 'skip' };
const OBSERVED_WIDTH = 64;
const EXPECTED_WIDTH = 44;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

export function formatTable(results: CheckResult[]): string {
  const nameWidth = Math.max(5, ...results.map((r) => r.name.length));
  const row = (status: string, name: string, observed: string, expected: string) =>
    `${status.padEnd(5)} ${name.padEnd(nameWidth)}  ${observed.padEnd(OBSERVED_WIDTH)}  ${expected}`.trimEnd();
  const out = [row('', 'check', 'observed', 'expected'), row('', '-'.repeat(nameWidth), '-'.repeat(OBSERVED_WIDTH), '-'.repeat(EXPECTED_WIDTH))];
  for (const r of results) {
    const observed = wrap(r.observed, OBSERVED_WIDTH);
    const expected = wrap(r.expected, EXPECTED_WIDTH);
    for (let i = 0; i < Math.max(observed.length, expected.length); i++) {
      out.push(row(i === 0 ? MARK[r.status] : '', i === 0 ? r.name + (r.required ? '' : '*') : '', observed[i] ?? '', expected[i] ?? ''));
    }
    if (r.status !== 'pass' && r.status !== 'skip' && r.fix) {
      for (const [i, line] of wrap(r.fix, OBSERVED_WIDTH + EXPECTED_WIDTH).entries()) out.push(`${''.padEnd(6 + nameWidth + 2)}${i === 0 ? '→ ' : '  '}${line}`);
    }
  }
  return out.join('\n');
}

/** One line under the table: counts, and what blocks. */
export function formatSummary(results: CheckResult[]): string {
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const blocking = results.filter((r) => r.required && r.status === 'fail').map((r) => r.name);
  const counts = `${count('pass')} ok, ${count('warn')} warn, ${count('fail')} failed, ${count('skip')} skipped (* = does not block load)`;
  return blocking.length ? `${counts}\nblocking: ${blocking.join(', ')}` : counts;
}
