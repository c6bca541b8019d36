/**
 * The judgement step of a run, after the load has stopped: Node decides, from what was recorded.
 *
 *   1. server rows from Prometheus over the run window (db p95, Redis memory, CPU, memory), merged
 *      under the client rows the load step observed (k6 samples in InfluxDB, or one runner's summary)
 *      and the media rows (bots, browser probes)
 *   2. the SFU's own signals as context (never gated)
 *   3. series for the charts: client rows and load from InfluxDB, server rows from Prometheus
 *   4. verdict; with a baseline, the comparison (a regression turns GO into WARN)
 *   5. reports written, history appended
 * Every source may be missing or unreachable: its rows then carry no value and a note, and the verdict
 * is INCONCLUSIVE if they are gated — never passed.
 */
import type { Target } from '../../lib/config/target.ts';
import type { Profile } from '../../lib/profiles.ts';
import { compareWithBaseline } from '../../reports/compare-baseline.ts';
import type { Comparison } from '../../reports/compare.ts';
import { appendHistory, historyEntryOf } from '../../reports/history.ts';
import type { Observation, Observations } from '../../reports/observation.ts';
import { contextLines, observeFromPrometheus, serverContextFromPrometheus } from '../../reports/observe-prometheus.ts';
import type { RunInfo } from '../../reports/run-info.ts';
import { seriesFromInflux } from '../../reports/series-influx.ts';
import { seriesFromPrometheus } from '../../reports/series-prometheus.ts';
import { DEFAULT_BUCKET_SEC, type RunSeries } from '../../reports/series.ts';
import { buildVerdict, type RunFacts, type Verdict } from '../../reports/verdict.ts';
import { writeReports } from '../../reports/write.ts';
import type { RowId, ThresholdRow } from '../../thresholds/table.ts';
import { influxReader } from '../clients/influx.ts';

export interface JudgeInput {
  profile: Profile;
  /** Effective rows (scaled to the profile). */
  rows: readonly ThresholdRow[];
  target: Target;
  runId: string;
  outDir: string;
  startedAt: Date;
  endedAt: Date;
  /** Client rows (load step) and media rows, already merged. */
  observations: Observations;
  facts: RunFacts;
  /** A resolved baseline run directory (run --baseline). */
  baselineDir?: string;
  /** Appended to when given. */
  historyDir?: string;
  info: RunInfo;
  log: (line: string) => void;
}

export interface Judgement {
  verdict: Verdict;
  comparison?: Comparison;
  context: string[];
  reportPaths: string[];
}

export async function judgeRun(input: JudgeInput): Promise<Judgement> {
  const { profile, rows, target, startedAt, endedAt } = input;
  const window = { startMs: startedAt.getTime(), endMs: endedAt.getTime() };
  const promUrl = target.prometheus.url;
  const overrides = target.prometheus.queries;

  input.log('reading server rows from Prometheus');
  const server = await observeFromPrometheus(promUrl, { ...window, rows, overrides });
  const observations = new Map<RowId, Observation>(server);
  // Client and media rows come from their own sources; Prometheus never overrides them.
  for (const [id, obs] of input.observations) observations.set(id, obs);
  const context = contextLines(await serverContextFromPrometheus(promUrl, window));

  const series = await collectSeries(input, window);
  let verdict = buildVerdict({
    rows,
    gates: profile.gates,
    observations,
    facts: input.facts,
    meta: {
      profile: profile.name,
      target: target.name,
      runId: input.runId,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
    },
  });
  let comparison: Comparison | undefined;
  if (input.baselineDir) {
    ({ verdict, comparison } = await compareWithBaseline({ baselineDir: input.baselineDir, verdict, ...(series ? { series } : {}) }));
  }
  const reportPaths = await writeReports(input.outDir, verdict, { ...(series ? { series } : {}), ...(comparison ? { comparison } : {}), info: input.info, context });
  if (input.historyDir) await appendHistory(input.historyDir, historyEntryOf(verdict, input.outDir));
  return { verdict, ...(comparison ? { comparison } : {}), context, reportPaths };
}

/** Timelines for the report. Charts are a view: a source that fails leaves the report without them,
 *  and says so, but never changes the verdict. */
async function collectSeries(input: JudgeInput, window: { startMs: number; endMs: number }): Promise<RunSeries | undefined> {
  const { rows, profile, target } = input;
  const rowSeries: RunSeries['rows'] = [];
  let load: RunSeries['load'] = [];
  let steady: RunSeries['steady'];
  if (target.influxdb) {
    try {
      const s = await seriesFromInflux(influxReader(target.influxdb.url, target.influxdb.database), { runId: input.runId, window, rows, gates: profile.gates });
      rowSeries.push(...s.rows);
      load = s.load;
      steady = s.steady;
    } catch (err) {
      input.log(`no client-side series for the charts: ${(err as Error).message}`);
    }
  }
  try {
    rowSeries.push(...(await seriesFromPrometheus(target.prometheus.url, { ...window, rows, gates: profile.gates, overrides: target.prometheus.queries })));
  } catch (err) {
    input.log(`no server-side series for the charts: ${(err as Error).message}`);
  }
  if (rowSeries.length === 0 && load.length === 0) return undefined;
  return { runId: input.runId, window, bucketSec: DEFAULT_BUCKET_SEC, rows: rowSeries, load, ...(steady ? { steady } : {}) };
}
