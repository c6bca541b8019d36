/**
 * Writes a search's files into its output directory and returns their paths:
 *
 *   search.json   the answer and every step, for scripts (scripts/search/report.ts)
 *   search.md     the answer and the table of steps
 *   search.html   the same with a chart of each gated row against load (reports/render-html-search.ts)
 *
 * Each step's own run reports are already in steps/<nn>-<load>/ (written by the run itself).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSearchHtml } from '../../reports/render-html-search.ts';
import { renderSearchMarkdown } from './render-markdown.ts';
import { SEARCH_FILES, type SearchReport } from './report.ts';

export async function writeSearchReports(outDir: string, report: SearchReport): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const contents: [string, string][] = [
    [SEARCH_FILES.json, JSON.stringify(report, null, 2) + '\n'],
    [SEARCH_FILES.markdown, renderSearchMarkdown(report)],
    [SEARCH_FILES.html, renderSearchHtml(report)],
  ];
  const paths: string[] = [];
  for (const [name, text] of contents) {
    const path = join(outDir, name);
    await writeFile(path, text, 'utf8');
    paths.push(path);
  }
  return paths;
}
