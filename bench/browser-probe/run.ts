/**
 * Bench: what one browser probe costs — CPU and memory of each probe's Chromium (whole process tree),
 * for a publisher (canvas + VP8 simulcast encoder) and for subscribers (decode + per-frame clock read).
 *
 *   npx tsx bench/browser-probe/run.ts [--subscribers 2] [--duration-sec 40] [--out bench/browser-probe/results.json]
 *
 * Steps:
 *  1. a throwaway media lab: livekit-server in namespace gomeet-bench-probes (only `lo`)
 *  2. one publisher probe and N subscriber probes in one room, k6 browser in the namespace, browsers
 *     launched 1 s apart in probe order (so the sampler can tell them apart)
 *  3. while k6 runs, /proc sampled every second: per browser tree CPU (utime+stime) and PSS/RSS;
 *     "steady" CPU leaves out each browser's first 10 s (launch, page load, connect)
 *  4. per probe: CPU % of one core, PSS, RSS, processes, and what it measured (latency, fps, kbps);
 *     probes per core from CPU per frame at the intended fps (a starved browser runs slower and
 *     would look cheaper per second than it is)
 * Writes the results file (with the command line and the machine's load average, since other work
 * on a shared machine inflates every figure) and prints a table. Needs root (ip netns).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { startMediaLab } from '../../media/lab/lab.ts';
import { DEFAULT_VIDEO } from '../../media/probe/page-api.ts';
import type { ProbeSpec } from '../../media/probe/plan.ts';
import { runProbes } from '../../media/probe/run-probes.ts';
import { mintProbeTokens } from '../../media/probe/tokens.ts';
import { ensureK6 } from '../../scripts/tools/k6.ts';
import { PORTS } from '../../stack/ports.ts';

const NETNS = 'gomeet-bench-probes';

const o = new Command()
  .option('--subscribers <n>', 'subscriber probes beside the one publisher', '2')
  .option('--duration-sec <s>', 'seconds each probe stays in the room', '40')
  .option('--out <file>', 'results file', 'bench/browser-probe/results.json')
  .parse()
  .opts();

const subscribers = Number(o.subscribers);
const durationSec = Number(o.durationSec);
const apiKey = 'benchkey';
const apiSecret = `bench-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

const dir = await mkdtemp(join(tmpdir(), 'gm-bench-probe-'));
const lab = await startMediaLab({
  netns: NETNS,
  dir,
  httpPort: PORTS.livekitHttp,
  udpPort: PORTS.livekitUdp,
  prometheusPort: PORTS.livekitPrometheus,
  hostHttpPort: PORTS.livekitHttp + 12_000,
  hostPrometheusPort: PORTS.livekitPrometheus + 12_000,
  apiKey,
  apiSecret,
});
try {
  const probes: ProbeSpec[] = [
    { identity: 'pub-0', room: 'bench', role: 'publisher' },
    ...Array.from({ length: subscribers }, (_, i): ProbeSpec => ({ identity: `sub-${i}`, room: 'bench', role: 'subscriber' })),
  ];
  const loadBefore = loadavg();
  const r = await runProbes({
    netns: NETNS,
    k6Path: await ensureK6({ build: false }),
    outDir: join(dir, 'run'),
    measureResources: true,
    warmupSec: 10,
    tokens: await mintProbeTokens(probes, apiKey, apiSecret, 900),
    plan: { runId: 'bench-browser-probe', livekitUrl: lab.url, durationSec, connectTimeoutSec: 40, sampleIntervalSec: 1, publisherLingerSec: 3, launchStaggerSec: 1, video: DEFAULT_VIDEO, probes },
  });
  const loadAfter = loadavg();
  if (r.k6ExitCode !== 0) throw new Error(`k6 exited ${r.k6ExitCode}; see ${r.logPath}`);
  const browsers = r.browsers ?? [];
  if (browsers.length !== probes.length) throw new Error(`found ${browsers.length} browsers for ${probes.length} probes`);

  const rows = probes.map((p, i) => {
    const b = browsers[i]!;
    const m = r.results.find((x) => x.identity === p.identity);
    const round = (x: number | undefined, d = 1) => (x === undefined ? null : Number(x.toFixed(d)));
    return {
      probe: p.identity,
      role: p.role,
      cpuPctOfCoreSteady: round(b.cpuPctSteady),
      cpuPctOfCoreMean: round(b.cpuPctMean),
      pssMbMean: round(b.pssMbMean, 0),
      pssMbMax: round(b.pssMbMax, 0),
      rssMbMax: round(b.rssMbMax, 0),
      processes: b.processesMax,
      // On a starved machine a browser gets less CPU than it wants and runs below its frame rate, so
      // % of a core understates its cost; CPU per frame, scaled to the intended fps, does not.
      cpuMsPerFrame: b.cpuPctSteady && m?.fps ? round((b.cpuPctSteady * 10) / m.fps, 2) : null,
      cpuPctAtFullFps: b.cpuPctSteady && m?.fps ? round((b.cpuPctSteady * DEFAULT_VIDEO.fps) / m.fps) : null,
      probesPerCore: b.cpuPctSteady && m?.fps ? round((100 * m.fps) / (b.cpuPctSteady * DEFAULT_VIDEO.fps)) : null,
      probesPerGiB: round(1024 / b.pssMbMax),
      fps: round(m?.fps),
      kbps: round(m?.role === 'publisher' ? m?.outboundKbps : m?.inboundKbps, 0),
      frameHeightP50: round(m?.frameHeight?.p50, 0),
      latencyP50Ms: round(m?.latency?.p50, 0),
      latencyP95Ms: round(m?.latency?.p95, 0),
      ok: m?.ok ?? false,
    };
  });
  const results = {
    command: `npx tsx bench/browser-probe/run.ts --subscribers ${subscribers} --duration-sec ${durationSec}`,
    measuredAt: new Date().toISOString(),
    machine: { cores: cpus().length, memGiB: Number((totalmem() / 2 ** 30).toFixed(1)), loadavg1Before: loadBefore[0], loadavg1After: loadAfter[0] },
    video: DEFAULT_VIDEO,
    chromium: 'Debian chromium (/usr/lib/chromium/chromium), headless, one browser per probe (k6 browser: one per VU)',
    k6CpuPctOfCore: r.k6CpuPctMean === undefined ? null : Number(r.k6CpuPctMean.toFixed(1)),
    probes: rows,
  };
  await writeFile(o.out, `${JSON.stringify(results, null, 2)}\n`);
  console.table(rows);
  console.log(`k6 itself: ${results.k6CpuPctOfCore}% of a core; load average ${loadBefore[0]?.toFixed(1)} → ${loadAfter[0]?.toFixed(1)} on ${cpus().length} cores`);
  console.log(`written ${o.out}`);
} finally {
  await lab.stop();
  await rm(dir, { recursive: true, force: true });
}
