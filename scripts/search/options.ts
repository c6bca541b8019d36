/**
 * `search` flags → validated options. Everything that can be wrong with the input is found here,
 * before any stack is started or any load is sent (UsageError → one line, exit 2).
 */
import { resolve } from 'node:path';
import { isProfileName, PROFILE_NAMES, PROFILES, type ProfileName } from '../../lib/profiles.ts';
import { THRESHOLD_TABLE, type RowId } from '../../thresholds/table.ts';
import { UsageError } from '../exit-codes.ts';
import { DIMENSION_NAMES, DIMENSIONS, isDimensionName, STEP_STEADY_SEC, type Dimension } from './dimensions.ts';
import { PLAN_DEFAULTS, planProblem, type SearchPlan, type StepUp } from './plan.ts';

export interface SearchFlags {
  dimension?: string;
  start?: string;
  step?: string;
  max?: string;
  target?: string;
  profile?: string;
  out?: string;
  stepUp?: string;
  maxRuns?: string;
  budgetMin?: string;
  steadySec?: string;
  /** Comma-separated row ids that decide pass/miss instead of the dimension's. */
  rows?: string;
  keepStack?: boolean;
  /** Allow a target marked `environment: production` (scripts/run/production-guard.ts). */
  confirmProduction?: boolean;
  /** With confirmProduction: no smoke-size cap on the largest step. */
  liftProductionCap?: boolean;
}

export interface SearchOptions {
  dimension: Dimension;
  /** The profile every step starts from (its other loads stay as they are). */
  baseProfile: ProfileName;
  plan: SearchPlan;
  /** Absolute path of the target YAML, or undefined for the local reference stack. */
  targetFile?: string;
  outDir: string;
  searchId: string;
  /** Seconds of steady state per step (sessions held, API at its rate); default STEP_STEADY_SEC. */
  steadySec: number;
  /** Rows every step gates: --rows, else the dimension's. */
  gates: RowId[];
  /** Leave a local stack the search started running afterwards. */
  keepStack: boolean;
}

/** Sortable and safe in paths: 20261130-093512-search-connections-4f2a. */
export function newSearchId(dimension: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const rand = Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
  return `${stamp}-search-${dimension}-${rand}`;
}

export function parseSearchFlags(flags: SearchFlags, cwd = process.cwd()): SearchOptions {
  const name = flags.dimension;
  if (!name) throw new UsageError(`--dimension is required (${DIMENSION_NAMES.join(' | ')})`);
  if (!isDimensionName(name)) throw new UsageError(`unknown dimension '${name}' (known: ${DIMENSION_NAMES.join(', ')})`);
  const dimension = DIMENSIONS[name];
  const baseProfile = flags.profile ?? 'smoke';
  if (!isProfileName(baseProfile)) throw new UsageError(`unknown profile '${baseProfile}' (known: ${PROFILE_NAMES.join(', ')})`);
  const stepUp = (flags.stepUp ?? PLAN_DEFAULTS.stepUp) as StepUp;
  if (stepUp !== 'linear' && stepUp !== 'doubling') throw new UsageError(`--step-up must be 'linear' or 'doubling', not '${flags.stepUp}'`);
  const plan: SearchPlan = {
    start: count('--start', flags.start, dimension.defaults.start),
    step: count('--step', flags.step, dimension.defaults.step),
    max: count('--max', flags.max, dimension.defaults.max),
    stepUp,
    maxRuns: count('--max-runs', flags.maxRuns, PLAN_DEFAULTS.maxRuns),
    budgetSec: minutes('--budget-min', flags.budgetMin, PLAN_DEFAULTS.budgetSec / 60) * 60,
  };
  const problem = planProblem(plan, dimension.min(PROFILES[baseProfile]));
  if (problem) throw new UsageError(problem);
  const steadySec = count('--steady-sec', flags.steadySec, STEP_STEADY_SEC);
  // The budget stops a run from starting, not one that is running: a first step longer than the
  // whole budget would overrun it unchecked.
  if (steadySec > plan.budgetSec) throw new UsageError(`--steady-sec ${steadySec} is longer than the whole budget (${plan.budgetSec} s, --budget-min)`);
  const searchId = newSearchId(name);
  return {
    dimension,
    baseProfile,
    plan,
    targetFile: flags.target ? resolve(cwd, flags.target) : undefined,
    outDir: resolve(cwd, flags.out ?? `runs/${searchId}`),
    searchId,
    steadySec,
    gates: flags.rows === undefined ? [...dimension.gates] : rowIds(flags.rows),
    keepStack: flags.keepStack ?? false,
  };
}

/** Above this a count is a typo, not a plan (the guide's whole scale is 50,000 sessions). */
const MAX_COUNT = 1_000_000;

/** A whole number from 1 to MAX_COUNT: every dimension counts whole things (sessions, requests/s, participants, rooms). */
function count(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > MAX_COUNT) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${MAX_COUNT}, not '${text}'`);
  }
  return Number(text);
}

/** Row ids of the table, in the table's order, at least one. */
function rowIds(text: string): RowId[] {
  const asked = text.split(',').map((s) => s.trim()).filter(Boolean);
  const known = THRESHOLD_TABLE.map((r) => r.id);
  const unknown = asked.filter((id) => !(known as string[]).includes(id));
  if (unknown.length > 0) throw new UsageError(`--rows: unknown row ${unknown.join(', ')} (known: ${known.join(', ')})`);
  if (asked.length === 0) throw new UsageError('--rows needs at least one row id');
  return known.filter((id) => asked.includes(id));
}

function minutes(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || v > 24 * 60) throw new UsageError(`${flag} must be minutes, > 0 and ≤ 1440, not '${text}'`);
  return v;
}
