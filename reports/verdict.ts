/**
 * The verdict: effective rows + observations + run facts → GO / WARN / NO_GO / INCONCLUSIVE.
 * Pure. Written to OUT/verdict.json; every renderer reads only this.
 *
 * Per row:  not_measured — not gated, or gated without a usable value
 *           pass / warn / fail — thresholds/boundaries.ts (a value on the critical has not crossed it)
 * Verdict, first match wins:
 *   NO_GO         a gated row fails, or the run was aborted (a critical row crossed mid-run)
 *   INCONCLUSIVE  a gated row has no data, the load generator was saturated, nothing is gated, or the
 *                 operator interrupted the run
 *   WARN          a gated row misses its target
 *   GO            every gated row meets its target
 * Missing data can make a verdict worse, never better: it is never GO.
 *
 * Against a baseline (run --baseline), applyRegressions() adds the comparison's regressions as a
 * fact: a GO with a regression beyond its tolerance becomes WARN (reason `regression: ...`) even
 * though every target is met; worse verdicts keep their name and list the regression too.
 */
import { EXIT } from '../scripts/exit-codes.ts';
import { judge } from '../thresholds/boundaries.ts';
import { THRESHOLD_TABLE, type Direction, type RowId, type ThresholdRow, type Unit } from '../thresholds/table.ts';
import { conditionText, formatDelta, formatDeltaPct, formatValue } from './format.ts';
import type { Observation, Observations } from './observation.ts';

export type VerdictName = 'GO' | 'WARN' | 'NO_GO' | 'INCONCLUSIVE';
export type RowStatus = 'pass' | 'warn' | 'fail' | 'not_measured';

/** What happened to the run as a whole, as opposed to what each row measured. */
export interface RunFacts {
  /** The load was stopped before its planned end (a critical row crossed, or the run was cut short). */
  aborted: boolean;
  /** Why it was stopped, e.g. which threshold aborted k6. */
  abortReason?: string;
  /** Set when the generator could not hold the planned load (reports/observe-k6.ts generatorSaturation). */
  generatorSaturated?: { reason: string };
  /** The operator stopped the run (Ctrl-C / SIGTERM). What was collected is still judged, but a cut-short
   *  run proves nothing good: INCONCLUSIVE unless a row already failed. Implies `aborted` in the JSON. */
  interrupted?: boolean;
}

/** Labels of the run, copied into the verdict. */
export interface RunMeta {
  /** Profile name, e.g. `smoke`. */
  profile: string;
  /** Target name (target.yaml `name`). */
  target: string;
  runId: string;
  /** ISO-8601 time the load started. */
  startedAt: string;
  /** ISO-8601 time the load ended. */
  endedAt: string;
}

export interface VerdictRow {
  id: RowId;
  title: string;
  unit: Unit;
  direction: Direction;
  target: number;
  critical: number;
  observed: number | null;
  status: RowStatus;
  gated: boolean;
  origin: ThresholdRow['origin'];
  note?: string;
  where?: string;
}

/** A row's key metric that got worse than the baseline by more than its tolerance (compare-regressions.ts). */
export interface Regression {
  rowId: RowId;
  title: string;
  unit: Unit;
  /** The compared metric, e.g. `p95`. */
  metric: string;
  base: number;
  next: number;
  delta: number;
  /** null when the base was 0. */
  deltaPct: number | null;
  /** The tolerance it exceeded, as people read it, e.g. `+20 ms and +20 %`. */
  tolerance: string;
}

/** The JSON of OUT/verdict.json. Field names are a contract (CI and the report tooling read them). */
export interface Verdict {
  verdict: VerdictName;
  /** Why, most serious first; one line each. */
  reasons: string[];
  profile: string;
  target: string;
  runId: string;
  startedAt: string;
  endedAt: string;
  aborted: boolean;
  rows: VerdictRow[];
  /** The run this one was compared with (run --baseline); absent without a baseline. */
  baseline?: { runId: string; path?: string };
  /** Present (possibly empty) when compared with a baseline. */
  regressions?: Regression[];
}

export interface VerdictInput {
  /** Effective rows (thresholds/effective.ts) — the whole table: every seed row is reported. */
  rows: readonly ThresholdRow[];
  gates: readonly RowId[];
  observations: Observations;
  facts: RunFacts;
  meta: RunMeta;
}

