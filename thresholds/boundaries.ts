/**
 * Where a row's boundaries lie — the one place that decides pass / warn / fail for an observed
 * value, so that the k6 thresholds (thresholds/k6.ts) and the Node verdict (reports/verdict.ts)
 * can never disagree about an observation sitting exactly on a boundary.
 *
 * The seed writes target "<200ms" and critical ">500ms" for lower-is-better rows, and a bare
 * count (50,000 / 45,000) for connections. Read literally:
 *
 *   lower  rows: pass ⟺ observed <  target    fail ⟺ observed >  critical   (200 is a warn, 500 is a warn)
 *   higher rows: pass ⟺ observed >= target    fail ⟺ observed <  critical   (45,000 held is a warn)
 *
 * So an observation equal to the critical value has not *crossed* it: it is a warn, not a NO-GO.
 * Pure: bundled into k6 scripts as well as used by Node.
 */
import type { Direction, ThresholdRow } from './table.ts';

/** What a single observed value means against its row. `not_measured` is decided elsewhere (no value). */
export type Judgement = 'pass' | 'warn' | 'fail';

/** The comparison operator (as k6 writes it) that holds while a value meets the target. */
export function targetOperator(direction: Direction): '<' | '>=' {
  return direction === 'lower' ? '<' : '>=';
}

/** The comparison operator (as k6 writes it) that holds while a value has NOT crossed the critical. */
export function withinCriticalOperator(direction: Direction): '<=' | '>=' {
  return direction === 'lower' ? '<=' : '>=';
}

/** Whether `observed` meets the row's target. */
export function meetsTarget(row: Pick<ThresholdRow, 'direction' | 'target'>, observed: number): boolean {
  return row.direction === 'lower' ? observed < row.target : observed >= row.target;
}

/** Whether `observed` has crossed the row's critical value (a NO-GO). */
export function crossesCritical(row: Pick<ThresholdRow, 'direction' | 'critical'>, observed: number): boolean {
  return row.direction === 'lower' ? observed > row.critical : observed < row.critical;
}

/** pass / warn / fail for a finite observed value. NaN or ±Infinity is a programming error here:
 *  callers turn unusable values into `not_measured` before judging. */
export function judge(row: Pick<ThresholdRow, 'direction' | 'target' | 'critical'>, observed: number): Judgement {
  if (!Number.isFinite(observed)) throw new Error(`cannot judge a non-finite observation: ${observed}`);
  if (crossesCritical(row, observed)) return 'fail';
  return meetsTarget(row, observed) ? 'pass' : 'warn';
}
