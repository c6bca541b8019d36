/**
 * `gomeet-capacity report` through the real CLI entry (node bin/gomeet-capacity.mjs) on the
 * recorded runs (test/fixtures/recorded-runs): what an operator or CI sees and the exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendHistory, historyEntryOf, loadRunRecord } from '../../../reports/history.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string) => join(ROOT, 'test/fixtures/recorded-runs', name);

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [join(ROOT, 'bin/gomeet-capacity.mjs'), ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('report command', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gomeet-report-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('compare prints both runs, the API p95 under worsened, and exits 1 on the regression', async () => {
    const r = await cli('report', 'compare', fixture('baseline'), fixture('slowed'));
    expect(r.code).toBe(1);
    const worsened = r.stdout.split('**Worsened**')[1]!.split('**Improved**')[0]!;
    expect(worsened).toMatch(/\| API response time \(p95\) \| p95 \| [\d.]+ ms \| [\d.]+ ms \| \+[\d.]+ ms \| \+[\d.,]+ % \|/);
    expect(r.stdout).toContain('regression: API response time (p95) p95 beyond 20 ms and 20 %');
    // The other way round is an improvement: no regression, exit 0.
    const back = await cli('report', 'compare', fixture('slowed'), fixture('baseline'));
    expect(back.code).toBe(0);
    expect(back.stdout.split('**Improved**')[1]).toContain('| API response time (p95) | p95 |');
  });

  it('--json and --html write what they say, leaving the run dirs alone', async () => {
    const html = join(dir, 'compare.html');
    const before = await readFile(join(fixture('slowed'), 'verdict.json'), 'utf8');
    const r = await cli('report', 'compare', fixture('baseline'), fixture('slowed'), '--json', '--html', html);
    const json = JSON.parse(r.stdout);
    expect(json.regressions.map((x: { rowId: string }) => x.rowId)).toEqual(['api_p95_ms']);
    expect(json.comparison.base.runId).toBe((await loadRunRecord(fixture('baseline'))).verdict.runId);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('id="comparison"');
    expect(page.match(/<svg class="chart"/g)!.length).toBeGreaterThan(3);
    expect(await readFile(join(fixture('slowed'), 'verdict.json'), 'utf8')).toBe(before);
  });

  it('last-go comes from the history; a missing run is a one-line usage error (exit 2)', async () => {
    const history = join(dir, 'history');
    const slowed = await loadRunRecord(fixture('slowed'));
    const none = await cli('report', 'compare', 'last-go', fixture('slowed'), '--history', history);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: --baseline last-go: no GO run of profile smoke on target local-reference/);
    // Both recorded runs are WARN; a GO entry of the same profile and target is what last-go takes.
    const base = await loadRunRecord(fixture('baseline'));
    await appendHistory(history, { ...historyEntryOf(base.verdict, fixture('baseline')), verdict: 'GO' });
    const found = await cli('report', 'compare', 'last-go', fixture('slowed'), '--history', history);
    expect(found.stdout).toContain(`### Compared with baseline run ${base.verdict.runId}`);
    const listed = await cli('report', 'history', '--history', history, '--profile', slowed.verdict.profile);
    expect(listed.stdout).toContain(base.verdict.runId);
    const missing = await cli('report', 'compare', join(dir, 'nope'), fixture('slowed'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
