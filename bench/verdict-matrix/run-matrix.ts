/**
 * The verdict matrix: every fault of faults.ts through executeRun (real k6, the real local stack,
 * real judgement), `--repeat N` times in a row; writes results.json + results.md beside this file.
 *
 *   npx tsx bench/verdict-matrix/run-matrix.ts --repeat 3 [--only id,id] [--results-dir DIR]
 *
 * Its own stack: GOMEET_STACK_DIR=.local/verdict-matrix/stack, GOMEET_STACK_PORT_OFFSET=10100
 * (forced here), brought up if needed and stopped at the end unless --keep-stack. Run outputs in
 * .local/verdict-matrix/runs/. All traffic stays on 127.0.0.1; every loop is bounded by the profile.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunSeries } from '../../reports/series.ts';
import { executeRun } from '../../scripts/run/execute.ts';
import { LOCAL_DIR } from '../../scripts/tools/paths.ts';
import { freePort } from '../../test/helpers/free-port.ts';
import { THRESHOLD_TABLE } from '../../thresholds/table.ts';
import { effectiveRows } from '../../thresholds/effective.ts';
import { FAULTS, MATRIX_GATES, checkFaultTable, type Fault } from './faults.ts';
import { detectionTime, matchVerdict, summarize } from './match.ts';
import { matrixProfile } from './profile.ts';
import { renderMarkdown, summaryLine, type FaultRun, type MatrixResults } from './results.ts';
import { ensureToxiproxy, startToxiproxy } from './toxiproxy.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const STATE = join(LOCAL_DIR, 'verdict-matrix');
process.env.GOMEET_STACK_DIR = join(STATE, 'stack');
process.env.GOMEET_STACK_PORT_OFFSET = '10100';

// Imported after the environment is set (the stack modules read it when called, but be explicit).
const { stackContext } = await import('../../scripts/stack/context.ts');
const { stackUp } = await import('../../scripts/stack/up.ts');
const { stackDown } = await import('../../scripts/stack/down.ts');
const { localTarget, targetSecretsEnv } = await import('../../scripts/stack/target-file.ts');

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '1' },
    only: { type: 'string' },
    'results-dir': { type: 'string', default: HERE },
    'keep-stack': { type: 'boolean', default: false },
    /** Before each run, wait (at most --max-wait-sec) until the 1-min load average is below this. */
    'max-load': { type: 'string' },
    'max-wait-sec': { type: 'string', default: '90' },
  },
});
const repeats = Number(values.repeat);
if (!Number.isInteger(repeats) || repeats < 1 || repeats > 10) throw new Error(`--repeat must be 1..10, got ${values.repeat}`);
const only = values.only ? values.only.split(',') : undefined;
const faults = only ? FAULTS.filter((f) => only.includes(f.id)) : [...FAULTS];
if (only && faults.length !== only.length) throw new Error(`unknown fault in --only: ${only.filter((o) => !FAULTS.some((f) => f.id === o)).join(', ')}`);
const problems = checkFaultTable(FAULTS);
if (problems.length) throw new Error(`fault table: ${problems.join('; ')}`);

const say = (line: string) => console.log(`[matrix ${new Date().toISOString().slice(11, 19)}] ${line}`);
const command = `npx tsx bench/verdict-matrix/run-matrix.ts ${process.argv.slice(2).join(' ')}`.trim();
const loadBefore = loadavg();
const startedIso = new Date().toISOString();

await mkdir(STATE, { recursive: true });
const toxBin = await ensureToxiproxy(say);
const ctx = await stackContext({ onProgress: (l) => say(`stack: ${l.trim()}`) });
say('bringing up (or reusing) the matrix stack at port offset 10100');
await stackUp(ctx);
Object.assign(process.env, targetSecretsEnv(ctx));
const base = localTarget(ctx);
const toxi = await startToxiproxy(toxBin, await freePort(), join(STATE, 'toxiproxy.log'));
const profile = matrixProfile();
const rowsById = new Map(effectiveRows(THRESHOLD_TABLE, { gates: profile.gates, plannedConnections: profile.websocket.connections }).map((r) => [r.id, r]));

const runs: FaultRun[] = [];
const resultsDir = values['results-dir']!;
const stamp = startedIso.replace(/[-:]/g, '').slice(0, 15);

async function writeResults(final: boolean): Promise<void> {
  const summary = summarize(runs);
  const results: MatrixResults = {
    command,
    date: startedIso,
    machine: { cpus: cpus().length, loadBefore, loadAfter: loadavg() },
    injection:
      'toxiproxy v2.5.0 (built from the Go module proxy) in front of the API and each signaling listener (latency, reset_peer); ' +
      'an HTTP proxy for 503s (toxiproxy is TCP-only); the connection-cap proxy (test/helpers) for refusal beyond N; ' +
      'stack components stopped / restarted through the stack manager',
    profile: `${profile.description}: API ${profile.api.ratePerSec} req/s (ramp ${profile.api.rampSec} s, steady ${profile.api.steadySec} s), ${profile.websocket.connections} signaling sessions (ramp ${profile.websocket.rampSec} s, hold ${profile.websocket.holdSec} s); gates ${MATRIX_GATES.join(', ')}`,
    repeats,
    runs,
    summary,
    summaryLine: summaryLine(summary) + (final ? '' : ' (partial: still running)'),
  };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(resultsDir, 'results.md'), renderMarkdown(results));
}

const maxLoad = values['max-load'] ? Number(values['max-load']) : undefined;
const maxWaitSec = Number(values['max-wait-sec']);

