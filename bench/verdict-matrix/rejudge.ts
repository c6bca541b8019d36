/**
 * Matches a results.json's recorded verdicts (each run's verdict.json) again against the current
 * fault table, without re-running anything: for when the table's expectation was corrected after a
 * run showed it wrong. The recorded match stays in the file; the rejudged one is added beside it.
 *
 *   npx tsx bench/verdict-matrix/rejudge.ts --reason "why the table changed" [--results-dir DIR]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Verdict } from '../../reports/verdict.ts';
import { FAULTS, MATRIX_GATES } from './faults.ts';
import { matchVerdict, summarize } from './match.ts';
import { renderMarkdown, summaryLine, type MatrixResults } from './results.ts';

const { values } = parseArgs({ options: { reason: { type: 'string' }, 'results-dir': { type: 'string', default: dirname(fileURLToPath(import.meta.url)) } } });
if (!values.reason) throw new Error('--reason is required: say why the table changed');
const dir = values['results-dir']!;
const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as MatrixResults;
const runs: NonNullable<MatrixResults['rejudged']>['runs'] = [];
for (const r of results.runs) {
  const fault = FAULTS.find((f) => f.id === r.faultId);
  let verdict: Verdict | undefined;
  try {
    verdict = JSON.parse(await readFile(join(r.outDir, 'verdict.json'), 'utf8')) as Verdict;
  } catch {
    verdict = undefined;
  }
  if (!fault || !verdict) {
    runs.push({ repeat: r.repeat, faultId: r.faultId, matched: false, mismatches: [!fault ? 'fault no longer in the table' : 'no verdict.json (the run failed)'] });
    continue;
  }
  const m = matchVerdict(fault, verdict, MATRIX_GATES);
  runs.push({ repeat: r.repeat, faultId: r.faultId, matched: m.matched, mismatches: m.mismatches });
}
results.rejudged = { date: new Date().toISOString(), reason: values.reason, summaryLine: summaryLine(summarize(runs)), runs };
await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(dir, 'results.md'), renderMarkdown(results));
console.log(`recorded: ${results.summaryLine}\nrejudged: ${results.rejudged.summaryLine}`);
