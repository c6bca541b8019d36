/**
 * search.json, search.md and search.html from a search over a modelled system: each step's verdict
 * is built by the real verdict code (reports/verdict.ts) from the step profile's effective rows and
 * observations of a model (API p95 grows with the sessions held; sessions all held), so the report
 * is checked against what the model says, not against figures typed here.
 */
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import { renderSearchHtml } from '../../../reports/render-html-search.ts';
import { buildVerdict } from '../../../reports/verdict.ts';
import { exitCodeOf } from '../../../scripts/search/exit-code.ts';
import { DIMENSIONS } from '../../../scripts/search/dimensions.ts';
import { searchLoop } from '../../../scripts/search/loop.ts';
import { gridOf, type SearchPlan } from '../../../scripts/search/plan.ts';
import { renderSearchMarkdown } from '../../../scripts/search/render-markdown.ts';
import { buildSearchReport } from '../../../scripts/search/report.ts';
import { detailOf, outcomeOf } from '../../../scripts/search/step-record.ts';
import { effectiveRows } from '../../../thresholds/effective.ts';
import { THRESHOLD_TABLE, type RowId } from '../../../thresholds/table.ts';
import type { Observation } from '../../../reports/observation.ts';

const dimension = DIMENSIONS.connections;
const PLAN: SearchPlan = { start: 500, step: 500, max: 4000, stepUp: 'linear', maxRuns: 12, budgetSec: 3600 };

/** The model: API p95 = 40 ms + 0.07 ms per session (so 2,000 → 180 ms pass, 2,500 → 215 ms warn); everything else healthy. */
const apiP95 = (sessions: number) => 40 + 0.07 * sessions;

async function modelledSearch(model: (load: number) => Partial<Record<RowId, number | null>>) {
  let clock = 0;
  const { result, steps } = await searchLoop(
    PLAN,
    async (load, _why, index) => {
      clock += 61_000;
      const profile = dimension.apply(PROFILES.smoke, load);
      const rows = effectiveRows(THRESHOLD_TABLE, { gates: profile.gates, plannedConnections: profile.websocket.connections });
      const values = { ws_connections: load, ws_connect_success_pct: 100, api_p95_ms: apiP95(load), api_error_rate_pct: 0, ...model(load) };
      const observations = new Map<RowId, Observation>(Object.entries(values).map(([id, v]) => [id as RowId, { observed: v ?? null }]));
      const verdict = buildVerdict({
        rows,
        gates: profile.gates,
        observations,
        facts: { aborted: false },
        meta: { profile: 'smoke', target: 'model', runId: `s-${index}`, startedAt: new Date(clock).toISOString(), endedAt: new Date(clock).toISOString() },
      });
      return { outcome: outcomeOf(verdict), detail: detailOf(verdict, `steps/${String(index).padStart(2, '0')}-${load}`) };
    },
    { now: () => clock },
  );
  return buildSearchReport({
    dimension: dimension.name,
    unit: dimension.unit,
    knob: dimension.knob,
    baseProfile: 'smoke',
    target: 'model',
    plan: PLAN,
    grid: gridOf(PLAN),
    gates: dimension.gates,
    startedAt: new Date(0),
    endedAt: new Date(clock),
    result,
    steps,
  });
}

