/**
 * The global abort: while the runners run, every ~5 s judge the critical rows on the aggregate of
 * all runners' samples in the store (reports/observe-influx.ts evaluateCriticalRows) and, when one
 * is crossed, stop every runner — what no runner's own `abortOnFail` can do, since each sees only
 * its slice (runners run with --no-thresholds under a global verdict: runner-args.ts).
 *
 *   const watcher = watchCriticalRows({ client, runId, sinceMs, rows, gates, stop: controller });
 *   …runners end…
 *   const report = await watcher.finish();   // { crossing?, detectedAtMs?, rounds, errors }
 *
 * A round that cannot read the store is counted and retried next round: a slow store must not stop
 * a healthy run, and a dead one shows up in the verdict as missing data. Rounds never overlap.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { evaluateCriticalRows, type CriticalCrossing, type InfluxReader } from '../../reports/observe-influx.ts';
import type { RowId, ThresholdRow } from '../../thresholds/table.ts';

/** Seconds between two rounds by default. */
export const WATCH_EVERY_MS = 5_000;

export interface WatchInput {
  client: InfluxReader;
  runId: string;
  /** When the load started (Unix ms): warm-ups count from here. */
  sinceMs: number;
  /** Effective rows of the whole run. */
  rows: readonly ThresholdRow[];
  gates: readonly RowId[];
  /** Aborted on the first crossing: every runner listens to it. */
  stop: AbortController;
  /** Between rounds (ms). Default WATCH_EVERY_MS. */
  everyMs?: number;
  /** One line per crossing or store error. */
  onLine?: (line: string) => void;
}

export interface WatchReport {
  /** The first crossing seen (the rows crossed in that round). */
  crossing?: CriticalCrossing[];
  /** When that round found it (Unix ms). */
  detectedAtMs?: number;
  /** Rounds completed. */
  rounds: number;
  /** Rounds whose store query failed. */
  errors: number;
  lastError?: string;
}

export interface Watcher {
  /** Stop watching (the runners ended) and get what was seen. */
  finish(): Promise<WatchReport>;
}

export function watchCriticalRows(input: WatchInput): Watcher {
  const report: WatchReport = { rounds: 0, errors: 0 };
  const done = new AbortController();
  const everyMs = input.everyMs ?? WATCH_EVERY_MS;

  const loop = (async () => {
    while (!done.signal.aborted && !input.stop.signal.aborted) {
      try {
        await sleep(everyMs, undefined, { signal: done.signal });
      } catch {
        return; // finish() was called
      }
      try {
        const evaluation = await evaluateCriticalRows(input.client, {
          runId: input.runId,
          sinceMs: input.sinceMs,
          rows: input.rows,
          gates: input.gates,
        });
        report.rounds++;
        if (evaluation.crossed.length > 0 && !report.crossing) {
          report.crossing = evaluation.crossed;
          report.detectedAtMs = Date.now();
          input.onLine?.(`critical row crossed on all runners' samples: ${describeCrossing(evaluation.crossed)} — stopping every runner`);
          input.stop.abort();
          return;
        }
      } catch (err) {
        report.errors++;
        report.lastError = (err instanceof Error ? err.message : String(err)).split('\n')[0];
        input.onLine?.(`store unreadable this round (${report.lastError}); trying again in ${Math.round(everyMs / 1000)} s`);
      }
    }
  })();

  return {
    async finish() {
      done.abort();
      await loop;
      return report;
    },
  };
}

/** `API response time (p95) 612 > 500 (ms)`; several rows joined with `; `. */
export function describeCrossing(crossed: readonly CriticalCrossing[]): string {
  return crossed
    .map((c) => `${c.title} ${round(c.observed)} crosses the critical ${round(c.critical)} (${c.samples.toLocaleString('en-US')} samples)`)
    .join('; ');
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
