/**
 * The verdict matrix's media half: every fault of media-faults.ts is a smoke room (real
 * livekit-server in a namespace with only `lo`, werift bots, Chromium probes — runSfuRoom, as `run`
 * runs it) whose probe subscribers get their video through an impaired path (media/impair: delay,
 * jitter without reordering, seeded loss); the room's media rows are judged as `run` judges them
 * (judgeMedia → buildVerdict over MEDIA_GATES) and matched with the expectation, `--repeat N` times.
 *
 *   npx tsx bench/verdict-matrix/run-media-matrix.ts --repeat 3 [--only id,id] [--results-dir DIR]
 *
 * Needs root (ip netns) and Chromium. Its own lab: namespace gomeet-vm-media, livekit ports shifted
 * by 14,000 inside it, no host bridge. Every room is bounded by its plan (plan.boundSec), every relay
 * by its lifetime; nothing leaves 127.0.0.1. Writes media-results.json + media-results.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROFILES } from '../../lib/profiles.ts';
import { startMediaLab } from '../../media/lab/lab.ts';
import { buildVerdict, type VerdictName } from '../../reports/verdict.ts';
import { planSfuRoom } from '../../scripts/run/media/room-plan.ts';
import { runSfuRoom } from '../../scripts/run/media/run-room.ts';
import { ensureK6 } from '../../scripts/tools/k6.ts';
import { LOCAL_DIR } from '../../scripts/tools/paths.ts';
import { PORTS } from '../../stack/ports.ts';
import { THRESHOLD_TABLE } from '../../thresholds/table.ts';
import { matchVerdict, type RowGot } from './match.ts';
import { checkMediaFaultTable, MEDIA_FAULTS, MEDIA_GATES, type MediaFault } from './media-faults.ts';
import { renderMediaMarkdown, type MediaFaultRun } from './media-results.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const NETNS = 'gomeet-vm-media';
const SHIFT = 14_000;
const API_KEY = 'vmmedia';
const API_SECRET = `vm-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '1' },
    only: { type: 'string' },
    'results-dir': { type: 'string', default: HERE },
  },
});
const repeats = Number(values.repeat);
if (!Number.isInteger(repeats) || repeats < 1 || repeats > 10) throw new Error(`--repeat must be 1..10, got ${values.repeat}`);
const only = values.only ? values.only.split(',') : undefined;
const faults = only ? MEDIA_FAULTS.filter((f) => only.includes(f.id)) : [...MEDIA_FAULTS];
if (only && faults.length !== only.length) throw new Error(`unknown fault in --only: ${only.filter((o) => !MEDIA_FAULTS.some((f) => f.id === o)).join(', ')}`);
const problems = checkMediaFaultTable(MEDIA_FAULTS);
if (problems.length) throw new Error(`media fault table: ${problems.join('; ')}`);
if (process.getuid?.() !== 0) throw new Error('the media matrix needs root (ip netns)');

const say = (line: string) => console.log(`[media-matrix ${new Date().toISOString().slice(11, 19)}] ${line}`);
const command = `npx tsx bench/verdict-matrix/run-media-matrix.ts ${process.argv.slice(2).join(' ')}`.trim();
const loadBefore = loadavg();
const startedIso = new Date().toISOString();
const resultsDir = values['results-dir']!;
const stateDir = join(LOCAL_DIR, 'verdict-matrix', 'media');
await mkdir(stateDir, { recursive: true });
const k6Path = await ensureK6();
const labDir = await mkdtemp(join(tmpdir(), 'gm-vmm-'));
const lab = await startMediaLab({
  netns: NETNS,
  dir: labDir,
  httpPort: PORTS.livekitHttp + SHIFT,
  udpPort: PORTS.livekitUdp + SHIFT,
  prometheusPort: PORTS.livekitPrometheus + SHIFT,
  hostHttpPort: 0,
  hostPrometheusPort: 0,
  apiKey: API_KEY,
  apiSecret: API_SECRET,
});
say(`lab up: livekit-server in ${NETNS} at ${lab.url}`);

const runs: MediaFaultRun[] = [];
let stopping = false;
const stopAll = async () => {
  if (stopping) return;
  stopping = true;
  await lab.stop();
  await rm(labDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const fault of faults) {
      runs.push(await runFault(fault, repeat));
      await writeResults();
    }
  }
} finally {
  await stopAll();
}
const matched = runs.filter((r) => r.matched).length;
say(`done: ${matched}/${runs.length} matched`);
process.exit(matched === runs.length ? 0 : 1);

async function runFault(fault: MediaFault, repeat: number): Promise<MediaFaultRun> {
  const runId = `vmm-${fault.id}-r${repeat}-${Date.now().toString(36)}`;
  const sfu = PROFILES.smoke.sfu;
  // The identities the room will give its probe subscribers (the same plan runSfuRoom makes).
  const subscribers = planSfuRoom({ runId, sfu, livekitUrl: lab.url }).probes.probes.filter((p) => p.role === 'subscriber').map((p) => p.identity);
  const outDir = join(stateDir, runId);
  const load1Before = loadavg()[0]!;
  const t0 = Date.now();
  say(`${fault.id} (repeat ${repeat}): ${fault.title}`);
  try {
    const r = await runSfuRoom({
      lab: { netns: NETNS, livekitUrl: lab.url },
      runId,
      sfu,
      rows: THRESHOLD_TABLE,
      credentials: { apiKey: API_KEY, apiSecret: API_SECRET },
      apiKeyEnv: 'GM_VMM_ROOM_KEY',
      apiSecretEnv: 'GM_VMM_ROOM_SECRET',
      outDir,
      k6Path,
      onLine: (l) => say(`  ${l}`),
      impaired: fault.path
        ? { sfuHttpPort: PORTS.livekitHttp + SHIFT, sfuUdpPort: PORTS.livekitUdp + SHIFT, paths: [{ ...fault.path, identities: subscribers }] }
        : undefined,
    });
    const verdict = buildVerdict({
      rows: THRESHOLD_TABLE,
      gates: MEDIA_GATES,
      observations: r.observations,
      facts: { aborted: false, generatorSaturated: r.saturated },
      meta: { profile: 'media-matrix', target: NETNS, runId, startedAt: r.startedAt.toISOString(), endedAt: r.endedAt.toISOString() },
    });
    const match = matchVerdict(fault, verdict, MEDIA_GATES);
    const joinP95 = verdict.rows.find((x) => x.id === 'sfu_join_p95_ms')?.observed ?? null;
    const subs = r.context.probes.filter((p) => p.role === 'subscriber');
    const run: MediaFaultRun = {
      repeat,
      faultId: fault.id,
      title: fault.title,
      path: r.impairedPaths[0]?.label ?? 'direct',
      expectedVerdict: fault.expected.verdict,
      gotVerdict: verdict.verdict,
      matched: match.matched,
      mismatches: match.mismatches,
      rows: match.rows,
      reasons: verdict.reasons,
      subscribers: subs.map((p) => ({ p50Ms: p.latency?.p50 ?? null, p95Ms: p.latency?.p95 ?? null, fps: p.fps ?? null, lossPct: p.lossPct ?? null, freezes: p.freezes })),
      joinP95Ms: joinP95,
      relay: r.impairedPaths[0]?.counts?.relay ?? null,
      loopback: r.loopback.statement,
      loopbackViolations: r.loopback.violations.length,
      saturated: r.saturated?.reason,
      outDir,
      wallSec: Math.round((Date.now() - t0) / 1000),
      load1Before,
      load1After: loadavg()[0]!,
    };
    say(`  ${fault.id}: ${verdict.verdict} — ${match.matched ? 'matched' : `MISMATCH (${match.mismatches.join('; ')})`} — ${rowsText(match.rows)} [${run.wallSec} s]`);
    return run;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    say(`  ${fault.id}: ERROR ${error}`);
    return {
      repeat, faultId: fault.id, title: fault.title, path: 'error', expectedVerdict: fault.expected.verdict, gotVerdict: 'ERROR', matched: false,
      mismatches: [error], rows: [], reasons: [], subscribers: [], joinP95Ms: null, relay: null, loopback: '', loopbackViolations: 0,
      outDir, wallSec: Math.round((Date.now() - t0) / 1000), load1Before, load1After: loadavg()[0]!, error,
    };
  }
}

function rowsText(rows: RowGot[]): string {
  return rows.map((x) => `${x.id}=${x.observed ?? '—'} ${x.status}`).join(', ');
}

async function writeResults(): Promise<void> {
  const byVerdict = (v: VerdictName | 'ERROR') => runs.filter((r) => r.gotVerdict === v).length;
  const results = {
    command,
    date: startedIso,
    machine: { cpus: cpus().length, loadBefore, loadAfter: loadavg() },
    gates: MEDIA_GATES,
    repeats,
    summary: { runs: runs.length, matched: runs.filter((r) => r.matched).length, errors: byVerdict('ERROR') },
    faults: faults.map((f) => ({ id: f.id, title: f.title, path: f.path ?? null, expected: f.expected, why: f.why })),
    runs,
  };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'media-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(resultsDir, 'media-results.md'), renderMediaMarkdown(results));
}
