import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../../reports/observation.ts';
import { renderHtml } from '../../../reports/render-html.ts';
import { renderJunit } from '../../../reports/render-junit.ts';
import { renderMarkdown } from '../../../reports/render-markdown.ts';
import { renderTerminal } from '../../../reports/render-terminal.ts';
import { buildVerdict, type RunFacts, type Verdict } from '../../../reports/verdict.ts';
import { writeReports } from '../../../reports/write.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';

const GATES: RowId[] = ['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct', 'cpu_pct'];
const ROWS = effectiveRows(THRESHOLD_TABLE, { gates: GATES, plannedConnections: 500 });
/** Text that breaks naive markup: XML/HTML specials, a table pipe, a newline, a control char, a URL. */
const HOSTILE = `<script>alert("x")</script> & 'q' | col\nnext \u0007 http://evil.example/x.png`;

function verdict(values: Partial<Record<RowId, Observation>>, facts: RunFacts = { aborted: false }): Verdict {
  return buildVerdict({
    rows: ROWS,
    gates: GATES,
    observations: new Map(Object.entries(values) as [RowId, Observation][]),
    facts,
    meta: { profile: 'smoke', target: 'local <ref> & co', runId: 'run-42', startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:02:30.000Z' },
  });
}

/** One of each status: pass, warn, fail, not measured (gated, no data) and ungated rows. */
const MIXED = verdict({
  ws_connections: { observed: 500 },
  ws_connect_success_pct: { observed: 99.5, note: HOSTILE },
  api_p95_ms: { observed: 703.84, where: 'meeting <svc>' },
  api_error_rate_pct: { observed: null, note: 'http_req_failed{scenario:api} has no samples' },
});
const GO = verdict({
  ws_connections: { observed: 500 },
  ws_connect_success_pct: { observed: 100 },
  api_p95_ms: { observed: 12 },
  api_error_rate_pct: { observed: 0 },
  cpu_pct: { observed: 41, where: 'livekit-server' },
});

describe('renderJunit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });

  it('is well-formed XML, even with hostile text in notes', () => {
    expect(XMLValidator.validate(renderJunit(MIXED))).toBe(true);
    expect(XMLValidator.validate(renderJunit(GO))).toBe(true);
  });

  it('has one testcase per row plus the verdict, with counts that match', () => {
    const doc = parser.parse(renderJunit(MIXED));
    const suite = doc.testsuites.testsuite;
    const cases: any[] = suite.testcase;
    expect(cases.map((c) => c.name)).toEqual([...THRESHOLD_TABLE.map((r) => `${r.id}: ${r.title}`), 'verdict']);
    expect(new Set(cases.map((c) => c.classname))).toEqual(new Set(['gomeet-capacity.smoke']));
    const byId = (id: string) => cases.find((c) => c.name.startsWith(`${id}:`));
    expect(byId('api_p95_ms').failure.message).toBe('703.8 ms crosses the critical > 500 ms');
    expect(byId('ws_connect_success_pct')['system-out']).toMatch(/^WARN: misses the target ≥ 99.9 %/);
    expect(byId('ws_connect_success_pct')['system-out']).toContain('<script>'); // escaped in the file, text again once parsed
    expect(byId('ws_connections').failure).toBeUndefined();
    expect(byId('ws_connections').skipped).toBeUndefined();
    expect(byId('api_error_rate_pct').skipped.message).toMatch(/no samples/);
    expect(byId('video_latency_ms').skipped).toBeDefined();
    const verdictCase = cases.at(-1);
    expect(verdictCase.failure.type).toBe('NO_GO');
    // Failures: the api_p95_ms row and the verdict. Skipped: gated rows without data and every ungated row.
    const skipped = MIXED.rows.filter((r) => r.status === 'not_measured').length;
    expect(suite).toMatchObject({ tests: String(THRESHOLD_TABLE.length + 1), failures: '2', errors: '0', skipped: String(skipped), time: '150' });
  });

  it('shows an INCONCLUSIVE run as an error and a GO run as all green', () => {
    const inconclusive = parser.parse(renderJunit(verdict({ ...Object.fromEntries(GO.rows.map((r) => [r.id, { observed: r.observed }])), api_p95_ms: { observed: null } })));
    expect(inconclusive.testsuites.testsuite.testcase.at(-1).error.type).toBe('INCONCLUSIVE');
    const go = parser.parse(renderJunit(GO)).testsuites.testsuite;
    expect(go).toMatchObject({ failures: '0', errors: '0' });
  });

  it('drops characters XML cannot carry', () => {
    expect(renderJunit(MIXED)).not.toContain('\u0007');
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(MIXED);
  const tableLines = md.split('\n').filter((l) => l.startsWith('| '));

  it('says the verdict and every reason first', () => {
    expect(md.split('\n')[0]).toBe('## GoMeet capacity: ❌ NO_GO');
    expect(md).toContain('- API response time (p95): 703.8 ms crosses the critical &gt; 500 ms');
    expect(MIXED.reasons.length).toBeGreaterThan(1);
  });

  it('has one table line per row (every row, measured or not) and no broken rows', () => {
    // Header + one per row; the separator starts with '| ---'.
    expect(tableLines.filter((l) => !l.startsWith('| ---'))).toHaveLength(THRESHOLD_TABLE.length + 1);
    for (const r of THRESHOLD_TABLE) expect(tableLines.some((l) => l.startsWith(`| ${r.title} |`))).toBe(true);
    // Every line has exactly the 6 columns: escaped pipes do not split a cell.
    for (const l of tableLines) expect(l.split(/(?<!\\)\|/).length - 2).toBe(6);
    expect(md).not.toContain('<script>');
  });

  it('stays short enough for a pull-request comment', () => {
    expect(md.length).toBeLessThan(4000);
  });
});

describe('renderHtml', () => {
  const html = renderHtml(MIXED);

  it('is one self-contained file: nothing fetched, nothing executed', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('<style>');
  });

  it('shows the verdict, the reasons, the run facts and every row', () => {
    expect(html).toContain('<span class="verdict v-NO_GO">NO_GO</span>');
    for (const r of MIXED.reasons) expect(html).toContain(r.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html).toContain('run-42');
    expect(html).toContain('local &lt;ref&gt; &amp; co');
    for (const r of THRESHOLD_TABLE) expect(html).toContain(`<td>${r.title}</td>`);
    expect(html).toContain('<td class="s-fail">fail</td>');
  });

  it('escapes hostile notes and says when there are no series to chart', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('id="timelines"');
  });
});

