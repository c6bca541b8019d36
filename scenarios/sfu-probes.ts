/**
 * sfu-probes — browser probes in LiveKit rooms: real Chromium (k6 browser) running livekit-client.
 * Publishers draw their clock into every frame and publish it with simulcast (Chromium's VP8);
 * subscribers read it back → end-to-end video latency per frame, plus getStats figures.
 *
 *   plan:  GOMEET_PROBE_PLAN (media/probe/plan.ts), tokens in GOMEET_PROBE_TOKENS (identity → token)
 *   load:  per-vu-iterations, one VU per probe, one iteration; VU n runs probes[n-1] and launches
 *          its browser (n-1) × launchStaggerSec after the start
 *   env:   K6_BROWSER_EXECUTABLE_PATH / K6_BROWSER_ARGS from media/probe/chromium.ts
 *
 * k6 and Chromium run inside the media namespace (only `lo`): see media/probe/run-probes.ts.
 * The `url` and `name` system tags are off: a failed LiveKit connect makes livekit-client fetch a
 * URL that carries the token, and k6 browser would otherwise tag that request's metrics with it.
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { setTimeout } from 'k6/timers';
import { runProbe } from '../lib/k6/browser/probe-session.ts';
import { writeSummary } from '../lib/k6/summary.ts';
import { parseProbePlan, parseProbeTokens, PROBE_PLAN_ENV, PROBE_TOKENS_ENV, probeScenarioBoundSec } from '../media/probe/plan.ts';

const plan = parseProbePlan(__ENV[PROBE_PLAN_ENV]);
const tokens = parseProbeTokens(__ENV[PROBE_TOKENS_ENV], plan);

const maxDurationSec = probeScenarioBoundSec(plan);

export const options: Options = {
  scenarios: {
    probes: {
      executor: 'per-vu-iterations',
      vus: plan.probes.length,
      iterations: 1,
      maxDuration: `${maxDurationSec}s`,
      gracefulStop: '15s',
      options: { browser: { type: 'chromium' } },
    },
  },
  tags: { run_id: plan.runId },
  systemTags: ['status', 'method', 'proto', 'group', 'scenario', 'check', 'error', 'error_code', 'expected_response'],
  summaryTrendStats: ['min', 'med', 'avg', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
  thresholds: {
    // Loud: one sample of media outside 127.0.0.0/8 fails the run (k6 exits 99) whatever else happened.
    gomeet_probe_loopback_pair: ['rate==1'],
    // A probe that failed (its reason is on gomeet_probe_failures) fails the run too: never a silent pass.
    gomeet_probe_ok: ['rate==1'],
  },
};

export default async function probe(): Promise<void> {
  const spec = plan.probes[exec.vu.idInTest - 1];
  if (!spec) return;
  // Browsers launch one after another, in probe order (see ProbePlan.launchStaggerSec).
  const staggerMs = (exec.vu.idInTest - 1) * plan.launchStaggerSec * 1000;
  if (staggerMs > 0) await new Promise((resolve) => setTimeout(resolve, staggerMs));
  await runProbe(plan, spec, tokens[spec.identity] as string);
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
