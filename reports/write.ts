/**
 * Writes a run's report files into its output directory and returns the paths written, in order:
 *
 *   verdict.json    the contract CI and tooling read (with `regressions` when compared to a baseline)
 *   report.md       short: verdict, reasons, rows, and the primary changes against the baseline
 *   junit.xml       one test case per row
 *   report.html     self-contained, with charts when series are given
 *   series.json     the run's series (what `report compare` and a later re-render read), if given
 *   run-info.json   parameters and versions, if given
 *   comparison.json the comparison with the baseline, if given
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml, type ReportExtras } from './render-html.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-markdown.ts';
import { RUN_INFO_FILE } from './run-info.ts';
import { SERIES_FILE } from './series.ts';
import type { Verdict } from './verdict.ts';

export const REPORT_FILES = {
  verdict: 'verdict.json',
  markdown: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
  series: SERIES_FILE,
  info: RUN_INFO_FILE,
  comparison: 'comparison.json',
} as const;

export async function writeReports(outDir: string, verdict: Verdict, extras: ReportExtras = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  const contents: [string, string][] = [
    [REPORT_FILES.verdict, json(verdict)],
    [REPORT_FILES.markdown, renderMarkdown(verdict, extras.comparison)],
    [REPORT_FILES.junit, renderJunit(verdict)],
    [REPORT_FILES.html, renderHtml(verdict, extras)],
    ...(extras.series ? ([[REPORT_FILES.series, json(extras.series)]] as [string, string][]) : []),
    ...(extras.info ? ([[REPORT_FILES.info, json(extras.info)]] as [string, string][]) : []),
    ...(extras.comparison ? ([[REPORT_FILES.comparison, json(extras.comparison)]] as [string, string][]) : []),
  ];
  const paths: string[] = [];
  for (const [name, text] of contents) {
    const path = join(outDir, name);
    await writeFile(path, text, 'utf8');
    paths.push(path);
  }
  return paths;
}
