/**
 * One run of the rate-limits scenario: bundle, run the pinned k6 with the probe, read its summary
 * back, judge it. Shared by `gomeet-capacity limits` and the integration test.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RATE_LIMIT_PROBE_ENV, type RateLimitProbe } from '../../lib/gomeet/rate-limit-probe.ts';
import { bundleScenarios } from '../bundle.ts';
import { runK6, type RunK6Result } from '../clients/k6.ts';
import { ensureK6 } from '../tools/k6.ts';
import { judgeRateLimits, type LimitsVerdict } from './judge.ts';

export interface ProbeRun {
  k6: RunK6Result;
  /** The raw k6 summary, or undefined if k6 wrote none. */
  summary: Record<string, unknown> | undefined;
  verdict: LimitsVerdict;
  summaryPath: string;
}

export interface ProbeRunOptions {
  probe: RateLimitProbe;
  /** Summary, k6 log and bundles go here. */
  outDir: string;
  onLine?: (line: string) => void;
  stop?: AbortSignal;
}

export async function runRateLimitProbe(opts: ProbeRunOptions): Promise<ProbeRun> {
  const [k6Path, scripts] = await Promise.all([ensureK6(), bundleScenarios(join(opts.outDir, 'scenarios'))]);
  const script = scripts.find((s) => s.endsWith('/rate-limits.js'));
  if (!script) throw new Error('the bundle has no rate-limits.js');
  const summaryPath = join(opts.outDir, 'k6-summary.json');
  const k6 = await runK6({
    k6Path,
    script,
    summaryPath,
    logPath: join(opts.outDir, 'k6.log'),
    env: { [RATE_LIMIT_PROBE_ENV]: JSON.stringify(opts.probe) },
    onLine: opts.onLine,
    stop: opts.stop,
  });
  const summary = existsSync(summaryPath) ? (JSON.parse(await readFile(summaryPath, 'utf8')) as Record<string, unknown>) : undefined;
  return { k6, summary, verdict: judgeRateLimits(summary ?? {}, opts.probe), summaryPath };
}