/** Waits until the 1-min load average is below --max-load (at most --max-wait-sec); seconds waited. */
async function waitForQuiet(): Promise<number> {
  if (maxLoad === undefined) return 0;
  const t0 = Date.now();
  while (loadavg()[0]! >= maxLoad && Date.now() - t0 < maxWaitSec * 1000) await new Promise((r) => setTimeout(r, 5000));
  const waited = Math.round((Date.now() - t0) / 1000);
  if (waited > 0) say(`  waited ${waited} s for the 1-min load average (${loadavg()[0]!.toFixed(1)}) to drop below ${maxLoad}`);
  return waited;
}

async function runFault(fault: Fault, repeat: number): Promise<FaultRun> {
  const waitedSec = await waitForQuiet();
  const load1Before = loadavg()[0]!;
  const runId = `vm-${stamp}-r${repeat}-${fault.id}`;
  const outDir = join(STATE, 'runs', runId);
  const t0 = Date.now();
  const { prepareFault } = await import('./inject.ts');
  const prepared = await prepareFault(fault, base, toxi, ctx);
  let faultAtMs: number | null = null;
  let abortSeenAtMs: number | null = null;
  let injecting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onLoadStart = () => {
    if (timer || injecting) return;
    timer = setTimeout(() => {
      faultAtMs = Date.now();
      say(`  ${fault.id}: injecting at +${fault.atSec} s`);
      injecting = prepared.inject().catch((err) => say(`  ${fault.id}: injection failed: ${(err as Error).message}`));
    }, fault.atSec * 1000);
  };
  const log = (phase: string, message: string) => {
    if (phase === 'load' && message.startsWith('k6 ')) onLoadStart();
    if (phase === 'watcher' && message.includes('critical row crossed') && abortSeenAtMs === null) {
      abortSeenAtMs = Date.now();
      say(`  ${fault.id}: watcher: ${message}`);
    }
  };
  try {
    const { verdict } = await executeRun({ profile, target: prepared.target, outDir, runId, log });
    if (timer) clearTimeout(timer);
    await injecting;
    if (!verdict) throw new Error('nothing judged');
    const m = matchVerdict(fault, verdict, MATRIX_GATES);
    const series = await readFile(join(outDir, 'series.json'), 'utf8')
      .then((t) => JSON.parse(t) as RunSeries)
      .catch(() => undefined);
    const loadStartMs = series?.window.startMs ?? Date.parse(verdict.startedAt);
    const loadEndMs = series?.window.endMs ?? Date.parse(verdict.endedAt);
    const healthy = fault.injection.kind === 'none';
    const detection = healthy
      ? { sec: null, how: 'no fault injected' }
      : faultAtMs === null
        ? { sec: null, how: 'the fault was never injected (load ended first)' }
        : detectionTime({
            faultAtMs,
            abortSeenAtMs,
            bucketSec: series?.bucketSec ?? 5,
            loadEndMs,
            rows: m.rows.map((r) => {
              const row = rowsById.get(r.id)!;
              return { id: r.id, direction: row.direction, target: row.target, critical: row.critical, status: r.status, points: series?.rows.find((s) => s.rowId === r.id)?.points ?? [] };
            }),
          });
    return {
      repeat,
      faultId: fault.id,
      title: fault.title,
      expectedVerdict: fault.expected.verdict,
      gotVerdict: verdict.verdict,
      aborted: verdict.aborted,
      matched: m.matched && (healthy || faultAtMs !== null),
      mismatches: healthy || faultAtMs !== null ? m.mismatches : [...m.mismatches, 'fault never injected'],
      rows: m.rows,
      faultAtMs: healthy ? null : faultAtMs,
      loadStartMs,
      loadEndMs,
      detection,
      notes: prepared.notes(),
      outDir,
      wallSec: Math.round((Date.now() - t0) / 1000),
      load1Before,
      load1After: loadavg()[0]!,
      waitedSec,
    };
  } catch (err) {
    return {
      repeat,
      faultId: fault.id,
      title: fault.title,
      expectedVerdict: fault.expected.verdict,
      gotVerdict: 'ERROR',
      aborted: false,
      matched: false,
      mismatches: [`run failed: ${(err as Error).message}`],
      rows: [],
      faultAtMs,
      loadStartMs: null,
      loadEndMs: null,
      detection: { sec: null, how: 'run failed' },
      notes: prepared.notes(),
      outDir,
      wallSec: Math.round((Date.now() - t0) / 1000),
      load1Before,
      load1After: loadavg()[0]!,
      waitedSec,
      error: (err as Error).message,
    };
  } finally {
    if (timer) clearTimeout(timer);
    await injecting;
    await prepared.restore().catch((err) => say(`  ${fault.id}: restore failed: ${(err as Error).message}`));
  }
}

try {
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const fault of faults) {
      say(`repeat ${repeat}/${repeats}: ${fault.id} — ${fault.title} (expect ${fault.expected.verdict})`);
      const r = await runFault(fault, repeat);
      runs.push(r);
      const det = r.detection.sec === null ? '' : `, detected in ${r.detection.sec} s (${r.detection.how})`;
      say(`  ${fault.id}: ${r.gotVerdict}${r.aborted ? ' (aborted)' : ''} — ${r.matched ? 'matched' : `MISMATCH: ${r.mismatches.join('; ')}`}${det} [${r.wallSec} s, load ${r.load1Before.toFixed(1)} → ${r.load1After.toFixed(1)}]`);
      say(`    ${r.rows.map((x) => `${x.id}=${x.observed == null ? '—' : Math.round(x.observed * 100) / 100} ${x.status}`).join(', ')}`);
      await writeResults(false);
    }
  }
  await writeResults(true);
  say(summaryLine(summarize(runs)));
} finally {
  await toxi.stop();
  if (!values['keep-stack']) {
    say('stopping the matrix stack');
    await stackDown(await stackContext({ onProgress: () => {} }));
  }
}
