/**
 * The verdict matrix's fault table: pure data. One entry per injected fault:
 *   - how it is injected (`injection`: the kind + its parameters; inject.ts does it),
 *   - when (seconds after the k6 load starts) and for how long,
 *   - the verdict the gate must give,
 *   - the rows expected to move and the status(es) each may end in,
 *   - every other gated row is expected `pass` (unchanged from the healthy run).
 *
 * The matrix profile (profile.ts) gates the client + server rows only (no media room: on 2 cores the
 * room costs more than the whole matrix), so the media rows are `not_measured` and not gated.
 */
import type { VerdictName, RowStatus } from '../../reports/verdict.ts';
import type { RowId } from '../../thresholds/table.ts';

/** Rows the matrix profile gates: the client rows (k6) and the server rows (Prometheus). */
export const MATRIX_GATES: readonly RowId[] = [
  'ws_connections',
  'api_p95_ms',
  'db_query_p95_ms',
  'redis_memory_pct',
  'cpu_pct',
  'memory_pct',
  'ws_connect_success_pct',
  'api_error_rate_pct',
];

export type Injection =
  /** No fault: the target still goes through toxiproxy (its overhead is part of the baseline). */
  | { kind: 'none' }
  /** toxiproxy `latency` toxic on the API proxy's responses (downstream), ms (+ jitter ms). */
  | { kind: 'api-latency'; latencyMs: number; jitterMs?: number }
  /** HTTP proxy in front of the API answering 503 instead of forwarding: every `everyNth` request
   *  (a steady share), or all requests for `burstSec` out of every `periodSec` (bursts). */
  | { kind: 'api-5xx-share'; everyNth: number }
  | { kind: 'api-5xx-burst'; burstSec: number; periodSec: number }
  /** connection-cap proxy in front of every signaling listener: at most `limit` sessions at once,
   *  connections beyond it closed as accepted (refused). */
  | { kind: 'signaling-cap'; limit: number }
  /** toxiproxy `reset_peer` toxic (timeout 0) on every signaling proxy for `durationSec`: every open
   *  session and every new one is reset (TCP RST) mid-stream, then the toxic is removed. */
  | { kind: 'signaling-reset'; durationSec: number }
  /** A stack component stopped at the fault time and left down until the load ends (then restarted
   *  for the next fault). */
  | { kind: 'component-down'; component: 'postgres' | 'redis' }
  /** A stack component stopped and started again at once (stack up), mid-run. */
  | { kind: 'component-restart'; component: 'api' | 'signaling' };

export interface RowExpectation {
  /** Statuses the row may end in; more than one only where the fault honestly lands either side
   *  (said in `why`). */
  status: RowStatus[];
}

export interface Fault {
  id: string;
  title: string;
  injection: Injection;
  /** Seconds after the load starts that the fault is injected (0 = before the first request). */
  atSec: number;
  expected: {
    verdict: VerdictName;
    /** Rows expected to move; every other gated row must `pass`. */
    rows: Partial<Record<RowId, RowExpectation>>;
    /** The watcher must abort the run (a critical row crossed mid-run). Undefined: either. */
    aborted?: boolean;
    /** At least one of these rows must `fail` (where the fault may show up in either). */
    oneFails?: RowId[];
  };
  /** Why this is the right expectation, for the README and results. */
  why: string;
}

const s = (...status: RowStatus[]): RowExpectation => ({ status });

/**
 * What an aborted run cannot measure, honestly: the held-sessions count only means something at the
 * planned end (a cut-short run drops it: observed-load.ts dropCountsOfCutShortRun), and the server
 * rows judged after a 20 s warm-up (database p95, CPU) have no window when the abort comes before it
 * (signaling-cap aborts at ~10 s). Each may be `pass` when enough was seen before the abort.
 */
const CUT_SHORT: Fault['expected']['rows'] = {
  ws_connections: s('pass', 'not_measured'),
  db_query_p95_ms: s('pass', 'not_measured'),
  cpu_pct: s('pass', 'not_measured'),
};

