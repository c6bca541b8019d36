// `gomeet-capacity search` end to end through the real CLI: every step a real run (pinned k6, the
// real reference services, PostgreSQL, Redis), judged by executeRun's thresholds and verdict.
//
//   injected limit   the signaling tier behind a TCP proxy that refuses every connection beyond
//                    N = 300 open at once → the search reports a knee within one step of N, broken
//                    by a signaling row, and the proxy proves the limit was hit
//   local stack      connections and api-rps on a local stack the search brings up itself (its own
//                    state dir and shifted ports, beside a developer's stack) → each finishes with a
//                    knee or "≥ max", and draws every gated row against load
//
// Steps hold their steady state 10 s (--steady-sec) so the file stays within ~6 minutes on 2 cores.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchReport } from '../../../scripts/search/report.ts';
import { runCli, type CliResult } from '../../helpers/cli.ts';
import { startConnectionCapProxy, type ConnectionCapProxy } from '../../helpers/connection-cap-proxy.ts';
import { PASSWORD_ENV, startReferenceTarget, type ReferenceTarget } from '../scenarios/reference-target.ts';

const OFFSET = Number(process.env.GOMEET_TEST_SEARCH_PORT_OFFSET ?? 3900);
/** The injected limit: concurrent signaling connections the proxy lets through. */
const LIMIT = 300;
const STEP = 100;

let work: string;

// SIGINT on timeout: a search cut short still writes what it measured.
const cli = (args: string[], env: NodeJS.ProcessEnv, timeoutMs = 280_000): Promise<CliResult> => runCli(args, { ...env, NO_COLOR: '1' }, timeoutMs, 'SIGINT');

async function searchOf(dir: string): Promise<SearchReport> {
  return JSON.parse(await readFile(join(dir, 'search.json'), 'utf8')) as SearchReport;
}

/** Every step is a real run: its own verdict.json, with the verdict the search recorded. */
async function expectEveryStepJudged(dir: string, report: SearchReport): Promise<void> {
  expect(report.steps.length).toBeGreaterThan(0);
  for (const s of report.steps) {
    const v = JSON.parse(await readFile(join(dir, s.outDir, 'verdict.json'), 'utf8')) as { verdict: string; runId: string; rows: { id: string; gated: boolean }[] };
    expect(v.verdict, `step ${s.index}`).toBe(s.verdict);
    expect(v.runId).toBe(s.runId);
    // Same rows; the verdict lists them in the table's order, the search in the dimension's.
    expect(v.rows.filter((r) => r.gated).map((r) => r.id).sort()).toEqual([...report.gates].sort());
    expect(existsSync(join(dir, s.outDir, 'report.html'))).toBe(true);
  }
}

