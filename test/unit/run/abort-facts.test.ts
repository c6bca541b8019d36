import { describe, expect, it } from 'vitest';
import { abortFacts } from '../../../scripts/run/load/observed-load.ts';
import type { LoadResult } from '../../../scripts/run/load/runners.ts';
import { describeCrossing } from '../../../scripts/run/watcher.ts';

const runner = (index: number, exitCode: number | null, signal: NodeJS.Signals | null = null) => ({
  index,
  summaryPath: `/r${index}/k6-summary.json`,
  logPath: `/r${index}/k6.log`,
  result: { exitCode, signal, durationMs: 1000 },
  endedAtMs: 10_000,
});
const load = (over: Partial<LoadResult> = {}): LoadResult => ({ runners: [runner(0, 0), runner(1, 0)], startedAtMs: 0, endedAtMs: 10_000, ...over });
const crossing = [{ rowId: 'api_p95_ms' as const, title: 'API response time (p95)', observed: 712.4, critical: 500, samples: 1234 }];

describe('why a run did not finish as planned', () => {
  it('a watcher crossing names the row, its value and how long stopping every runner took', () => {
    const f = abortFacts(load({ endedAtMs: 12_500 }), { crossing, detectedAtMs: 10_000, rounds: 3, errors: 0 }, [{}, {}]);
    expect(f.aborted).toBe(true);
    expect(f.abortReason).toBe(
      "critical row crossed on all runners' samples: API response time (p95) 712.40 crosses the critical 500 (1,234 samples); all 2 runner(s) stopped 2.5 s after the watcher saw it",
    );
  });

  it('a broken runner stops the run with its reason; a silent runner is named with its log', () => {
    expect(abortFacts(load({ stopReason: 'runner 1 broke (k6 exit 107)' }), undefined, [{}, {}])).toEqual({ aborted: true, abortReason: 'runner 1 broke (k6 exit 107)' });
    const silent = abortFacts(load({ runners: [runner(0, 0), runner(1, null, 'SIGKILL')] }), undefined, [{}, undefined]);
    expect(silent.abortReason).toBe('k6 runner 1 wrote no summary (exit SIGKILL; see /r1/k6.log)');
  });

  it('a run that ended as planned is not aborted', () => {
    expect(abortFacts(load(), { rounds: 10, errors: 1 }, [{}, {}])).toEqual({ aborted: false });
  });

  it('several rows crossed in one round are all named', () => {
    const two = [...crossing, { rowId: 'api_error_rate_pct' as const, title: 'API error rate', observed: 7.5, critical: 5, samples: 99 }];
    expect(describeCrossing(two)).toMatch(/API response time .*; API error rate 7\.50 crosses the critical 5 \(99 samples\)/);
  });
});
