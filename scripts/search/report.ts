/**
 * search.json — what a capacity search found, for scripts: the answer, the rows that broke the
 * knee, and every step (load, why it was chosen, each gated row's observed value and status, the
 * run's own report directory). The markdown table and the HTML chart are drawn from this alone.
 * Field names are a contract; pure.
 */
import { conditionText, formatValue } from '../../reports/format.ts';
import type { RowStatus } from '../../reports/verdict.ts';
import type { Direction, RowId, Unit } from '../../thresholds/table.ts';
import type { DimensionName } from './dimensions.ts';
import type { SearchResult, StepOutcome } from './knee.ts';
import type { SearchStep } from './loop.ts';
import type { SearchPlan } from './plan.ts';
import type { StepDetail, StepRow } from './step-record.ts';

export const SEARCH_FILES = { json: 'search.json', markdown: 'search.md', html: 'search.html' } as const;

/** A row that missed at the load that broke the knee, with its value in each run that missed there. */
export interface BrokenRow {
  id: RowId;
  title: string;
  unit: Unit;
  direction: Direction;
  target: number;
  critical: number;
  /** Observed in each missing run at that load, in run order. */
  observed: (number | null)[];
  /** The worst status it had there. */
  status: Extract<RowStatus, 'warn' | 'fail'>;
}

export interface SearchStepJson extends StepDetail {
  index: number;
  load: number;
  why: string;
  outcome: StepOutcome;
  durationSec: number;
}

export interface SearchReport {
  dimension: DimensionName;
  /** What one unit of load is (`sessions`, `requests/s`, …). */
  unit: string;
  /** The profile field the search stepped. */
  knob: string;
  /** The profile every step started from. */
  baseProfile: string;
  target: string;
  plan: SearchPlan;
  /** The loads the search could try. */
  grid: number[];
  /** Rows every step gated. */
  gates: RowId[];
  startedAt: string;
  endedAt: string;
  wallSec: number;
  result: SearchResult;
  /** The answer in one line, for people. */
  summary: string;
  /** Load whose runs broke the knee: `brokenAt` of a knee, the start when below start, the
   *  tentative miss of an inconclusive search. */
  brokenAtLoad?: number;
  /** The gated rows that missed there (empty when only an abort reason explains the miss). */
  brokenBy: BrokenRow[];
  /** The first missing run's first reason when no row explains it (e.g. an aborted run). */
  brokenReason?: string;
  steps: SearchStepJson[];
}

export interface SearchReportInput {
  dimension: DimensionName;
  unit: string;
  knob: string;
  baseProfile: string;
  target: string;
  plan: SearchPlan;
  grid: number[];
  gates: RowId[];
  startedAt: Date;
  endedAt: Date;
  result: SearchResult;
  steps: readonly SearchStep<StepDetail>[];
}

export function buildSearchReport(input: SearchReportInput): SearchReport {
  const { result, unit } = input;
  const steps = input.steps.map(
    (s): SearchStepJson => ({ index: s.index, load: s.load, why: s.why, outcome: s.outcome, durationSec: Math.round(s.durationMs / 100) / 10, ...s.detail }),
  );
  const brokenAtLoad = result.kind === 'knee' ? result.brokenAt : result.kind === 'below-start' ? result.start : result.kind === 'inconclusive' ? result.missesAt : undefined;
  const misses = brokenAtLoad === undefined ? [] : steps.filter((s) => s.load === brokenAtLoad && s.outcome === 'miss');
  const brokenBy = brokenRows(misses);
  const brokenReason = brokenBy.length === 0 ? misses[0]?.reasons[0] : undefined;
  const broke = brokenBy.length > 0 ? brokenBy.map(describeBroken).join('; ') : (brokenReason ?? 'no gated row named');
  const load = (n: number) => `${n.toLocaleString('en-US')} ${unit}`;
  let summary: string;
  switch (result.kind) {
    case 'knee':
      summary = `knee: ${load(result.knee)} held every gated row; ${load(result.brokenAt)} broke ${broke}`;
      break;
    case 'below-start':
      summary = `below start: the first load, ${load(result.start)}, already broke ${broke}`;
      break;
    case 'at-least-max':
      summary = `≥ max: every gated row held up to ${load(result.max)}, the largest load searched`;
      break;
    case 'inconclusive': {
      const known = [
        ...(result.holdsAtLeast !== undefined ? [`held at ${load(result.holdsAtLeast)}`] : []),
        ...(result.missesAt !== undefined ? [`missed at ${load(result.missesAt)} (${broke})`] : []),
      ];
      summary = `inconclusive: ${result.reason}${known.length ? `; so far (not confirmed): ${known.join(', ')}` : ''}`;
      break;
    }
  }
  return {
    dimension: input.dimension,
    unit,
    knob: input.knob,
    baseProfile: input.baseProfile,
    target: input.target,
    plan: { ...input.plan },
    grid: [...input.grid],
    gates: [...input.gates],
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    wallSec: Math.round((input.endedAt.getTime() - input.startedAt.getTime()) / 1000),
    result,
    summary,
    ...(brokenAtLoad !== undefined ? { brokenAtLoad } : {}),
    brokenBy,
    ...(brokenReason ? { brokenReason } : {}),
    steps,
  };
}

function brokenRows(misses: readonly SearchStepJson[]): BrokenRow[] {
  const byId = new Map<RowId, BrokenRow>();
  for (const step of misses) {
    for (const row of step.rows) {
      if (row.status !== 'warn' && row.status !== 'fail') continue;
      const seen = byId.get(row.id);
      if (!seen) {
        byId.set(row.id, { ...pick(row), observed: [row.observed], status: row.status });
      } else {
        seen.observed.push(row.observed);
        if (row.status === 'fail') seen.status = 'fail';
      }
    }
  }
  return [...byId.values()];
}

function pick(row: StepRow) {
  return { id: row.id, title: row.title, unit: row.unit, direction: row.direction, target: row.target, critical: row.critical };
}

function describeBroken(row: BrokenRow): string {
  const values = row.observed.map((v) => formatValue(row.unit, v)).join(', ');
  return `${row.title} ${values} (target ${conditionText(row, 'target')}${row.status === 'fail' ? `, critical ${conditionText(row, 'critical')}` : ''})`;
}
