/**
 * When a row first went wrong: the first bucket of its series that misses the target, and the
 * first that crosses the critical — after the row's warm-up (the ramp is not judged, as in k6's
 * delayAbortEval). Same boundaries as the verdict (thresholds/boundaries.ts).
 *
 * Rows that only mean something at the end of the run (`abortOnCritical: false`, e.g. connections
 * held, a cumulative count that starts at 0) have no first crossing: their series is drawn, not judged.
 */
import { crossesCritical, meetsTarget } from '../thresholds/boundaries.ts';
import type { ThresholdRow } from '../thresholds/table.ts';
import type { RowSeries, RunWindow } from './series.ts';

export interface RowCrossings {
  /** Start of the first bucket after the warm-up that misses the target (Unix ms). */
  missedTargetAtMs?: number;
  /** Start of the first bucket after the warm-up that crosses the critical (Unix ms). */
  crossedCriticalAtMs?: number;
  /** Where the series was seen (RowSeries.where). */
  where?: string;
  /** Judged from this time (run start + warm-up). */
  judgedFromMs: number;
}

export function firstCrossings(
  series: RowSeries,
  row: Pick<ThresholdRow, 'direction' | 'target' | 'critical' | 'warmupSec' | 'abortOnCritical'>,
  window: RunWindow,
): RowCrossings {
  const judgedFromMs = window.startMs + row.warmupSec * 1000;
  const out: RowCrossings = { judgedFromMs, ...(series.where ? { where: series.where } : {}) };
  if (!row.abortOnCritical) return out;
  for (const [t, v] of series.points) {
    if (t < judgedFromMs) continue;
    if (out.missedTargetAtMs === undefined && !meetsTarget(row, v)) out.missedTargetAtMs = t;
    if (out.crossedCriticalAtMs === undefined && crossesCritical(row, v)) {
      out.crossedCriticalAtMs = t;
      break;
    }
  }
  return out;
}

/** `+35 s` from the run start, for reports. */
export function offsetText(tMs: number, window: RunWindow): string {
  const sec = Math.round((tMs - window.startMs) / 1000);
  if (Math.abs(sec) < 120) return `+${sec} s`;
  const m = Math.floor(sec / 60);
  return `+${m} min ${String(sec - m * 60).padStart(2, '0')} s`;
}
