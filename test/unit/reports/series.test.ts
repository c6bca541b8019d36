import { describe, expect, it } from 'vitest';
import { openOverTime } from '../../../reports/series-influx.ts';
import { parseRunSeries, pointsWithin } from '../../../reports/series.ts';

const valid = {
  runId: 'r1',
  window: { startMs: 1000, endMs: 61_000 },
  bucketSec: 5,
  rows: [{ rowId: 'api_p95_ms', points: [[1000, 12.5], [6000, 14]], statistic: 'p95 per 5 s' }],
  load: [{ kind: 'vus', title: 'VUs', points: [[1000, 3]] }],
};

describe('series.json', () => {
  it('parses a valid file and keeps optional steady metrics', () => {
    expect(parseRunSeries(valid).rows[0]!.points).toEqual([[1000, 12.5], [6000, 14]]);
    const withSteady = { ...valid, steady: [{ rowId: 'api_p95_ms', fromMs: 21_000, toMs: 61_000, metrics: { p95: 14, p50: 9 }, samples: 800 }] };
    expect(parseRunSeries(withSteady).steady![0]!.metrics.p95).toBe(14);
  });

  it('refuses what would draw a lie: unknown rows, non-finite values, bad kinds', () => {
    expect(() => parseRunSeries({ ...valid, rows: [{ rowId: 'nope', points: [] }] })).toThrow(/rows\.0\.rowId/);
    expect(() => parseRunSeries({ ...valid, rows: [{ rowId: 'api_p95_ms', points: [[1000, Number.NaN]] }] })).toThrow(/series\.json/);
    expect(() => parseRunSeries({ ...valid, load: [{ kind: 'cpu', title: 'x', points: [] }] })).toThrow(/load\.0\.kind/);
    expect(() => parseRunSeries({ ...valid, steady: [{ rowId: 'api_p95_ms', fromMs: 0, toMs: 1, metrics: { p42: 1 }, samples: 1 }] })).toThrow();
  });

  it('selects points by bucket start', () => {
    expect(pointsWithin([[0, 1], [5000, 2], [10_000, 3]], 5000, 10_000)).toEqual([[5000, 2], [10_000, 3]]);
  });
});

describe('open sockets over time', () => {
  it('is opened so far minus closed so far, at every bucket from the first open to the last close', () => {
    expect(
      openOverTime(
        [[0, 10], [5000, 5]],
        [[5000, 2], [15_000, 13]],
        5000,
      ),
    ).toEqual([[0, 10], [5000, 13], [10_000, 13], [15_000, 0]]); // the hold at 10 s is drawn, not a gap
    expect(openOverTime([], [], 5000)).toEqual([]);
  });
});