export const FAULTS: readonly Fault[] = [
  {
    id: 'healthy',
    title: 'healthy stack (through toxiproxy, no toxic)',
    injection: { kind: 'none' },
    atSec: 0,
    expected: { verdict: 'GO', rows: {}, aborted: false },
    why: 'Nothing injected: every gated row meets its target.',
  },
  {
    id: 'api-latency-50',
    title: 'API +50 ms (below the 200 ms target)',
    injection: { kind: 'api-latency', latencyMs: 50 },
    atSec: 12,
    expected: { verdict: 'GO', rows: {}, aborted: false },
    why: 'p95 ≈ base + 50 ms stays under 200 ms: a slower API that meets the table is still GO.',
  },
  {
    id: 'api-latency-300',
    title: 'API +300 ms (between target 200 and critical 500)',
    injection: { kind: 'api-latency', latencyMs: 300 },
    atSec: 12,
    expected: { verdict: 'WARN', rows: { api_p95_ms: s('warn') }, aborted: false },
    why: 'Most judged requests carry +300 ms: p95 ≈ 300–400 ms misses the target, never crosses 500.',
  },
  {
    id: 'api-latency-600',
    title: 'API +600 ms (above the 500 ms critical)',
    injection: { kind: 'api-latency', latencyMs: 600 },
    atSec: 12,
    expected: { verdict: 'NO_GO', rows: { ...CUT_SHORT, api_p95_ms: s('fail') }, aborted: true },
    why: 'p95 > 600 ms crosses the critical: the watcher aborts the load, the verdict is NO_GO.',
  },
  {
    id: 'api-5xx-3pct',
    title: 'API answers 503 to every 33rd request (3 %)',
    injection: { kind: 'api-5xx-share', everyNth: 33 },
    atSec: 0,
    expected: { verdict: 'WARN', rows: { api_error_rate_pct: s('warn') }, aborted: false },
    why: '3 % of requests fail: above the 1 % target, below the 5 % critical.',
  },
  {
    id: 'api-5xx-burst',
    title: 'API answers 503 to everything for 3 s of every 10 s',
    injection: { kind: 'api-5xx-burst', burstSec: 3, periodSec: 10 },
    atSec: 12,
    expected: { verdict: 'NO_GO', rows: { ...CUT_SHORT, api_error_rate_pct: s('fail') }, aborted: true },
    why: '~30 % of the requests after the fault fail: far over the 5 % critical, the watcher aborts.',
  },
  {
    id: 'signaling-cap',
    title: 'signaling refuses connections beyond 80 % of the planned sessions',
    injection: { kind: 'signaling-cap', limit: 160 },
    atSec: 0,
    expected: {
      verdict: 'NO_GO',
      // The connect-success row aborts the run (after its 10 s warm-up), so the held count is dropped.
      rows: { ...CUT_SHORT, ws_connections: s('fail', 'not_measured'), ws_connect_success_pct: s('fail') },
      aborted: true,
    },
    why: '160 of 200 sessions can be held (< 0.9 × 200) and 20 % of connects fail (< 99 %).',
  },
  {
    id: 'signaling-reset',
    title: 'signaling connections reset mid-stream for 3 s',
    injection: { kind: 'signaling-reset', durationSec: 3 },
    atSec: 15,
    expected: {
      verdict: 'NO_GO',
      // Sessions reset during their hold are not held to the end. Sessions that reconnect through the
      // reset window fail their connect too, so connect success may fall with them.
      rows: { ...CUT_SHORT, ws_connections: s('fail', 'not_measured'), ws_connect_success_pct: s('pass', 'warn', 'fail') },
    },
    why: 'Every open session is reset: none is held through its hold window, ws_connections fails.',
  },
  {
    id: 'postgres-down',
    title: 'PostgreSQL stopped mid-run',
    injection: { kind: 'component-down', component: 'postgres' },
    atSec: 12,
    expected: {
      verdict: 'NO_GO',
      // Measured twice, differently: on a quiet machine the API answers errors at once (33 % errors,
      // p95 13 ms); on a machine at load 20+ its requests waited instead (0 % errors, p95 > 1 s, though
      // that run's p95 was already seconds before the fault). Either API row may be the one that fails.
      oneFails: ['api_p95_ms', 'api_error_rate_pct'],
      rows: {
        ...CUT_SHORT,
        api_p95_ms: s('pass', 'warn', 'fail'),
        api_error_rate_pct: s('pass', 'warn', 'fail'),
        // Its exporter has nothing to read once PostgreSQL is gone: the value may be missing.
        db_query_p95_ms: s('pass', 'not_measured'),
        // Sessions authenticate against the API, which needs the database.
        ws_connections: s('pass', 'fail', 'not_measured'),
        ws_connect_success_pct: s('pass', 'warn', 'fail'),
      },
    },
    why: 'The API cannot answer without its database: its requests fail (error rate crosses 5 %) or hang (p95 crosses 500 ms); either way NO_GO.',
  },
  {
    id: 'redis-down',
    title: 'Redis stopped mid-run',
    injection: { kind: 'component-down', component: 'redis' },
    atSec: 12,
    expected: {
      verdict: 'NO_GO',
      rows: {
        ...CUT_SHORT,
        redis_memory_pct: s('pass', 'not_measured'),
        api_p95_ms: s('pass', 'warn', 'fail'),
        api_error_rate_pct: s('pass', 'warn', 'fail'),
        ws_connections: s('pass', 'fail', 'not_measured'),
        ws_connect_success_pct: s('pass', 'warn', 'fail'),
      },
    },
    why: 'Signaling fans out through Redis pub/sub and the API caches sessions in it: something gated must fail.',
  },
  {
    id: 'api-restart',
    title: 'API service restarted mid-run (stop + stack up)',
    injection: { kind: 'component-restart', component: 'api' },
    atSec: 12,
    expected: {
      verdict: 'NO_GO',
      rows: { ...CUT_SHORT, api_error_rate_pct: s('fail'), ws_connect_success_pct: s('pass', 'warn', 'fail'), ws_connections: s('pass', 'fail', 'not_measured') },
    },
    why:
      'A restart is an outage of its length: at 15 req/s, the seconds the API is down (stop + start of a Node ' +
      'process on a busy machine) fail more than 5 % of the judged requests. The gate must not call it GO.',
  },
];

