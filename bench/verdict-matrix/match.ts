/**
 * Pure parts of the verdict matrix: did a run's verdict match its fault's expectation, and when did
 * the verdict notice the fault (detection time).
 */
import type { RowStatus, Verdict, VerdictName } from '../../reports/verdict.ts';
import type { SeriesPoint } from '../../reports/series.ts';
import type { Direction, RowId } from '../../thresholds/table.ts';
import type { Fault } from './faults.ts';

export interface RowGot {
  id: RowId;
  status: RowStatus;
  observed: number | null;
  /** What the fault table expected of it (statuses joined by `|`). */
  expected: string;
  ok: boolean;
}

export interface MatchResult {
  matched: boolean;
  expectedVerdict: VerdictName;
  gotVerdict: VerdictName;
  aborted: boolean;
  rows: RowGot[];
  /** One line per mismatch, empty when matched. */
  mismatches: string[];
}

/** Compares a verdict with a fault's expectation: verdict name, every gated row, the abort. */
export function matchVerdict(fault: Pick<Fault, 'expected'>, verdict: Pick<Verdict, 'verdict' | 'aborted' | 'rows'>, gates: readonly RowId[]): MatchResult {
  const mismatches: string[] = [];
  if (verdict.verdict !== fault.expected.verdict) mismatches.push(`verdict ${verdict.verdict}, expected ${fault.expected.verdict}`);
  if (fault.expected.aborted !== undefined && verdict.aborted !== fault.expected.aborted) {
    mismatches.push(fault.expected.aborted ? 'the run was not aborted, expected an abort' : 'the run was aborted, expected none');
  }
  const rows: RowGot[] = [];
  for (const id of gates) {
    const row = verdict.rows.find((r) => r.id === id);
    const allowed = fault.expected.rows[id]?.status ?? ['pass'];
    const status: RowStatus = row?.status ?? 'not_measured';
    const ok = allowed.includes(status);
    if (!ok) mismatches.push(`${id} ${status}${row?.observed != null ? ` (${round(row.observed)})` : ''}, expected ${allowed.join('|')}`);
    rows.push({ id, status, observed: row?.observed ?? null, expected: allowed.join('|'), ok });
  }
  const oneFails = fault.expected.oneFails ?? [];
  if (oneFails.length > 0 && !rows.some((r) => oneFails.includes(r.id) && r.status === 'fail')) {
    mismatches.push(`none of ${oneFails.join(', ')} failed, expected one to`);
  }
  return { matched: mismatches.length === 0, expectedVerdict: fault.expected.verdict, gotVerdict: verdict.verdict, aborted: verdict.aborted, rows, mismatches };
}

/** True when `value` misses the target (`level` warn) or crosses the critical (`level` fail). */
export function crosses(value: number, row: { direction: Direction; target: number; critical: number }, level: 'warn' | 'fail'): boolean {
  if (row.direction === 'lower') return level === 'warn' ? value >= row.target : value > row.critical;
  return level === 'warn' ? value < row.target : value < row.critical;
}

export interface Detection {
  /** Seconds from the fault's start to the verdict noticing it; null when nothing noticed it. */
  sec: number | null;
  /** How: the watcher's abort, or a row's series first crossing (which row, which level). */
  how: string;
}

export interface RowSeriesInput {
  id: RowId;
  direction: Direction;
  target: number;
  critical: number;
  /** The status the row ended in (the level looked for in its series). */
  status: RowStatus;
  points: SeriesPoint[];
}

/**
 * Detection time: the watcher's abort if there was one (`abortSeenAtMs`), else the earliest end of
 * a series bucket, at or after the fault started, in which a moved row (one that ended warn/fail)
 * crossed the level it ended at. A bucket's value is known once the bucket has ended, so the bucket
 * end is the time. A row judged only at the end (no crossing bucket) is detected at the load's end.
 */
export function detectionTime(input: {
  faultAtMs: number | null;
  abortSeenAtMs?: number | null;
  bucketSec: number;
  rows: RowSeriesInput[];
  loadEndMs?: number | null;
}): Detection {
  const { faultAtMs } = input;
  if (faultAtMs === null) return { sec: null, how: 'no fault injected' };
  if (input.abortSeenAtMs != null) return { sec: secs(input.abortSeenAtMs - faultAtMs), how: 'watcher abort' };
  let best: { atMs: number; how: string } | undefined;
  for (const r of input.rows) {
    if (r.status !== 'warn' && r.status !== 'fail') continue;
    const level = r.status;
    for (const [t, v] of r.points) {
      const end = t + input.bucketSec * 1000;
      if (end < faultAtMs) continue;
      if (crosses(v, r, level)) {
        if (!best || end < best.atMs) best = { atMs: end, how: `${r.id} series crossed its ${level === 'warn' ? 'target' : 'critical'}` };
        break;
      }
    }
  }
  if (best) return { sec: secs(best.atMs - faultAtMs), how: best.how };
  const moved = input.rows.filter((r) => r.status === 'warn' || r.status === 'fail');
  if (moved.length > 0 && input.loadEndMs != null) {
    return { sec: secs(input.loadEndMs - faultAtMs), how: `${moved.map((r) => r.id).join(', ')} judged at the load's end` };
  }
  return { sec: null, how: 'no row moved' };
}

const secs = (ms: number): number => Math.max(0, Math.round(ms / 100) / 10);
const round = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** "N/M matched" per repeat. */
export function summarize(results: readonly { repeat: number; matched: boolean }[]): { repeat: number; matched: number; total: number }[] {
  const byRepeat = new Map<number, { matched: number; total: number }>();
  for (const r of results) {
    const e = byRepeat.get(r.repeat) ?? { matched: 0, total: 0 };
    e.total++;
    if (r.matched) e.matched++;
    byRepeat.set(r.repeat, e);
  }
  return [...byRepeat.entries()].sort((a, b) => a[0] - b[0]).map(([repeat, e]) => ({ repeat, ...e }));
}
