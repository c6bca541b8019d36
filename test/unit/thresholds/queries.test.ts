// The server rows' PromQL as data: one query per Prometheus-sourced row of the table, warm-ups
// taken from the table, placeholders filled as whole words, a target's override winning over the
// default, and every default series naming where it was measured.
import { describe, expect, it } from 'vitest';
import { CONTEXT_QUERIES } from '../../../thresholds/context-queries.ts';
import { fillPlaceholders, isPrometheusRowId, PROMETHEUS_ROW_IDS, SERVER_QUERIES, serverQuery } from '../../../thresholds/queries.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';

describe('SERVER_QUERIES', () => {
  it('has exactly one query per Prometheus-sourced row of the table, under its queryId', () => {
    const fromTable = THRESHOLD_TABLE.flatMap((r) => (r.source.kind === 'prometheus' ? [r.source.queryId] : []));
    expect([...fromTable].sort()).toEqual([...PROMETHEUS_ROW_IDS].sort());
    expect(Object.keys(SERVER_QUERIES).sort()).toEqual([...PROMETHEUS_ROW_IDS].sort());
    for (const r of THRESHOLD_TABLE) expect(isPrometheusRowId(r.id)).toBe(r.source.kind === 'prometheus');
  });

  it('skips the same warm-up as the table row, and converts into the row unit', () => {
    for (const id of PROMETHEUS_ROW_IDS) {
      const row = THRESHOLD_TABLE.find((r) => r.id === id)!;
      expect(SERVER_QUERIES[id].warmupSec).toBe(row.warmupSec);
    }
    // Seconds from the histogram, milliseconds in the table.
    expect(SERVER_QUERIES.db_query_p95_ms.factor).toBe(1000);
    for (const id of ['redis_memory_pct', 'cpu_pct', 'memory_pct'] as const) expect(SERVER_QUERIES[id].factor).toBe(1);
  });

  it('p95 comes from a histogram over the window; levels are peaks of instant values', () => {
    expect(SERVER_QUERIES.db_query_p95_ms.aggregate).toBe('window');
    expect(SERVER_QUERIES.db_query_p95_ms.promql).toMatch(/histogram_quantile\(0\.95, .*gomeet_db_query_duration_seconds_bucket\[\$window\]/);
    for (const id of ['redis_memory_pct', 'cpu_pct', 'memory_pct'] as const) {
      expect(SERVER_QUERIES[id].aggregate).toBe('max');
      expect(SERVER_QUERIES[id].promql).not.toContain('$window');
    }
  });

  it('never divides by a zero maxmemory, and says so as a finding', () => {
    const q = SERVER_QUERIES.redis_memory_pct;
    expect(q.promql).toContain('(redis_memory_max_bytes > 0)');
    expect(q.findings?.map((f) => f.promql)).toEqual(['redis_memory_max_bytes == 0']);
    expect(q.findings?.[0]?.note).toMatch(/^configuration finding: .*maxmemory/);
  });

  it('names where every series of every default query was measured', () => {
    for (const q of [...Object.values(SERVER_QUERIES), ...CONTEXT_QUERIES]) {
      for (const branch of q.promql.split('\nor\n')) {
        expect(branch, branch).toMatch(/^label_(replace|join)\(/);
        expect(branch, branch).toMatch(/"where"/);
      }
    }
    // Per service and per node, for both resource rows.
    for (const id of ['cpu_pct', 'memory_pct'] as const) {
      const text = SERVER_QUERIES[id].promql;
      for (const part of ['node $1', 'gomeet-api|gomeet-signaling', 'livekit-server process', 'redis process', 'postgres processes']) expect(text).toContain(part);
    }
  });

  it('context signals have unique ids and only known aggregates', () => {
    expect(new Set(CONTEXT_QUERIES.map((q) => q.id)).size).toBe(CONTEXT_QUERIES.length);
    expect(CONTEXT_QUERIES.map((q) => q.id)).toEqual(expect.arrayContaining(['sfu_participants', 'sfu_packet_loss_pct', 'sfu_forward_latency_p95_ms', 'sfu_nack_rate', 'sfu_pli_rate']));
    for (const q of CONTEXT_QUERIES) expect(['max', 'window']).toContain(q.aggregate);
  });
});

describe('serverQuery', () => {
  it('is the default unless the target overrides the PromQL, keeping factor, aggregate and warm-up', () => {
    expect(serverQuery('cpu_pct')).toEqual({ ...SERVER_QUERIES.cpu_pct, overridden: false });
    const o = serverQuery('db_query_p95_ms', { db_query_p95_ms: 'my_p95_seconds', cpu_pct: 'x' });
    expect(o.promql).toBe('my_p95_seconds');
    expect(o.overridden).toBe(true);
    expect({ ...o, promql: SERVER_QUERIES.db_query_p95_ms.promql, overridden: false }).toEqual({ ...SERVER_QUERIES.db_query_p95_ms, overridden: false });
    expect(serverQuery('memory_pct', { cpu_pct: 'x' }).overridden).toBe(false);
  });
});

describe('fillPlaceholders', () => {
  it('replaces $window (whole ms) and $rate (s) as whole words only', () => {
    const text = 'increase(a[$window]) + rate(b[$rate]) + label_replace(c, "w", "$windowed $rates $1", "", "")';
    expect(fillPlaceholders(text, { windowMs: 95_499.6, rateSec: 20 })).toBe(
      'increase(a[95500ms]) + rate(b[20s]) + label_replace(c, "w", "$windowed $rates $1", "", "")',
    );
  });

  it('refuses windows Prometheus would refuse', () => {
    expect(() => fillPlaceholders('x', { windowMs: 0, rateSec: 20 })).toThrow(/at least 1 ms/);
    expect(() => fillPlaceholders('x', { windowMs: Number.NaN, rateSec: 20 })).toThrow(/at least 1 ms/);
    expect(() => fillPlaceholders('x', { windowMs: 1000, rateSec: 2.5 })).toThrow(/whole seconds/);
  });
});
