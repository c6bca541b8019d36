import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendHistory, historyEntryOf, HISTORY_INDEX, loadRunRecord, readHistory, resolveBaseline } from '../../../reports/history.ts';
import { buildVerdict, type Verdict, type VerdictName } from '../../../reports/verdict.ts';
import { writeReports } from '../../../reports/write.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';

const ROWS = effectiveRows(THRESHOLD_TABLE, { gates: ['api_p95_ms'], plannedConnections: 500 });

function verdictOf(runId: string, observed: number | null, profile = 'smoke', target = 'local'): Verdict {
  return buildVerdict({
    rows: ROWS,
    gates: ['api_p95_ms'],
    observations: new Map([['api_p95_ms', { observed }]]),
    facts: { aborted: false },
    meta: { profile, target, runId, startedAt: '2026-01-01T00:00:00.000Z', endedAt: `2026-01-01T00:0${runId.length % 10}:00.000Z` },
  });
}

describe('history and baselines', () => {
  let root = '';
  let historyDir = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gomeet-history-'));
    historyDir = join(root, 'history');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** A finished run: its reports written and its line appended, as `run` does. */
  async function finish(v: Verdict): Promise<string> {
    const dir = join(root, v.runId);
    await writeReports(dir, v);
    await appendHistory(historyDir, historyEntryOf(v, dir));
    return dir;
  }

  it('appends one line per run and reads them back, skipping torn lines', async () => {
    expect(await readHistory(historyDir)).toEqual([]);
    const a = await finish(verdictOf('go-old', 10));
    await appendFile(join(historyDir, HISTORY_INDEX), '{"runId": "torn\n');
    await finish(verdictOf('warn-1', 300));
    const entries = await readHistory(historyDir);
    expect(entries.map((e) => [e.runId, e.verdict as VerdictName])).toEqual([
      ['go-old', 'GO'],
      ['warn-1', 'WARN'],
    ]);
    expect(entries[0]!.path).toBe(a);
  });

  it('last-go is the last GO run of the same profile and target whose output still exists', async () => {
    const goNew = await finish(verdictOf('go-new', 11));
    await finish(verdictOf('go-nightly', 11, 'nightly'));
    await finish(verdictOf('go-other-target', 11, 'smoke', 'staging'));
    await finish(verdictOf('nogo-last', 900));
    const ctx = { historyDir, profile: 'smoke', target: 'local' };
    expect(await resolveBaseline('last-go', ctx)).toBe(goNew);
    await rm(goNew, { recursive: true });
    expect(await resolveBaseline('last-go', ctx)).toBe(join(root, 'go-old'));
    await expect(resolveBaseline('last-go', { ...ctx, profile: 'release' })).rejects.toThrow(UsageError);
  });

  it('a directory baseline must hold a readable verdict.json; series.json is optional but checked', async () => {
    const dir = join(root, 'go-old');
    expect(await resolveBaseline(dir, { historyDir, profile: 'x', target: 'y' })).toBe(dir);
    await expect(resolveBaseline(join(root, 'nope'), { historyDir, profile: 'x', target: 'y' })).rejects.toThrow(/nope\/verdict\.json/);
    expect((await loadRunRecord(dir)).series).toBeUndefined();
    const broken = join(root, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'verdict.json'), JSON.stringify(verdictOf('broken', 1)));
    await writeFile(join(broken, 'series.json'), JSON.stringify({ runId: 'broken', rows: 'x' }));
    await expect(loadRunRecord(broken)).rejects.toThrow(/series\.json/);
  });
});
