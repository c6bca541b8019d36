/**
 * The history of runs: one JSON line per finished run in `<history dir>/index.jsonl` (default
 * runs/history, beside the run outputs), appended at the end of each run. Nightly runs read it to
 * find their baseline: `--baseline last-go` is the last GO run of the same profile and target whose
 * output directory still holds its verdict.json.
 *
 *   appendHistory(dir, historyEntryOf(verdict, outDir))
 *   readHistory(dir)                                 entries, oldest first; unreadable lines skipped
 *   resolveBaseline('last-go' | DIR, { historyDir, profile, target })   → the baseline run's dir
 *   loadRunRecord(dir)                               verdict.json (+ series.json when present)
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../scripts/exit-codes.ts';
import type { RunRecord } from './compare.ts';
import { parseRunSeries, SERIES_FILE } from './series.ts';
import type { Verdict, VerdictName } from './verdict.ts';
import { REPORT_FILES } from './write.ts';

/** Where the index lives unless told otherwise (relative to the working directory). */
export const DEFAULT_HISTORY_DIR = join('runs', 'history');
export const HISTORY_INDEX = 'index.jsonl';

export interface HistoryEntry {
  runId: string;
  profile: string;
  target: string;
  verdict: VerdictName;
  /** ISO-8601 end of the run's load. */
  time: string;
  /** The run's output directory (absolute). */
  path: string;
}

const EntrySchema = z.object({
  runId: z.string().min(1),
  profile: z.string(),
  target: z.string(),
  verdict: z.enum(['GO', 'WARN', 'NO_GO', 'INCONCLUSIVE']),
  time: z.string(),
  path: z.string().min(1),
});

export function historyEntryOf(verdict: Verdict, outDir: string): HistoryEntry {
  return { runId: verdict.runId, profile: verdict.profile, target: verdict.target, verdict: verdict.verdict, time: verdict.endedAt, path: resolve(outDir) };
}

/** One line per call; appends are atomic for lines this short, so parallel runs do not interleave. */
export async function appendHistory(historyDir: string, entry: HistoryEntry): Promise<string> {
  await mkdir(historyDir, { recursive: true });
  const path = join(historyDir, HISTORY_INDEX);
  await appendFile(path, JSON.stringify(EntrySchema.parse(entry)) + '\n', 'utf8');
  return path;
}

export async function readHistory(historyDir: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(join(historyDir, HISTORY_INDEX), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = EntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // A torn or hand-edited line must not hide the rest of the history.
    }
  }
  return entries;
}

export interface BaselineContext {
  historyDir: string;
  profile: string;
  target: string;
}

/** `last-go` → the last GO run of the same profile and target that still has its verdict.json;
 *  anything else is a run directory. Throws UsageError when there is none. */
export async function resolveBaseline(spec: string, ctx: BaselineContext): Promise<string> {
  if (spec !== 'last-go') {
    await loadRunRecord(spec); // fails now, with the path, rather than after the load
    return resolve(spec);
  }
  const history = await readHistory(ctx.historyDir);
  for (const entry of [...history].reverse()) {
    if (entry.verdict !== 'GO' || entry.profile !== ctx.profile || entry.target !== ctx.target) continue;
    try {
      await loadRunRecord(entry.path);
      return entry.path;
    } catch {
      // Its output was deleted: try the one before.
    }
  }
  throw new UsageError(
    `--baseline last-go: no GO run of profile ${ctx.profile} on target ${ctx.target} in ${join(ctx.historyDir, HISTORY_INDEX)} (give a run directory instead)`,
  );
}

/** A run's verdict.json and, when it wrote one, series.json. Throws UsageError naming the file. */
export async function loadRunRecord(dir: string): Promise<RunRecord> {
  const verdictPath = join(dir, REPORT_FILES.verdict);
  let verdict: Verdict;
  try {
    verdict = JSON.parse(await readFile(verdictPath, 'utf8')) as Verdict;
  } catch (err) {
    throw new UsageError(`${verdictPath}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!verdict || typeof verdict.runId !== 'string' || !Array.isArray(verdict.rows)) {
    throw new UsageError(`${verdictPath}: not a verdict.json (no runId or rows)`);
  }
  const seriesPath = join(dir, SERIES_FILE);
  let text: string | undefined;
  try {
    text = await readFile(seriesPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text === undefined) return { verdict };
  try {
    return { verdict, series: parseRunSeries(JSON.parse(text)) };
  } catch (err) {
    throw new UsageError(`${seriesPath}: ${(err as Error).message.split('\n')[0]}`);
  }
}