/** search.html draws each gated row against load: one dot per load where it had a value. */
function curvePoints(html: string, rowId: string): number {
  const at = html.indexOf(`data-row="${rowId}"`);
  if (at < 0) return 0;
  const svg = html.slice(at, html.indexOf('</svg>', at));
  return (svg.match(/<circle /g) ?? []).length;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomeet-search-'));
  // The local stack's PostgreSQL runs as the postgres user, which must be able to enter the state dir.
  await chmod(work, 0o755);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a search against an injected limit at N', () => {
  let ref: ReferenceTarget;
  let proxy: ConnectionCapProxy;
  let targetFile: string;

  beforeAll(async () => {
    ref = await startReferenceTarget({ users: 50, signalingWorkers: 2 });
    proxy = await startConnectionCapProxy({ upstreamPorts: ref.target.signalingUrls.map((u) => Number(new URL(u).port)), limit: LIMIT });
    targetFile = join(work, 'capped-target.yaml');
    // Only names and loopback URLs: the password travels in the CLI's environment.
    await writeFile(
      targetFile,
      [
        'name: capped-signaling',
        'environment: local',
        `api: { baseUrl: ${ref.target.apiBaseUrl} }`,
        `signaling: { url: [${proxy.ports.map((p) => `ws://127.0.0.1:${p}/ws`).join(', ')}] }`,
        'livekit: { url: ws://127.0.0.1:1, apiKeyEnv: SEARCH_TEST_LK_KEY, apiSecretEnv: SEARCH_TEST_LK_SECRET }',
        'prometheus: { url: http://127.0.0.1:1 }',
        `auth: { users: ${ref.target.users}, passwordEnv: ${PASSWORD_ENV} }`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await ref?.stop();
  });

  it(`finds N = ${LIMIT} within one step (${STEP}), broken by a signaling row`, async () => {
    const out = join(work, 'capped');
    const started = Date.now();
    const res = await cli(
      ['search', '--dimension', 'connections', '--target', targetFile, '--start', '200', '--step', String(STEP), '--max', '500', '--step-up', 'linear',
        '--rows', 'ws_connections,ws_connect_success_pct', '--steady-sec', '10', '--max-runs', '9', '--out', out],
      { ...process.env, ...ref.k6Env },
    );
    const report = await searchOf(out);
    console.info(`injected limit ${LIMIT}: ${report.summary} (${report.steps.length} runs, ${((Date.now() - started) / 1000).toFixed(0)} s); proxy ${JSON.stringify(proxy.stats())}`);
    expect(res.code, res.stdout.slice(-3000) + res.stderr).toBe(0);
    expect(report.result.kind).toBe('knee');
    if (report.result.kind !== 'knee') return;
    expect(Math.abs(report.result.knee - LIMIT)).toBeLessThanOrEqual(STEP);
    expect(report.result.brokenAt).toBe(report.result.knee + STEP);
    expect(report.brokenBy.length).toBeGreaterThan(0);
    for (const row of report.brokenBy) expect(['ws_connections', 'ws_connect_success_pct']).toContain(row.id);
    // The limit was real: connections were refused, and never more than N were open at once.
    expect(proxy.stats().refused).toBeGreaterThan(0);
    expect(proxy.stats().peak).toBeLessThanOrEqual(LIMIT);
    await expectEveryStepJudged(out, report);
    const html = await readFile(join(out, 'search.html'), 'utf8');
    expect(curvePoints(html, 'ws_connect_success_pct')).toBeGreaterThanOrEqual(2);
    expect(html).toContain(`What broke at ${report.result.brokenAt} sessions`);
    expect(res.stdout).toContain(report.summary);
    // The secret stays in the environment: not in the files or the output.
    for (const file of ['search.json', 'search.md', 'search.html']) {
      expect(await readFile(join(out, file), 'utf8')).not.toContain(ref.secrets.password);
    }
    expect(res.stdout + res.stderr).not.toContain(ref.secrets.password);
  });
});

describe('searches on the local stack', () => {
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    env = { ...process.env, GOMEET_STACK_DIR: join(work, 'stack'), GOMEET_STACK_PORT_OFFSET: String(OFFSET) };
  });

  afterAll(async () => {
    if (env) await cli(['stack', 'down'], env, 60_000);
  });

  for (const [dimension, start, step, max] of [
    ['connections', 50, 50, 100],
    ['api-rps', 5, 5, 10],
  ] as const) {
    it(`${dimension}: finishes with a knee or "≥ max" and draws every gated row against load`, async () => {
      const out = join(work, dimension);
      const started = Date.now();
      // The first search brings the stack up; --keep-stack leaves it for the second (afterAll stops it).
      const res = await cli(['search', '--dimension', dimension, '--start', String(start), '--step', String(step), '--max', String(max), '--steady-sec', '10', '--keep-stack', '--out', out], env);
      expect(res.code, res.stdout.slice(-3000) + res.stderr).toBe(0);
      const report = await searchOf(out);
      console.info(`local stack, ${dimension}: ${report.summary} (${report.steps.length} runs, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
      expect(['knee', 'at-least-max']).toContain(report.result.kind);
      expect(report.target).toBe('local-reference');
      await expectEveryStepJudged(out, report);
      const html = await readFile(join(out, 'search.html'), 'utf8');
      for (const id of report.gates) {
        // One point per load where a judged run observed the row.
        const loads = new Set(report.steps.filter((s) => s.outcome !== 'inconclusive' && s.rows.some((r) => r.id === id && r.observed !== null)).map((s) => s.load));
        expect(loads.size, id).toBeGreaterThanOrEqual(1);
        expect(curvePoints(html, id), id).toBe(loads.size);
      }
      expect(await readFile(join(out, 'search.md'), 'utf8')).toContain(report.summary);
    });
  }
});
