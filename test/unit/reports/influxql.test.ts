import { describe, expect, it } from 'vitest';
import { aggregateOf, ident, parseMetricKey, timeBuckets, whereClause } from '../../../reports/influxql.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';

describe('InfluxQL from the table', () => {
  it('splits k6 submetric keys into measurement and tag filters', () => {
    expect(parseMetricKey('http_req_duration{scenario:api}')).toEqual({ measurement: 'http_req_duration', tags: [['scenario', 'api']] });
    expect(parseMetricKey('gomeet_ws_sessions_held')).toEqual({ measurement: 'gomeet_ws_sessions_held', tags: [] });
    expect(parseMetricKey('http_reqs{scenario:api,status:500}').tags).toEqual([['scenario', 'api'], ['status', '500']]);
    expect(() => parseMetricKey('http_req_duration{scenario}')).toThrow(/bad tag filter/);
    expect(() => parseMetricKey('x"; DROP DATABASE k6')).toThrow(/not a k6 metric key/);
  });

  it('every k6 row of the table has an aggregate', () => {
    for (const row of THRESHOLD_TABLE) {
      const source = row.source;
      if (source.kind !== 'k6') continue;
      expect(() => aggregateOf(source.stat), row.id).not.toThrow();
      expect(() => parseMetricKey(source.metric), row.id).not.toThrow();
    }
    expect(aggregateOf('p(95)')).toBe('PERCENTILE("value", 95)');
    expect(aggregateOf('rate')).toBe('MEAN("value")');
    expect(aggregateOf('count')).toBe('SUM("value")');
  });

  it('keeps outside values out of the statement text', () => {
    const w = whereClause({ runId: "x' OR '1'='1", tags: [['scenario', "api' OR 1=1"]], fromMs: 1000, toMs: 2000.4 });
    expect(w.text).toBe('WHERE "run_id" = $runId AND "scenario" = $t0 AND time >= 1000ms AND time <= 2000ms');
    expect(w.placeholders).toEqual({ runId: "x' OR '1'='1", t0: "api' OR 1=1" });
    expect(() => ident('a"b')).toThrow();
    expect(() => whereClause({ runId: 'r', fromMs: Number.NaN, toMs: 1 })).toThrow(/not a time/);
  });

  it('aligns buckets on the run start', () => {
    expect(timeBuckets(5, 1_700_000_003_250)).toBe('time(5s, 3250ms)');
    expect(timeBuckets(5, 1_700_000_000_000)).toBe('time(5s, 0ms)');
    expect(() => timeBuckets(2.5, 0)).toThrow();
  });
});
