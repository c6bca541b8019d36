/**
 * The generated thresholds in the real, pinned k6: the abort condition of a critical row stops
 * the load once its warm-up is over, k6 still writes its summary, and the Node side judges that
 * summary NO_GO. Traffic: a throwaway HTTP + WebSocket server on 127.0.0.1 (ephemeral port).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeFromK6Summary } from '../../reports/observe-k6.ts';
import { buildVerdict } from '../../reports/verdict.ts';
import { ensureK6 } from '../../scripts/tools/k6.ts';
import { effectiveRows } from '../../thresholds/effective.ts';
import { k6Thresholds, SUMMARY_TREND_STATS } from '../../thresholds/k6.ts';
import { THRESHOLD_TABLE, type RowId } from '../../thresholds/table.ts';

const SCRIPT = fileURLToPath(new URL('../fixtures/k6/record-summary.js', import.meta.url));
/** The server answers this late: past the 500 ms critical of api_p95_ms. */
const DELAY_MS = 700;
/** What the run would last without the abort. */
const PLANNED_SEC = 40;
/** Warm-up given to the row here instead of its 20 s: long enough that an abort ignoring it
 *  (k6 evaluates thresholds every ~2 s, the first slow answers arrive at 0.7 s) would show. */
const WARMUP_SEC = 8;

describe('generated thresholds in real k6', () => {
  const server = createServer((_req, res) => {
    setTimeout(() => res.writeHead(200).end('[]'), DELAY_MS);
  });
  const wss = new WebSocketServer({ server });
  let port = 0;
  let dir = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    dir = await mkdtemp(join(tmpdir(), 'gomeet-k6-thresholds-'));
  });
  afterAll(async () => {
    wss.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('aborts on a crossed critical after its warm-up, and the summary judges NO_GO', async () => {
    const k6 = await ensureK6();
    const gates: RowId[] = ['api_p95_ms'];
    const table = THRESHOLD_TABLE.map((r) => (r.id === 'api_p95_ms' ? { ...r, warmupSec: WARMUP_SEC } : r));
    const thresholds = k6Thresholds(table, { gates, plannedConnections: 5 });
    const out = join(dir, 'summary.json');
    const started = Date.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = execFile(
        k6,
        ['run', '--quiet', SCRIPT],
        {
          env: {
            PATH: process.env.PATH,
            K6_NO_USAGE_REPORT: 'true',
            FIXTURE_HTTP_URL: `http://127.0.0.1:${port}`,
            FIXTURE_WS_URL: `ws://127.0.0.1:${port}/ws`,
            FIXTURE_MAX_VUS: '30',
            FIXTURE_DURATION_SEC: String(PLANNED_SEC),
            FIXTURE_THRESHOLDS: JSON.stringify(thresholds),
            FIXTURE_TREND_STATS: JSON.stringify(SUMMARY_TREND_STATS),
            FIXTURE_OUT: out,
          },
          timeout: (PLANNED_SEC + 30) * 1000,
        },
        () => undefined,
      );
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    const elapsedSec = (Date.now() - started) / 1000;

    expect(code).toBe(99); // k6: thresholds crossed
    // Stopped well before the planned end, but not before the warm-up was over.
    expect(elapsedSec).toBeLessThan(PLANNED_SEC / 2);
    const summary = JSON.parse(await readFile(out, 'utf8'));
    expect(summary.state.testRunDurationMs / 1000).toBeGreaterThanOrEqual(WARMUP_SEC);
    expect(summary.metrics['http_req_duration{scenario:api}'].thresholds).toEqual({
      'p(95)<200': { ok: false },
      'p(95)<=500': { ok: false },
    });

    const rows = effectiveRows(table, { gates, plannedConnections: 5 });
    const verdict = buildVerdict({
      rows,
      gates,
      observations: observeFromK6Summary(summary, rows, gates),
      facts: { aborted: true, abortReason: 'api_p95_ms crossed its critical' },
      meta: { profile: 'test', target: 'loopback', runId: 'abort', startedAt: '', endedAt: '' },
    });
    expect(verdict.verdict).toBe('NO_GO');
    expect(verdict.rows.find((r) => r.id === 'api_p95_ms')).toMatchObject({ status: 'fail' });
    expect(verdict.rows.find((r) => r.id === 'api_p95_ms')!.observed).toBeGreaterThan(DELAY_MS - 1);
  });
});
