import { describe, expect, it } from 'vitest';
import { lineChart, niceTicks, yRange } from '../../../reports/render-html-chart.ts';
import { firstCrossings, offsetText } from '../../../reports/series-crossings.ts';
import type { SeriesPoint } from '../../../reports/series.ts';
import { rowById } from '../../../thresholds/table.ts';

const START = 1_800_000_000_000;
const window = { startMs: START, endMs: START + 60_000 };
const at = (sec: number, v: number): SeriesPoint => [START + sec * 1000, v];

describe('first crossings', () => {
  const api = rowById('api_p95_ms'); // target < 200, critical > 500, warm-up 20 s

  it('are the first buckets after the warm-up off target and over critical', () => {
    const c = firstCrossings({ rowId: 'api_p95_ms', points: [at(0, 900), at(15, 600), at(20, 150), at(25, 250), at(30, 180), at(35, 501)] }, api, window);
    expect(c.missedTargetAtMs).toBe(START + 25_000); // the 900 and 600 were warm-up
    expect(c.crossedCriticalAtMs).toBe(START + 35_000);
    expect(c.judgedFromMs).toBe(START + 20_000);
  });

  it('treat the boundaries as the verdict does, both directions', () => {
    const c = firstCrossings({ rowId: 'api_p95_ms', points: [at(20, 199.9), at(25, 500)] }, api, window);
    expect(c.missedTargetAtMs).toBe(START + 25_000);
    expect(c.crossedCriticalAtMs).toBeUndefined(); // 500 has not crossed "> 500"
    const connect = rowById('ws_connect_success_pct'); // ≥ 99.9, < 99, warm-up 10 s
    const h = firstCrossings({ rowId: 'ws_connect_success_pct', points: [at(10, 100), at(15, 99.5), at(20, 98)] }, connect, window);
    expect([h.missedTargetAtMs, h.crossedCriticalAtMs]).toEqual([START + 15_000, START + 20_000]);
  });

  it('are not judged for rows that only mean something at the end', () => {
    const held = firstCrossings({ rowId: 'ws_connections', points: [at(0, 0), at(55, 500)] }, { ...rowById('ws_connections'), target: 500, critical: 450 }, window);
    expect(held.missedTargetAtMs).toBeUndefined();
  });

  it('offsets read as people say them', () => {
    expect(offsetText(START + 35_000, window)).toBe('+35 s');
    expect(offsetText(START + 185_000, window)).toBe('+3 min 05 s');
  });
});

describe('inline SVG charts', () => {
  it('pick round ticks and a range that shows every rule', () => {
    expect(niceTicks(0, 100, 4)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0.9, 3)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(yRange([10, 20, 200, 500])[0]).toBe(0);
    const [lo, hi] = yRange([99.2, 99.9, 99, 100]);
    expect(lo).toBeGreaterThan(90); // a 99 % rate is not drawn on a 0-100 axis
    expect(hi).toBeGreaterThan(100);
  });

  it('draws lines with gaps, rules, markers and the warm-up, and escapes labels', () => {
    const svg = lineChart({
      title: 'p95 <api>',
      window,
      lines: [{ label: 'p95', points: [at(0, 10), at(5, 12), at(30, 14)] }],
      format: (v) => `${v} ms`,
      rules: [
        { label: 'target', value: 200, kind: 'target' },
        { label: 'critical', value: 500, kind: 'critical' },
      ],
      markers: [{ tMs: START + 30_000, label: 'first over', kind: 'critical' }],
      shadeUntilMs: START + 20_000,
      bucketMs: 5000,
    });
    const path = /<path class="line line-0" d="([^"]+)"/.exec(svg)![1]!;
    expect(path.match(/M/g)).toHaveLength(2); // 5 s → 30 s is a gap, not a line
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('class="rule target"');
    expect(svg).toContain('class="rule critical"');
    expect(svg).toContain('class="marker critical"');
    expect(svg).toContain('class="shade"');
    expect(svg).toContain('p95 &lt;api&gt;');
    expect(svg).not.toContain('<api>');
  });
});
