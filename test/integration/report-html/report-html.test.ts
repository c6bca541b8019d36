/**
 * report.html in real headless Chromium (/usr/bin/chromium driven by playwright-core): the recorded
 * slowed run (test/fixtures/recorded-runs) with its series, run info and the comparison with the
 * recorded baseline. Every request the page makes is recorded and refused: a self-contained report
 * makes none. Artifacts (the HTML and a full-page screenshot) are kept under test-artifacts/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../../reports/compare-baseline.ts';
import { loadRunRecord } from '../../../reports/history.ts';
import { renderHtml } from '../../../reports/render-html.ts';
import { RunInfoSchema } from '../../../reports/run-info.ts';
import { firstCrossings, offsetText } from '../../../reports/series-crossings.ts';
import { rowById } from '../../../thresholds/table.ts';
import { readFile } from 'node:fs/promises';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/recorded-runs/${name}`, import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/report-html/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('report.html in headless Chromium', () => {
  let context: BrowserContext;
  let profileDir = '';
  let htmlPath = '';
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let expected: { rowCharts: number; loadCharts: number; apiFirstOffTarget: string; baseRunId: string };

  beforeAll(async () => {
    const base = await loadRunRecord(fixture('baseline'));
    const slowed = await loadRunRecord(fixture('slowed'));
    const info = RunInfoSchema.parse(JSON.parse(await readFile(join(fixture('slowed'), 'run-info.json'), 'utf8')));
    const { verdict, comparison } = await compareWithBaseline({ baselineDir: fixture('baseline'), verdict: slowed.verdict, series: slowed.series });
    const series = slowed.series!;
    const gated = verdict.rows.filter((r) => r.gated).map((r) => r.id);
    const api = series.rows.find((r) => r.rowId === 'api_p95_ms')!;
    const apiRow = { ...rowById('api_p95_ms'), ...verdict.rows.find((r) => r.id === 'api_p95_ms')! };
    const crossing = firstCrossings(api, apiRow, series.window);
    expected = {
      rowCharts: series.rows.filter((r) => gated.includes(r.rowId) && r.points.length > 0).length,
      loadCharts: series.load.length,
      apiFirstOffTarget: crossing.missedTargetAtMs === undefined ? 'never' : offsetText(crossing.missedTargetAtMs, series.window),
      baseRunId: base.verdict.runId,
    };
    await mkdir(ARTIFACTS, { recursive: true });
    htmlPath = join(ARTIFACTS, 'report.html');
    await writeFile(htmlPath, renderHtml(verdict, { series, comparison, info }));

    profileDir = await mkdtemp(join(tmpdir(), 'gomeet-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('renders with its charts, no console error and no request leaving the file', async () => {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });

    expect(await page.title()).toMatch(/^GoMeet capacity: WARN — smoke/);
    expect(await page.locator('#timelines svg.chart').count()).toBe(expected.rowCharts);
    expect(await page.locator('#load svg.chart').count()).toBe(expected.loadCharts);
    expect(expected.rowCharts).toBeGreaterThanOrEqual(3);
    // Drawn, not just present: every chart has a laid-out box, target and critical lines, a data path.
    for (const chart of await page.locator('svg.chart').all()) {
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
      expect(await chart.locator('path.line, circle.dot').count()).toBeGreaterThan(0);
    }
    expect(await page.locator('#timelines svg.chart line.rule.target').count()).toBe(expected.rowCharts);
    expect(await page.locator('#timelines svg.chart line.rule.critical').count()).toBe(expected.rowCharts);

    // When the API row first missed its target, in the table and as a marker on its chart.
    const apiRow = page.locator('table.rows tr', { hasText: 'API response time (p95)' });
    expect((await apiRow.locator('td.first-target').textContent())?.trim()).toBe(expected.apiFirstOffTarget);
    if (expected.apiFirstOffTarget !== 'never') {
      expect(await page.locator('figure[data-row="api_p95_ms"] line.marker.target').count()).toBe(1);
    }

    // The comparison names both runs and lists the API p95 under worsened.
    const worsened = page.locator('table.compare.worsened');
    expect(await worsened.locator('tr', { hasText: 'API response time (p95)' }).first().textContent()).toContain('p95');
    expect(await page.locator('#comparison h2').textContent()).toContain(expected.baseRunId);
    expect(await page.locator('#run-info').textContent()).toContain('v2.2.0');

    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
