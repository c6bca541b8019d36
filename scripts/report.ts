/**
 * `gomeet-capacity report` — read finished runs back (their verdict.json, series.json, run-info.json).
 *
 *   report compare BASE NEW [--html FILE] [--json]   BASE/NEW: run output dirs, or `last-go` for BASE
 *       1. load both runs (a missing or unreadable verdict.json: one line, exit 2)
 *       2. compare them over the steady-state window only, noise floors applied
 *       3. print the comparison as markdown (or JSON); with --html also write NEW's report.html with
 *          the comparison section to FILE (NEW's own files are left as they are)
 *       4. exit 0, or 1 when a gated row regressed beyond its tolerance (so CI can gate on trends)
 *
 *   report history [--profile P] [--target T]       the runs in the history index, newest last
 *
 * `--history DIR` (default runs/history) names the index both read; `last-go` resolves there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareRuns } from '../reports/compare.ts';
import { renderCompareMarkdown } from '../reports/compare-markdown.ts';
import { regressionsOf } from '../reports/compare-regressions.ts';
import { DEFAULT_HISTORY_DIR, loadRunRecord, readHistory, resolveBaseline } from '../reports/history.ts';
import { renderHtml } from '../reports/render-html.ts';
import { RUN_INFO_FILE, RunInfoSchema, type RunInfo } from '../reports/run-info.ts';
import { EXIT, UsageError } from './exit-codes.ts';

export interface CompareFlags {
  /** Write NEW's report.html with the comparison here. */
  html?: string;
  /** Print the comparison as JSON instead of markdown. */
  json?: boolean;
  /** History directory for `last-go` (default runs/history). */
  history?: string;
}

export async function reportCompareCommand(baseArg: string, nextArg: string, flags: CompareFlags): Promise<number> {
  const next = await loadRunRecord(nextArg);
  const historyDir = flags.history ?? DEFAULT_HISTORY_DIR;
  const baseDir = await resolveBaseline(baseArg, { historyDir, profile: next.verdict.profile, target: next.verdict.target });
  const base = await loadRunRecord(baseDir);
  const comparison = compareRuns(base, next);
  const gated = new Set<string>(next.verdict.rows.filter((r) => r.gated).map((r) => r.id));
  const regressions = regressionsOf(comparison, gated);

  if (flags.json) console.log(JSON.stringify({ comparison, regressions }, null, 2));
  else {
    console.log(renderCompareMarkdown(comparison));
    for (const r of regressions) console.log(`regression: ${r.title} ${r.metric} beyond ${r.tolerance}`);
  }
  if (flags.html) {
    const info = await readRunInfo(nextArg);
    await writeFile(flags.html, renderHtml(next.verdict, { ...(next.series ? { series: next.series } : {}), comparison, ...(info ? { info } : {}) }), 'utf8');
    console.error(`wrote ${flags.html}`);
  }
  return regressions.length > 0 ? EXIT.noGo : EXIT.go;
}

export interface HistoryFlags {
  profile?: string;
  target?: string;
  history?: string;
}

export async function reportHistoryCommand(flags: HistoryFlags): Promise<number> {
  const entries = (await readHistory(flags.history ?? DEFAULT_HISTORY_DIR)).filter(
    (e) => (!flags.profile || e.profile === flags.profile) && (!flags.target || e.target === flags.target),
  );
  if (entries.length === 0) console.error(`no runs in ${join(flags.history ?? DEFAULT_HISTORY_DIR, 'index.jsonl')}${flags.profile || flags.target ? ' matching the filter' : ''}`);
  for (const e of entries) console.log(`${e.time}  ${e.verdict.padEnd(12)} ${e.profile.padEnd(8)} ${e.target.padEnd(16)} ${e.runId}  ${e.path}`);
  return EXIT.go;
}

/** run-info.json when present and readable; a report without it just says `unknown`. */
async function readRunInfo(dir: string): Promise<RunInfo | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, RUN_INFO_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = RunInfoSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new UsageError(`${join(dir, RUN_INFO_FILE)}: not a run-info.json`);
  return parsed.data;
}