describe('search report', () => {
  it('names the knee and the row that broke it, with its value in each run that missed', async () => {
    const report = await modelledSearch(() => ({}));
    expect(report.result).toEqual({ kind: 'knee', knee: 2000, brokenAt: 2500 });
    expect(exitCodeOf(report.result)).toBe(0);
    expect(report.brokenAtLoad).toBe(2500);
    expect(report.brokenBy.map((r) => r.id)).toEqual(['api_p95_ms']);
    expect(report.brokenBy[0]!.observed).toEqual([apiP95(2500), apiP95(2500)]);
    expect(report.brokenBy[0]!.status).toBe('warn');
    expect(report.summary).toBe('knee: 2,000 sessions held every gated row; 2,500 sessions broke API response time (p95) 215 ms, 215 ms (target < 200 ms)');
    // Every run is in the JSON with its rows, the connections row's target scaled to that run's load.
    expect(report.steps.map((s) => s.load)).toEqual([500, 1000, 1500, 2000, 2500, 2500, 2000]);
    for (const s of report.steps) expect(s.rows.find((r) => r.id === 'ws_connections')!.target).toBe(s.load);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('says "below start" with the rows that failed at the start, and exits 1', async () => {
    const report = await modelledSearch(() => ({ ws_connect_success_pct: 97 }));
    expect(report.result).toEqual({ kind: 'below-start', start: 500 });
    expect(exitCodeOf(report.result)).toBe(1);
    expect(report.brokenBy).toMatchObject([{ id: 'ws_connect_success_pct', status: 'fail', observed: [97, 97] }]);
    expect(report.summary).toMatch(/^below start: the first load, 500 sessions, already broke WebSocket connect success 97 %, 97 % \(target ≥ 99\.9 %, critical < 99 %\)/);
  });

  it('never treats missing data as a pass: a row without data makes the search inconclusive (exit 3)', async () => {
    const report = await modelledSearch((load) => (load >= 1500 ? { api_p95_ms: null } : {}));
    expect(report.result).toMatchObject({ kind: 'inconclusive', holdsAtLeast: 1000 });
    expect(exitCodeOf(report.result)).toBe(3);
    expect(report.steps.filter((s) => s.load === 1500).map((s) => s.verdict)).toEqual(['INCONCLUSIVE', 'INCONCLUSIVE']);
    expect(report.summary).toMatch(/^inconclusive: 1500 was INCONCLUSIVE 2 times.*held at 1,000 sessions/);
  });

  it('search.md: the answer, then one line per run with each gated row and its status', async () => {
    const report = await modelledSearch(() => ({}));
    const md = renderSearchMarkdown(report);
    expect(md).toContain(`**${report.summary}**`);
    const lines = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(lines).toHaveLength(report.steps.length);
    expect(lines[4]).toMatch(/^\| 5 \| 2,500 \| step up: every run so far held \| WARN \| 2,500 ✓ \| 215 ms warn \| 100 % ✓ \| 0 % ✓ \| steps\/05-2500 \|$/);
    expect(md).toContain('WebSocket connections scales with the load (≥ 500 … ≥ 2,500)');
    expect(md).toContain('API response time (p95) < 200 ms');
  });

  it('search.html: one curve per gated row against load, target and critical drawn, knee marked, every run linked', async () => {
    const report = await modelledSearch(() => ({}));
    const html = renderSearchHtml(report);
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
    const figures = html.match(/<figure class="row-curve" data-row="([a-z_0-9]+)"/g) ?? [];
    expect(figures).toHaveLength(4);
    // The p95 curve has one point per load measured (re-measures averaged), from 500 to 2,500.
    const p95 = html.slice(html.indexOf('data-row="api_p95_ms"'));
    const svg = p95.slice(0, p95.indexOf('</svg>'));
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain('class="rule target"');
    expect(svg).toContain('class="rule critical"');
    expect(svg).toMatch(/<line class="marker target"[^>]*><title>knee: 2,000 sessions held<\/title>/);
    expect(svg).toMatch(/<line class="marker critical"[^>]*><title>2,500 sessions broke<\/title>/);
    // The held-sessions target scales with the load: drawn through each load's own target, not flat.
    const held = html.slice(html.indexOf('data-row="ws_connections"'));
    expect(held.slice(0, held.indexOf('</svg>'))).toMatch(/<path class="rule target" d="M[^"]+L/);
    for (const s of report.steps) expect(html).toContain(`href="${s.outDir}/report.html"`);
    expect(html).toContain('What broke at 2,500 sessions');
  });
});
