/**
 * The 200 ms test: the smoke room (the smoke profile's bots, a probe publisher, two probe
 * subscribers reading it at the same layer) in a media lab of its own, run once by runSfuRoom with
 * one subscriber's media through a UDP relay that adds 200 ms. The video_latency_ms row, computed
 * from that run as the suite computes it (judgeMedia) over each path's subscriber, is ~200 ms
 * higher through the relay — side by side, same room, same moment, so the machine's load hits both.
 *
 * Also: every candidate pair of the run is 127.0.0.1 (the relayed one too), the artifacts are
 * written, and nothing is left running in the namespace. Needs root (ip netns) and Chromium.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, type SfuLoad } from '../../../lib/profiles.ts';
import { startMediaLab, type MediaLab } from '../../../media/lab/lab.ts';
import { CHROMIUM_BINARY } from '../../../media/probe/chromium.ts';
import { pooledLatency, summarizeProbeSamples } from '../../../media/probe/probe-results.ts';
import { parseRecords } from '../../../media/runner/records.ts';
import { summarize } from '../../../media/runner/summary.ts';
import { planBots } from '../../../media/runner/plan.ts';
import { listNetns } from '../../../scripts/clients/netns.ts';
import { judgeMedia } from '../../../scripts/run/media/observe.ts';
import { runSfuRoom, type SfuRoomRun } from '../../../scripts/run/media/run-room.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { PROJECT_ROOT } from '../../../scripts/tools/paths.ts';
import { PORTS } from '../../../stack/ports.ts';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const NETNS = 'gomeet-test-sfuroom';
const SHIFT = 13_000;
const DELAY_MS = 200;
const API_KEY = 'roomkey';
const API_SECRET = `room-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

/** The smoke room with one probe publisher and two probe subscribers (one direct, one relayed); bot
 *  subscribers fill the remaining seats, so the room holds as many participants as smoke's. */
const SFU: SfuLoad = {
  ...PROFILES.smoke.sfu,
  probePublishersPerRoom: 1,
  probeSubscribersPerRoom: 2,
  botSubscribersPerRoom: PROFILES.smoke.sfu.participantsPerRoom - 1 - 2 - PROFILES.smoke.sfu.botPublishersPerRoom,
};

async function leftoversIn(netns: string): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'pids', netns]);
  const comms = await Promise.all(stdout.split('\n').filter(Boolean).map((pid) => readFile(`/proc/${pid}/comm`, 'utf8').then((c) => c.trim(), () => '')));
  return comms.filter((c) => c !== '' && c !== 'livekit-server' && c !== 'socat');
}

