/**
 * Writes a verdict's files into the run's output directory: verdict.json (the contract CI and
 * tooling read), report.md, junit.xml, report.html. Returns the paths written, in that order.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './render-html.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-markdown.ts';
import type { Verdict } from './verdict.ts';

export const REPORT_FILES = {
  verdict: 'verdict.json',
  markdown: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
} as const;

export async function writeReports(outDir: string, verdict: Verdict): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const contents: [string, string][] = [
    [REPORT_FILES.verdict, JSON.stringify(verdict, null, 2) + '\n'],
    [REPORT_FILES.markdown, renderMarkdown(verdict)],
    [REPORT_FILES.junit, renderJunit(verdict)],
    [REPORT_FILES.html, renderHtml(verdict)],
  ];
  const paths: string[] = [];
  for (const [name, text] of contents) {
    const path = join(outDir, name);
    await writeFile(path, text, 'utf8');
    paths.push(path);
  }
  return paths;
}