describe('renderTerminal', () => {
  it('aligns the columns, ends with the verdict line, and is plain without colour', () => {
    const out = renderTerminal(MIXED, { color: false });
    const lines = out.split('\n');
    expect(lines.at(-1)).toBe('verdict: NO_GO');
    expect(out).not.toMatch(/\u001b\[/);
    const header = lines.find((l) => l.startsWith('row '))!;
    const tableRows = lines.filter((l) => THRESHOLD_TABLE.some((r) => l.startsWith(r.title)));
    expect(tableRows).toHaveLength(THRESHOLD_TABLE.length);
    const col = (name: string) => header.indexOf(name);
    for (const l of tableRows) {
      // Every cell of a column starts where its header does.
      for (const name of ['observed', 'target', 'critical', 'status']) {
        expect(l[col(name) - 1]).toBe(' ');
        expect(l[col(name)]).not.toBe(' ');
      }
    }
    expect(tableRows.find((l) => l.startsWith('API response time'))).toMatch(/703\.8 ms\s+< 200 ms\s+> 500 ms\s+fail$/);
  });

  it('colours statuses and the verdict only when asked', () => {
    const out = renderTerminal(MIXED, { color: true });
    expect(out).toContain('\u001b[31mfail\u001b[39m');
    expect(out.split('\n').at(-1)).toMatch(/\u001b\[1m.*verdict: NO_GO/);
  });
});

describe('writeReports', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes verdict.json, report.md, junit.xml and report.html into a new directory', async () => {
    const base = await mkdtemp(join(tmpdir(), 'gomeet-reports-'));
    dirs.push(base);
    const out = join(base, 'runs', 'run-42');
    const paths = await writeReports(out, MIXED);
    expect(paths.map((p) => p.slice(out.length + 1))).toEqual(['verdict.json', 'report.md', 'junit.xml', 'report.html']);
    expect(JSON.parse(await readFile(paths[0]!, 'utf8'))).toEqual(MIXED);
    expect(await readFile(paths[1]!, 'utf8')).toBe(renderMarkdown(MIXED));
    expect(XMLValidator.validate(await readFile(paths[2]!, 'utf8'))).toBe(true);
    expect(await readFile(paths[3]!, 'utf8')).toBe(renderHtml(MIXED));
  });
});