export function buildVerdict(input: VerdictInput): Verdict {
  const { rows, gates, observations, facts, meta } = input;
  checkRows(rows, gates);
  const verdictRows = rows.map((row) => judgeRow(row, gates.includes(row.id), observations.get(row.id)));
  const gated = verdictRows.filter((r) => r.gated);
  const failed = gated.filter((r) => r.status === 'fail');
  const missing = gated.filter((r) => r.status === 'not_measured');
  const warned = gated.filter((r) => r.status === 'warn');

  const reasons = [
    ...failed.map((r) => `${r.title}: ${formatValue(r.unit, r.observed)} crosses the critical ${conditionText(r, 'critical')}`),
    ...(facts.aborted ? [`run aborted: ${facts.abortReason ?? 'stopped before its planned end'}`] : []),
    ...(facts.interrupted ? ['run interrupted by the operator: judged on what was collected before the stop'] : []),
    ...missing.map((r) => `${r.title}: no data${r.note ? ` — ${r.note}` : ''}`),
    ...(facts.generatorSaturated ? [`load generator saturated: ${facts.generatorSaturated.reason}`] : []),
    ...(gated.length === 0 ? ['no row is gated by this profile'] : []),
    ...warned.map((r) => `${r.title}: ${formatValue(r.unit, r.observed)} misses the target ${conditionText(r, 'target')}`),
  ];

  let verdict: VerdictName;
  if (failed.length > 0 || facts.aborted) verdict = 'NO_GO';
  else if (missing.length > 0 || facts.generatorSaturated || gated.length === 0 || facts.interrupted) verdict = 'INCONCLUSIVE';
  else if (warned.length > 0) verdict = 'WARN';
  else verdict = 'GO';
  if (verdict === 'GO') reasons.push(`all ${gated.length} gated rows meet their targets`);

  return { verdict, reasons, ...pickMeta(meta), aborted: facts.aborted || !!facts.interrupted, rows: verdictRows };
}

/**
 * The verdict with the baseline comparison's regressions as a fact: GO → WARN when there is one;
 * reasons gain one `regression: ...` line per regression. Pure; the input is not changed.
 */
export function applyRegressions(verdict: Verdict, regressions: readonly Regression[], baseline: { runId: string; path?: string }): Verdict {
  const lines = regressions.map(
    (r) =>
      `regression: ${r.title} ${r.metric} ${formatValue(r.unit, r.base)} → ${formatValue(r.unit, r.next)} ` +
      `(${formatDelta(r.unit, r.delta)}${r.deltaPct === null ? '' : `, ${formatDeltaPct(r.deltaPct)}`}) ` +
      `vs baseline run ${baseline.runId}, beyond the tolerance ${r.tolerance}`,
  );
  const name: VerdictName = verdict.verdict === 'GO' && regressions.length > 0 ? 'WARN' : verdict.verdict;
  // A GO's "all rows meet their targets" stays true, but the regression is the first thing to read.
  const reasons = name !== verdict.verdict ? [...lines, ...verdict.reasons] : [...verdict.reasons, ...lines];
  return { ...verdict, verdict: name, reasons, baseline: { ...baseline }, regressions: regressions.map((r) => ({ ...r })) };
}

function judgeRow(row: ThresholdRow, gated: boolean, obs: Observation | undefined): VerdictRow {
  const usable = obs?.observed != null && Number.isFinite(obs.observed);
  let note = obs?.note;
  if (obs?.observed != null && !usable) note = joinNotes(`unusable value ${obs.observed}`, note);
  if (!gated) note = joinNotes(note, 'not gated by this profile');
  else if (!obs) note = 'no observer reported this row';
  const status: RowStatus = gated && usable ? judge(row, obs!.observed!) : 'not_measured';
  return {
    id: row.id,
    title: row.title,
    unit: row.unit,
    direction: row.direction,
    target: row.target,
    critical: row.critical,
    observed: usable ? obs!.observed : null,
    status,
    gated,
    origin: row.origin,
    ...(note ? { note } : {}),
    ...(obs?.where ? { where: obs.where } : {}),
  };
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const kept = notes.filter((n): n is string => !!n);
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function pickMeta(meta: RunMeta): RunMeta {
  // Copy field by field so a caller's extra properties never leak into verdict.json.
  return { profile: meta.profile, target: meta.target, runId: meta.runId, startedAt: meta.startedAt, endedAt: meta.endedAt };
}

/** Programming errors, not run outcomes: a verdict over a partial table would hide rows. */
function checkRows(rows: readonly ThresholdRow[], gates: readonly RowId[]): void {
  const ids = new Set(rows.map((r) => r.id));
  if (ids.size !== rows.length) throw new Error('verdict rows contain a duplicate id');
  for (const seed of THRESHOLD_TABLE.filter((r) => r.origin === 'seed')) {
    if (!ids.has(seed.id)) throw new Error(`verdict rows lack the seed row ${seed.id}`);
  }
  for (const gate of gates) {
    if (!ids.has(gate)) throw new Error(`gated row ${gate} is not in the verdict rows`);
  }
}

/** What CI reads: 0 GO · 0 WARN (1 under `strict`) · 1 NO_GO · 3 INCONCLUSIVE. */
export function exitCodeFor(verdict: Verdict | VerdictName, gate: 'normal' | 'strict'): number {
  const name = typeof verdict === 'string' ? verdict : verdict.verdict;
  switch (name) {
    case 'GO':
      return EXIT.go;
    case 'WARN':
      return gate === 'strict' ? EXIT.noGo : EXIT.go;
    case 'NO_GO':
      return EXIT.noGo;
    case 'INCONCLUSIVE':
      return EXIT.inconclusive;
  }
}
