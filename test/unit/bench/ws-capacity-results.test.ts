import { describe, expect, it } from 'vitest';
import type { ProcSample } from '../../../bench/ws-capacity/proc-sampler.ts';
import { designResult, memoryRatioOf, renderResultsMarkdown, type DesignRun } from '../../../bench/ws-capacity/results.ts';

const T0 = 1_000_000;
/** k6 at 100 MiB before the start, +1 MiB per second of ramp (60 s), flat for the hold (60 s). */
function k6Samples(): ProcSample[] {
  const out: ProcSample[] = [];
  for (let t = -5; t <= 125; t++) {
    const rampS = Math.min(Math.max(t, 0), 60);
    out.push({ atMs: T0 + t * 1000, rssKiB: (100 + rampS) * 1024, cpuSec: Math.max(0, t) * 0.5, alive: 2 });
  }
  return out;
}
const server: ProcSample[] = [
  { atMs: T0 - 1000, rssKiB: 400 * 1024, cpuSec: 1, alive: 5 },
  { atMs: T0 + 100_000, rssKiB: 520 * 1024, cpuSec: 50, alive: 5 },
];
const summary = (held: number, passes: number, fails: number, p95: number) => ({
  metrics: {
    gomeet_ws_sessions_held: { values: { count: held } },
    gomeet_ws_connect_success: { values: { passes, fails, rate: passes / (passes + fails) } },
    gomeet_ws_connect_ms: { values: { 'p(95)': p95 } },
  },
});
const run: DesignRun = {
  design: 'suite',
  description: 'test',
  planned: 6000,
  processes: 2,
  vus: 6,
  rampSec: 60,
  holdSec: 60,
  heartbeatSec: 15,
  startedAtMs: T0,
  exitCodes: [0, 0],
  summaries: [summary(3000, 3000, 0, 120), summary(2990, 2990, 10, 180)],
  metrics: { held: 'gomeet_ws_sessions_held', success: 'gomeet_ws_connect_success', connectMs: 'gomeet_ws_connect_ms' },
};

describe('bench figures', () => {
  it('sums sessions over processes, takes the worst p95, and divides memory and CPU by sessions held', () => {
    const r = designResult(run, k6Samples(), server);
    expect(r.held).toBe(5990);
    expect(r.connectSuccess).toBeCloseTo(5990 / 6000, 5);
    expect(r.connectP95MsPerProcess).toEqual([120, 180]);
    expect(r.connectP95Ms).toBe(180);
    expect(r.k6RssMiB).toEqual({ base: 100, peak: 160, holdEnd: 160 });
    expect(r.kibPerConnection).toBeCloseTo((160 * 1024) / 5990, 1);
    expect(r.marginalKibPerConnection).toBeCloseTo((60 * 1024) / 5990, 1);
    expect(r.k6CpuSec).toBe(62.5);
    // Hold: 0.5 CPU-s per s over 55 s (ramp end + 5 s → hold end − 2 s = 53 s) per session-minute.
    expect(r.holdCpuMsPerConnectionMinute).toBeGreaterThan(0);
    expect(r.server.kibPerConnection).toBeCloseTo((120 * 1024) / 5990, 1);
    expect(r.timeline[0]![0]).toBeLessThanOrEqual(0);
  });

  it('a run that held nothing has no per-session figures (missing data is not a good figure)', () => {
    const r = designResult({ ...run, summaries: [undefined, undefined] }, k6Samples(), server);
    expect(r.held).toBe(0);
    expect(r.kibPerConnection).toBeNull();
    expect(r.connectSuccess).toBeNull();
    expect(r.connectP95Ms).toBeNull();
  });

  it('renders both designs and the ratio', () => {
    const suite = designResult(run, k6Samples(), server);
    const naive = { ...suite, design: 'naive' as const, kibPerConnection: suite.kibPerConnection! * 20 };
    const md = renderResultsMarkdown({
      command: 'node --import tsx bench/ws-capacity/run.ts',
      date: '2026-11-30T00:00:00Z',
      machine: { cores: 2, memoryGiB: 24, loadBefore: [1, 1, 1], loadAfter: [2, 2, 2] },
      limits: { openFilesHard: 20_000, somaxconn: 8192, portRange: [1024, 65535], notes: ['open files: 20000'] },
      k6: { path: 'k6', env: {} },
      suite,
      naive,
      memoryRatio: 20,
    });
    expect(md).toContain('node --import tsx bench/ws-capacity/run.ts');
    expect(md).toMatch(/\| suite: test \| 6,000 \| 5,990 \| 99\.83 %/);
    expect(md).toContain("naive design needs 20× the suite's");
  });

  it('gives a memory ratio only when both designs held their sessions (a collapsed run is not a cheap one)', () => {
    const suite = designResult(run, k6Samples(), server); // 5,990 of 6,000 held
    const naive = { ...suite, design: 'naive' as const, kibPerConnection: suite.kibPerConnection! * 3 };
    expect(memoryRatioOf(suite, naive)).toBe(3);
    expect(memoryRatioOf(suite, undefined)).toBeNull();
    // The 50k attempt that collapsed: 278 of 50,000 held at the end, peak RSS of ~48k sessions.
    const collapsed = designResult({ ...run, planned: 50_000, summaries: [summary(278, 47_000, 3_000, 900), undefined] }, k6Samples(), server);
    expect(collapsed.kibPerConnection).toBeGreaterThan(suite.kibPerConnection! * 20);
    expect(memoryRatioOf(collapsed, naive)).toBeNull();
    expect(memoryRatioOf(suite, { ...naive, held: 2_000 })).toBeNull();
  });
});
