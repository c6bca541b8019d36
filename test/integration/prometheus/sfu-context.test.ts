// The SFU's own signals as the report's context, from a real room: the pinned livekit-server in a
// throwaway media lab (its own network namespace), one publisher and three subscriber bots for a few
// seconds, a throwaway Prometheus scraping livekit-server's /metrics through the lab's bridge. Proves
// the metric names of livekit-server 1.13.5 that thresholds/context-queries.ts reads: participants,
// rooms, packet loss per direction (0 %, not "none", when packets flowed without loss), forwarding
// latency, NACK and PLI rates. Needs root (ip netns). The local stack is not touched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaLab, type MediaLab } from '../../../media/lab/lab.ts';
import { runBotsInNetns } from '../../../media/runner/launch.ts';
import type { RunSummary } from '../../../media/runner/summary.ts';
import { contextLines, serverContextFromPrometheus, type ContextSignal } from '../../../reports/observe-prometheus.ts';
import { PORTS } from '../../../stack/ports.ts';
import { startThrowawayPrometheus, TEST_SCRAPE_SEC, type ThrowawayPrometheus } from '../../helpers/throwaway-prometheus.ts';

const isRoot = process.getuid?.() === 0;
const NETNS = 'gomeet-test-sfu-ctx';
const SUBSCRIBERS = 3;
const HOLD_SEC = 12;
// Test-only credentials, made per run, passed to the bots only through the environment.
const API_KEY = 'ctxkey';
const API_SECRET = `ctx-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

describe.skipIf(!isRoot)('SFU context signals from a real LiveKit room', () => {
  let dir = '';
  let lab: MediaLab | undefined;
  let prom: ThrowawayPrometheus | undefined;
  let summary: RunSummary;
  let signals: Map<string, ContextSignal>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-ctx-'));
    lab = await startMediaLab({
      netns: NETNS,
      dir,
      httpPort: PORTS.livekitHttp,
      udpPort: PORTS.livekitUdp,
      prometheusPort: PORTS.livekitPrometheus,
      hostHttpPort: 0,
      hostPrometheusPort: 0,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    });
    prom = await startThrowawayPrometheus([{ job: 'livekit', targets: [new URL(lab.hostMetricsUrl).host] }]);
    await prom.waitForScrape('livekit_participant_total');

    process.env.GOMEET_TEST_CTX_KEY = API_KEY;
    process.env.GOMEET_TEST_CTX_SECRET = API_SECRET;
    const startMs = Date.now();
    summary = await runBotsInNetns({
      netns: NETNS,
      outFile: join(dir, 'bots.jsonl'),
      run: 'it-sfu-context',
      apiKeyEnv: 'GOMEET_TEST_CTX_KEY',
      apiSecretEnv: 'GOMEET_TEST_CTX_SECRET',
      onProgress: () => {},
      config: {
        url: lab.url,
        rooms: 1,
        roomPrefix: 'ctx',
        publishersPerRoom: 1,
        subscribersPerRoom: SUBSCRIBERS,
        layout: 'speaker',
        publisherMedia: 'speaker-and-filmstrip',
        subscriberTransportCc: true,
        joinRatePerSec: 10,
        holdSec: HOLD_SEC,
        statsIntervalSec: 4,
        workers: 1,
        joinTimeoutMs: 15_000,
        iceTimeoutMs: 20_000,
      },
    });
    const endMs = Date.now();
    const list = await serverContextFromPrometheus(prom.url, { startMs, endMs, stepSec: TEST_SCRAPE_SEC, settleMs: 2500 });
    console.log(contextLines(list).join('\n'));
    signals = new Map(list.map((s) => [s.id, s]));
  });

  afterAll(async () => {
    delete process.env.GOMEET_TEST_CTX_KEY;
    delete process.env.GOMEET_TEST_CTX_SECRET;
    await prom?.stop();
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the room really carried media', () => {
    expect(summary.subscriber).toMatchObject({ planned: SUBSCRIBERS, connected: SUBSCRIBERS });
    expect(summary.publisher).toMatchObject({ planned: 1, connected: 1 });
  });

  it('counts the participants and the room at their peak', () => {
    expect(signals.get('sfu_participants')!.values).toEqual([{ where: 'livekit-server', value: SUBSCRIBERS + 1 }]);
    expect(signals.get('sfu_rooms')!.values).toEqual([{ where: 'livekit-server', value: 1 }]);
  });

  it('gives packet loss per direction, as a value even when nothing was lost', () => {
    const loss = signals.get('sfu_packet_loss_pct')!;
    expect(loss.values.map((v) => v.where).sort(), loss.note).toEqual(['incoming', 'outgoing']);
    // Loopback inside one namespace: hardly anything is lost.
    for (const v of loss.values) {
      expect(v.value).toBeGreaterThanOrEqual(0);
      expect(v.value).toBeLessThan(5);
    }
  });

  it('gives the forwarding latency p95 in ms', () => {
    const latency = signals.get('sfu_forward_latency_p95_ms')!;
    expect(latency.values, latency.note).toHaveLength(1);
    expect(latency.values[0]!.value).toBeGreaterThan(0);
    expect(latency.values[0]!.value).toBeLessThan(50);
  });

  it('gives NACK and PLI rates per direction, 0/s rather than nothing where none were sent', () => {
    for (const id of ['sfu_nack_rate', 'sfu_pli_rate']) {
      const s = signals.get(id)!;
      expect(s.values.map((v) => v.where).sort(), `${id}: ${s.note}`).toEqual(['incoming', 'outgoing']);
      for (const v of s.values) expect(v.value).toBeGreaterThanOrEqual(0);
    }
  });
});