describe.skipIf(!isRoot || !existsSync(CHROMIUM_BINARY))(`the smoke room with one subscriber behind a +${DELAY_MS} ms relay`, () => {
  let dir = '';
  let lab: MediaLab;
  let r: SfuRoomRun;
  const outDir = join(PROJECT_ROOT, 'test-artifacts', 'sfu-room-relay');
  const runId = `relay-${Date.now().toString(36)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-sfuroom-'));
    lab = await startMediaLab({
      netns: NETNS,
      dir,
      httpPort: PORTS.livekitHttp + SHIFT,
      udpPort: PORTS.livekitUdp + SHIFT,
      prometheusPort: PORTS.livekitPrometheus + SHIFT,
      hostHttpPort: 0,
      hostPrometheusPort: 0,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    });
    const room = `${runId}-0`;
    r = await runSfuRoom({
      lab: { netns: NETNS, livekitUrl: lab.url },
      runId,
      sfu: SFU,
      rows: THRESHOLD_TABLE,
      credentials: { apiKey: API_KEY, apiSecret: API_SECRET },
      apiKeyEnv: 'GM_TEST_ROOM_KEY',
      apiSecretEnv: 'GM_TEST_ROOM_SECRET',
      outDir,
      k6Path: await ensureK6({ build: false }),
      onLine: (l) => console.log(`[room] ${l}`),
      // Both subscribers read the publisher at the same layer: the path is the only difference.
      adjustProbes: (specs) => specs.map((s) => (s.role === 'subscriber' ? { ...s, layer: 'high' } : s)),
      impaired: { sfuHttpPort: PORTS.livekitHttp + SHIFT, sfuUdpPort: PORTS.livekitUdp + SHIFT, paths: [{ delayMs: DELAY_MS, identities: [`${room}-probe-sub-1`] }] },
    });
  }, 600_000);

  afterAll(async () => {
    await lab?.stop();
    expect(await listNetns()).not.toContain(NETNS);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`video_latency_ms is ~${DELAY_MS} ms higher through the relay`, async () => {
    const samples = (await readFile(join(outDir, 'probes', 'samples.json'), 'utf8')).split('\n').filter((l) => l.includes('"gomeet_'));
    const records = parseRecords(await readFile(join(outDir, 'bots.jsonl'), 'utf8'));
    const bots = { records, summary: summarize(records, planBots(r.plan.bots, runId)) };
    const warmupSec = THRESHOLD_TABLE.find((x) => x.id === 'video_latency_ms')!.warmupSec;
    /** The row as the suite computes it, from this run seen through one path only. */
    const rowThrough = (path: string) => {
      const ids = new Set(r.plan.probes.probes.filter((p) => p.role === 'publisher' || (p.path ?? 'direct') === path).map((p) => p.identity));
      const lines = samples.filter((l) => [...ids].some((id) => l.includes(`"probe":"${id}"`)));
      const plan = { ...r.plan, probes: { ...r.plan.probes, probes: r.plan.probes.probes.filter((p) => ids.has(p.identity)) } };
      const probes = { results: summarizeProbeSamples(lines, { warmupSec }), pooledLatency: pooledLatency(lines, { warmupSec }), k6ExitCode: 0 };
      return { obs: judgeMedia({ plan, rows: THRESHOLD_TABLE, bots, probes }).observations.get('video_latency_ms')!, p50: probes.pooledLatency?.p50 };
    };
    const direct = rowThrough('direct');
    const relayed = rowThrough(`relay+${DELAY_MS}ms`);
    console.log(`video_latency_ms: direct ${direct.obs.observed} ms (p50 ${direct.p50}), relayed ${relayed.obs.observed} ms (p50 ${relayed.p50}); run ${JSON.stringify(r.observations.get('video_latency_ms'))}`);
    if (r.saturated) console.log(`saturated: ${r.saturated.reason}`);

    // Both subscribers measured to the end.
    const subs = r.context.probes.filter((p) => p.role === 'subscriber');
    for (const p of subs) expect(p.ok, JSON.stringify(p)).toBe(true);
    for (const p of subs) expect(p.latency?.count, p.identity).toBeGreaterThan(50);

    // A starved browser is flagged by judgeMedia and then the row has no value: that would be this
    // machine, not the relay — the test needs values on both paths.
    expect(direct.obs.observed, direct.obs.note).not.toBeNull();
    expect(relayed.obs.observed, relayed.obs.note).not.toBeNull();
    const addedP95 = relayed.obs.observed! - direct.obs.observed!;
    const addedP50 = relayed.p50! - direct.p50!;
    // The video crosses the relay once (SFU → subscriber): +DELAY_MS, plus a little jitter-buffer
    // growth on the longer round trip (see test/integration/probe/browser-probes.test.ts). The p95
    // carries each path's own spikes too, so its bounds are wider than the median's.
    expect(addedP50).toBeGreaterThanOrEqual(0.75 * DELAY_MS);
    expect(addedP50).toBeLessThanOrEqual(1.5 * DELAY_MS);
    expect(addedP95).toBeGreaterThanOrEqual(0.5 * DELAY_MS);
    expect(addedP95).toBeLessThanOrEqual(2 * DELAY_MS);
    // The run's own row pools both subscribers: it sits between the two paths.
    const pooled = r.observations.get('video_latency_ms')!;
    if (pooled.observed !== null) {
      expect(pooled.observed).toBeGreaterThanOrEqual(direct.obs.observed! - 1);
      expect(pooled.observed).toBeLessThanOrEqual(relayed.obs.observed! + 1);
    }
  });

  it('every candidate pair of bots and probes is 127.0.0.1, the relayed subscriber’s included', () => {
    expect(r.loopback.violations).toEqual([]);
    expect(r.loopback.botPairs).toBeGreaterThan(0);
    expect(r.loopback.probePairs).toBeGreaterThanOrEqual(3);
    expect(r.loopback.statement).toBe(`all ${r.loopback.pairs} candidate pairs 127.0.0.1 (${r.loopback.botPairs} bots, ${r.loopback.probePairs} probes)`);
    const relayed = r.context.probes.find((p) => p.path === `relay+${DELAY_MS}ms`)!;
    expect(relayed.pairs.length).toBeGreaterThan(0);
    for (const pair of relayed.pairs) expect(pair).toMatch(/^127\.0\.0\.1 ↔ 127\.0\.0\.1 /);
  });

  it('writes the artifacts, and leaves nothing running in the namespace', async () => {
    for (const f of ['bots.jsonl', 'media.json', 'media.md', 'probes/samples.json', 'probes/k6.log']) expect((await stat(join(outDir, f))).size, f).toBeGreaterThan(0);
    const md = await readFile(join(outDir, 'media.md'), 'utf8');
    expect(md).toContain(`**Loopback:** ${r.loopback.statement}.`);
    expect(md).toContain(`relay+${DELAY_MS}ms`);
    for (const f of ['media.json', 'media.md', 'probes/k6.log', 'bots.jsonl']) expect(await readFile(join(outDir, f), 'utf8')).not.toContain(API_SECRET);
    expect(await leftoversIn(NETNS)).toEqual([]);
    // The helper was stopped and its relay's counts kept: it carried the subscriber's media, lost none.
    expect(r.impairedPaths.map((p) => p.label)).toEqual([`relay+${DELAY_MS}ms`]);
    expect(r.impairedPaths[0]!.counts?.relay).toMatchObject({ lost: 0 });
    expect(r.impairedPaths[0]!.counts!.relay.toClient).toBeGreaterThan(0);
  });
});
