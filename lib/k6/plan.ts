/**
 * The k6 side of the plan: read GOMEET_PLAN once per VU (init context) and fail fast — a missing or
 * malformed plan throws in init, so k6 exits 107 before any load is sent, with a message naming
 * the bad field.
 */
import { parsePlan, SUMMARY_PATH_ENV, type Plan } from '../gomeet/plan.ts';

let cached: Plan | undefined;

/** The plan of this run. Throws a clear error if GOMEET_PLAN is absent or malformed. */
export function readPlan(): Plan {
  cached ??= parsePlan(__ENV.GOMEET_PLAN);
  return cached;
}

/** The load-test users' password, read from the variable the plan names. Never log it, never put it
 *  in a tag or a URL: it only goes into the login request body. */
export function loadTestPassword(plan: Plan): string {
  const password = __ENV[plan.target.passwordEnv];
  if (!password) throw new Error(`${plan.target.passwordEnv} is not set: it must hold the load-test users' password`);
  return password;
}

/** Where handleSummary writes the raw summary JSON (undefined when run by hand without it). */
export function summaryPath(): string | undefined {
  return __ENV[SUMMARY_PATH_ENV] || undefined;
}
