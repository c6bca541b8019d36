/**
 * How a row's numbers are written in every report, so the terminal, markdown, JUnit and HTML
 * say the same thing: `703.8 ms`, `99.85 %`, `45,000`, `2.31 Gbps`, `—` for no data, and
 * conditions the way the seed writes them (`< 200 ms` target, `> 500 ms` critical).
 */
import type { Direction, Unit } from '../thresholds/table.ts';

const DIGITS: Record<Unit, number> = { ms: 1, pct: 3, count: 1, gbps: 3 };
const SUFFIX: Record<Unit, string> = { ms: ' ms', pct: ' %', count: '', gbps: ' Gbps' };
/** A fixed locale: reports must not change with the machine that renders them. */
const LOCALE = 'en-US';

/** `value` in its unit for people; `—` when there is no value. */
export function formatValue(unit: Unit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = value.toLocaleString(LOCALE, { maximumFractionDigits: DIGITS[unit] });
  return `${text}${SUFFIX[unit]}`;
}

/** The condition as a reader checks it: what meets the target, or what crosses the critical. */
export function conditionText(
  row: { unit: Unit; direction: Direction; target: number; critical: number },
  which: 'target' | 'critical',
): string {
  const lower = row.direction === 'lower';
  const op = which === 'target' ? (lower ? '<' : '≥') : lower ? '>' : '<';
  return `${op} ${formatValue(row.unit, which === 'target' ? row.target : row.critical)}`;
}

/** A row status as people read it. */
export function statusText(status: 'pass' | 'warn' | 'fail' | 'not_measured'): string {
  return status === 'not_measured' ? 'not measured' : status;
}

/** The run's facts in one line: profile, target, run id, window. */
export function runLine(v: { profile: string; target: string; runId: string; startedAt: string; endedAt: string }): string {
  return `profile ${v.profile} · target ${v.target} · run ${v.runId} · ${v.startedAt} → ${v.endedAt}`;
}

/** A change in its unit with its sign: `+153.2 ms`, `−0.4 %`, `±0`. */
export function formatDelta(unit: Unit, delta: number): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return `${sign}${formatValue(unit, Math.abs(delta))}`;
}

/** A relative change: `+1,266.4 %`, `−3 %`; `n/a` when the base was 0. */
export function formatDeltaPct(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return 'n/a';
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${Math.abs(pct).toLocaleString(LOCALE, { maximumFractionDigits: 1 })} %`;
}
