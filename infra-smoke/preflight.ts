/**
 * Pre-flight: the checks of check-set.ts as a profile judges them, run in parallel (each bounded by
 * CHECK_TIMEOUT_MS), and whether load may be sent. `run` calls it before any load, `smoke` alone —
 * the same set and the same decision, so a smoke that passes is a run that starts.
 */
import type { Target } from '../lib/config/target.ts';
import type { Profile } from '../lib/profiles.ts';
import { checkSetOptionsFor, smokeChecks } from './check-set.ts';
import { CHECK_TIMEOUT_MS, type Check, type CheckResult } from './check.ts';

export function preflightChecks(target: Target, env: NodeJS.ProcessEnv, profile: Profile): Check[] {
  return smokeChecks(target, env, checkSetOptionsFor(profile));
}

export async function runChecks(checks: Check[]): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check) => {
      const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
      const result = await check.run(signal);
      return { name: check.name, required: check.required, ...result };
    }),
  );
}

export function blockingFailures(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.required && r.status === 'fail');
}

export function formatCheck(r: CheckResult): string {
  const mark = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' }[r.status];
  const fix = r.status === 'pass' || !r.fix ? '' : `  → ${r.fix}`;
  return `  ${mark} ${r.name.padEnd(20)} ${r.observed}${fix}`;
}
