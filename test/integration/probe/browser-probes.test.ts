/**
 * Browser probes for real: the pinned livekit-server in its own network namespace (only `lo`), and
 * k6 browser driving Debian's Chromium in there — a publisher that draws its clock into a canvas and
 * publishes it with simulcast, subscribers that read the clock back from every frame.
 *
 *  1. one publisher + one subscriber, 20 s: latency samples exist and are plausible, every selected
 *     candidate pair is 127.0.0.1 ↔ 127.0.0.1, getStats figures are there;
 *  2. the same plus a second subscriber whose media goes through a UDP relay adding 200 ms (a
 *     signaling proxy points its SFU candidate at the relay): its latency is ~200 ms above the
 *     direct subscriber's, measured side by side in the same room at the same time;
 *  3. faults: a wrong token and an unreachable SFU are counted failures with their reason, k6 fails
 *     the run (exit 99), and nothing hangs.
 *
 * Cleans up: no process left in the namespace, the namespace deleted. Needs root (ip netns).
 * Host-side bridge ports are the stack's + 11000, so neither a running local stack nor the bot
 * test's lab (+10000) is touched.
 */
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaLab, type MediaLab } from '../../../media/lab/lab.ts';
import { startImpairedPath, type ImpairedPathCounts } from '../../../media/impair/start-impaired-path.ts';
import { CHROMIUM_BINARY } from '../../../media/probe/chromium.ts';
import { DEFAULT_VIDEO } from '../../../media/probe/page-api.ts';
import type { ProbeSpec } from '../../../media/probe/plan.ts';
import type { ProbeResult } from '../../../media/probe/probe-results.ts';
import { runProbes, type ProbeRunResult } from '../../../media/probe/run-probes.ts';
import { mintProbeTokens } from '../../../media/probe/tokens.ts';
import { listNetns } from '../../../scripts/clients/netns.ts';
import { PROJECT_ROOT } from '../../../scripts/tools/paths.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { PORTS } from '../../../stack/ports.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const NETNS = 'gomeet-test-probes';
const DELAY_MS = 200;
const API_KEY = 'probekey';
// Test-only secret, made per run, passed only through the environment.
const API_SECRET = `probe-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

function byId(r: ProbeRunResult, identity: string): ProbeResult {
  const found = r.results.find((p) => p.identity === identity);
  if (!found) throw new Error(`no results for ${identity}; k6 log: ${r.logPath}`);
  return found;
}

/** Commands of the processes in the namespace other than the lab's own (livekit-server, socat). */
async function leftoversIn(netns: string): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'pids', netns]);
  const comms = await Promise.all(
    stdout.split('\n').filter(Boolean).map((pid) => readFile(`/proc/${pid}/comm`, 'utf8').then((c) => c.trim(), () => '')),
  );
  return comms.filter((c) => c !== '' && c !== 'livekit-server' && c !== 'socat');
}

describe.skipIf(!isRoot || !existsSync(CHROMIUM_BINARY))('browser probes in a real LiveKit room, inside the media namespace', () => {
  let dir = '';
  // k6 log, samples and summary of each run stay here after the test (gitignored) for diagnosis.
  const artifacts = join(PROJECT_ROOT, 'test-artifacts', 'probe');
  let lab: MediaLab;
  let k6Path = '';

  // Generous: on this shared 2-core machine three Chromiums took up to 30 s to join a room.
  const plan = (probes: ProbeSpec[], durationSec: number, connectTimeoutSec = 60) => ({
    runId: `it-${Date.now().toString(36)}`,
    livekitUrl: lab.url,
    durationSec,
    connectTimeoutSec,
    sampleIntervalSec: 1,
    publisherLingerSec: 3,
    launchStaggerSec: 1,
    video: DEFAULT_VIDEO,
    probes,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-probes-'));
    k6Path = await ensureK6({ build: false });
    lab = await startMediaLab({
      netns: NETNS,
      dir,
      httpPort: PORTS.livekitHttp,
      udpPort: PORTS.livekitUdp,
      prometheusPort: PORTS.livekitPrometheus,
      hostHttpPort: PORTS.livekitHttp + 11_000,
      hostPrometheusPort: PORTS.livekitPrometheus + 11_000,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    });
  });

  afterAll(async () => {
    await lab?.stop();
    expect(await listNetns()).not.toContain(NETNS);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures end-to-end latency per frame on a 127.0.0.1-only path', async () => {
    const probes: ProbeSpec[] = [
      { identity: 'pub-a', room: 'probe-room-1', role: 'publisher' },
      { identity: 'sub-a', room: 'probe-room-1', role: 'subscriber' },
    ];
    const r = await runProbes({ netns: NETNS, k6Path, outDir: join(artifacts, 'run1'), plan: plan(probes, 20), tokens: await mintProbeTokens(probes, API_KEY, API_SECRET, 600) });
    const pub = byId(r, 'pub-a');
    const sub = byId(r, 'sub-a');
    expect(r.k6ExitCode, await readFile(r.logPath, 'utf8')).toBe(0);
    expect(pub.ok && sub.ok).toBe(true);

    // One sample per frame read: at ≥ 5 fps for 20 s, far more than 100 even on a busy machine.
    const latency = sub.latency!;
    expect(latency.count).toBeGreaterThan(100);
    expect(latency.min).toBeGreaterThan(0);
    expect(latency.p50).toBeLessThan(1000);
    expect(sub.framesRead).toBeGreaterThanOrEqual(latency.count);
    // One subscriber: the pooled distribution (what the video_latency_ms row judges) is its own.
    expect(r.pooledLatency).toEqual(latency);
    const dropped = Object.values(sub.readsDropped).reduce((a, b) => a + b, 0);
    expect(dropped / sub.framesRead).toBeLessThan(0.1);

    // getStats figures are there and sensible.
    expect(sub.inboundKbps).toBeGreaterThan(0);
    expect(sub.fps).toBeGreaterThan(5);
    expect(sub.packetsReceived).toBeGreaterThan(100);
    expect(sub.frameHeight?.max).toBeGreaterThanOrEqual(90);
    expect(sub.jitterMs?.count).toBeGreaterThan(0);
    expect(pub.outboundKbps).toBeGreaterThan(0);
    expect(pub.frameHeight?.max).toBe(DEFAULT_VIDEO.height);

    // Media used 127.0.0.1 on both ends, every sample, for both probes.
    for (const p of [pub, sub]) {
      expect(p.pairs.length).toBeGreaterThan(0);
      expect(p.nonLoopbackPairSamples).toBe(0);
      for (const pair of p.pairs) expect(pair).toMatchObject({ localAddress: '127.0.0.1', remoteAddress: '127.0.0.1', protocol: 'udp' });
    }
    // The pair as the probes logged it, ports included: the SFU's UDP port on the far end.
    const log = await readFile(r.logPath, 'utf8');
    expect(log).toMatch(new RegExp(`probe sub-a \\(subscriber\\) selected pair 127\\.0\\.0\\.1:\\d+/udp host ↔ 127\\.0\\.0\\.1:${PORTS.livekitUdp} host`));

    // Tokens never reach k6's samples or log.
    const samples = await readFile(r.samplesPath, 'utf8');
    expect(samples).not.toContain('eyJ');
    expect(log).not.toContain('eyJ');

    // Browsers, k6 and the page server are gone; only the lab's livekit-server (and bridges) are left.
    expect(await leftoversIn(NETNS)).toEqual([]);
  }, 240_000);

  it(`puts ~${DELAY_MS} ms on a subscriber whose media goes through the delay relay`, async () => {
    const impaired = await startImpairedPath({ netns: NETNS, sfuHttpPort: PORTS.livekitHttp, sfuUdpPort: PORTS.livekitUdp, delayMs: DELAY_MS, maxLifetimeSec: 200 });
    let r: ProbeRunResult;
    let counts: ImpairedPathCounts | undefined;
    try {
      const probes: ProbeSpec[] = [
        { identity: 'pub-b', room: 'probe-room-2', role: 'publisher' },
        { identity: 'sub-direct', room: 'probe-room-2', role: 'subscriber' },
        { identity: 'sub-relayed', room: 'probe-room-2', role: 'subscriber', livekitUrl: impaired.livekitUrl, path: `relay+${DELAY_MS}ms` },
      ];
      r = await runProbes({
        netns: NETNS,
        k6Path,
        outDir: join(artifacts, 'run2'),
        plan: plan(probes, 20),
        tokens: await mintProbeTokens(probes, API_KEY, API_SECRET, 600),
        // The first seconds after a subscribe (key frame, jitter-buffer settling) are left out.
        warmupSec: 5,
      });
    } finally {
      counts = await impaired.stop();
    }
    const log = await readFile(r.logPath, 'utf8');
    expect(r.k6ExitCode, log).toBe(0);
    const direct = byId(r, 'sub-direct');
    const relayed = byId(r, 'sub-relayed');
    expect(direct.ok && relayed.ok).toBe(true);
    expect(direct.latency?.count, JSON.stringify(direct)).toBeGreaterThan(50);
    expect(relayed.latency?.count, JSON.stringify(relayed)).toBeGreaterThan(50);

    const added = relayed.latency!.p50 - direct.latency!.p50;
    console.log(`latency p50: direct ${direct.latency!.p50.toFixed(0)} ms, relayed ${relayed.latency!.p50.toFixed(0)} ms → +${added.toFixed(0)} ms for ${DELAY_MS} ms`);
    // The video crosses the relay once (SFU → subscriber): +DELAY_MS. On top, the receiver's jitter
    // buffer holds frames a little longer when its round trip is long and packets need resending
    // (libwebrtc adds part of the RTT to its target delay) — measured +174..+266 ms here under heavy
    // load, ~+200 on a quieter machine. Below 0.75 × the delay the relay is not on the path; above
    // 1.5 × it would be on it twice.
    expect(added).toBeGreaterThanOrEqual(0.75 * DELAY_MS);
    expect(added).toBeLessThanOrEqual(1.5 * DELAY_MS);
    // The relayed subscriber's STUN round trip carries the delay twice; the direct one's does not.
    expect(relayed.rttMs).toBeGreaterThan(2 * DELAY_MS - 20);
    expect(direct.rttMs).toBeLessThan(DELAY_MS);

    // The relay was on the path: the subscriber's selected pair ends at the relay's port, and the
    // relay forwarded the video to it. Still 127.0.0.1 only.
    expect(log).toMatch(new RegExp(`probe sub-relayed \\(subscriber\\) selected pair 127\\.0\\.0\\.1:\\d+/udp \\w+ ↔ 127\\.0\\.0\\.1:${impaired.relayPort} host`));
    expect(counts?.relay.toClient).toBeGreaterThan(relayed.packetsReceived * 0.9);
    expect(counts?.relay.clients).toBe(1);
    for (const p of r.results) expect(p.nonLoopbackPairSamples).toBe(0);
    expect(await leftoversIn(NETNS)).toEqual([]);
  }, 300_000);

  it('counts a wrong token and an unreachable SFU as failures with their reason, without hanging', async () => {
    const probes: ProbeSpec[] = [
      { identity: 'sub-badtoken', room: 'probe-room-3', role: 'subscriber' },
      // Nothing listens there inside the namespace.
      { identity: 'sub-nosfu', room: 'probe-room-3', role: 'subscriber', livekitUrl: 'ws://127.0.0.1:9' },
    ];
    const tokens = {
      ...(await mintProbeTokens([probes[0]!], API_KEY, 'not-the-secret-of-this-server-but-long-enough', 600)),
      ...(await mintProbeTokens([probes[1]!], API_KEY, API_SECRET, 600)),
    };
    const t0 = Date.now();
    const r = await runProbes({ netns: NETNS, k6Path, outDir: join(artifacts, 'run3'), plan: plan(probes, 5, 15), tokens });
    expect(Date.now() - t0).toBeLessThan(120_000);
    expect(r.k6ExitCode).toBe(99);
    for (const id of ['sub-badtoken', 'sub-nosfu']) {
      const p = byId(r, id);
      expect(p.ok).toBe(false);
      expect(p.failures).toEqual({ connect: 1 });
      expect(p.latency).toBeUndefined();
    }
    const log = await readFile(r.logPath, 'utf8');
    expect(log).toMatch(/probe sub-badtoken \(subscriber, room probe-room-3\) failed \[connect\]/);
    expect(log).not.toContain('eyJ');
    expect(await leftoversIn(NETNS)).toEqual([]);
  }, 240_000);
});
