/**
 * Pre-flight: run every check (in parallel, each bounded by CHECK_TIMEOUT_MS) and decide whether load
 * may be sent. Used by `run` before any load; later grown into `gomeet-capacity smoke`.
 */
import type { Target } from '../lib/config/target.ts';
import { apiHealthCheck, apiLoginCheck } from './checks/api.ts';
import { livekitCheck } from './checks/livekit.ts';
import { prometheusCheck } from './checks/prometheus.ts';
import { signalingHandshakeCheck } from './checks/signaling.ts';
import { CHECK_TIMEOUT_MS, type Check, type CheckResult } from './check.ts';

export interface PreflightOptions {
  /** Whether a Prometheus failure blocks load (true once the profile gates a server-side row). */
  prometheusRequired: boolean;
  /** Whether a LiveKit failure blocks load (true when the profile gates a media row); default false. */
  livekitRequired?: boolean;
}

export function preflightChecks(target: Target, env: NodeJS.ProcessEnv, opts: PreflightOptions): Check[] {
  return [
    apiHealthCheck(target),
    apiLoginCheck(target, env),
    signalingHandshakeCheck(target),
    prometheusCheck(target, opts.prometheusRequired),
    livekitCheck(target, env, opts.livekitRequired ?? false),
  ];
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