/** Problems with a fault table (empty = consistent). Pure: the unit test runs it on FAULTS. */
export function checkFaultTable(faults: readonly Fault[], gates: readonly RowId[] = MATRIX_GATES): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const f of faults) {
    if (ids.has(f.id)) problems.push(`${f.id}: duplicate id`);
    ids.add(f.id);
    if (!(f.atSec >= 0)) problems.push(`${f.id}: atSec must be ≥ 0`);
    const rows = Object.entries(f.expected.rows) as [RowId, RowExpectation][];
    for (const [id, e] of rows) {
      if (!gates.includes(id)) problems.push(`${f.id}: row ${id} is not gated by the matrix profile`);
      if (e.status.length === 0) problems.push(`${f.id}: row ${id} allows no status`);
    }
    const can = (st: RowStatus) => rows.some(([, e]) => e.status.includes(st));
    const must = (st: RowStatus) => rows.some(([, e]) => e.status.length === 1 && e.status[0] === st);
    switch (f.expected.verdict) {
      case 'GO':
        if (rows.length > 0) problems.push(`${f.id}: GO but rows expected to move`);
        if (f.expected.aborted) problems.push(`${f.id}: GO cannot be aborted`);
        break;
      case 'WARN':
        if (!must('warn')) problems.push(`${f.id}: WARN needs a row that must warn`);
        if (can('fail') || can('not_measured')) problems.push(`${f.id}: WARN with a row that may fail or be missing`);
        if (f.expected.aborted) problems.push(`${f.id}: WARN cannot be aborted`);
        break;
      case 'NO_GO':
        if (!can('fail') && !f.expected.aborted) problems.push(`${f.id}: NO_GO needs a row that may fail, or an abort`);
        break;
      case 'INCONCLUSIVE':
        break;
    }
    for (const id of f.expected.oneFails ?? []) {
      if (!f.expected.rows[id]?.status.includes('fail')) problems.push(`${f.id}: oneFails names ${id}, whose expectation does not allow fail`);
    }
    if (f.expected.aborted && !rows.some(([, e]) => e.status.includes('fail'))) {
      problems.push(`${f.id}: an abort needs a row that crosses its critical`);
    }
  }
  return problems;
}
