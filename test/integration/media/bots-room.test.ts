/**
 * One real room in a throwaway media lab: the pinned livekit-server inside its own network namespace
 * (only `lo`), one publisher bot (VP8 + Opus) and several subscriber bots (speaker layout) run by the
 * bot runner in two worker processes for ~20 s. Asserts that every subscriber receives media on
 * every expected track, that every selected ICE pair is 127.0.0.1 ↔ 127.0.0.1 and livekit-server's
 * debug log names no other address, that the host reaches the server through the bridges (metrics,
 * and the signal client: join, RTT, leave; bad secret → unauthorized; nothing listening → refused),
 * and that per-room bandwidth is what the bots sent and received. Cleans up: no socat, no
 * livekit-server, no namespace left.
 *
 * Needs root (ip netns). Host-side bridge ports are free ones the kernel picks, so a running local
 * stack is never touched.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveKitSignalClient, SignalError } from '../../../lib/livekit/signal-client.ts';
import { mintToken } from '../../../lib/livekit/token.ts';
import { wsTransport } from '../../../lib/livekit/transport-ws.ts';
import { roomBandwidthObservation, roomBandwidths } from '../../../media/bandwidth.ts';
import { startMediaLab, type MediaLab } from '../../../media/lab/lab.ts';
import { runBotsInNetns } from '../../../media/runner/launch.ts';
import { parseRecords, type BotSampleRecord, type RunRecord } from '../../../media/runner/records.ts';
import type { RunSummary } from '../../../media/runner/summary.ts';
import { listNetns } from '../../../scripts/clients/netns.ts';
import { freeLoopbackPort } from '../../../scripts/clients/socat.ts';
import { PORTS } from '../../../stack/ports.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const NETNS = 'gomeet-test-bots';
const SUBSCRIBERS = 8;
const HOLD_SEC = 20;
// Test-only credentials, made per run and passed only through the environment.
const API_KEY = 'testkey';
const API_SECRET = `test-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!isRoot)('bots in a real LiveKit room, inside the media namespace', () => {
  let dir = '';
  let lab: MediaLab;
  let records: RunRecord[] = [];
  let summary: RunSummary;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-bots-'));
    lab = await startMediaLab({
      netns: NETNS,
      dir,
      httpPort: PORTS.livekitHttp,
      udpPort: PORTS.livekitUdp,
      prometheusPort: PORTS.livekitPrometheus,
      // Free host ports: a running local stack (and its clients' ephemeral ports) are never touched.
      hostHttpPort: 0,
      hostPrometheusPort: 0,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      logLevel: 'debug',
    });
    const out = join(dir, 'bots.jsonl');
    // The key and secret reach the runner only through the environment.
    process.env.GOMEET_TEST_LK_KEY = API_KEY;
    process.env.GOMEET_TEST_LK_SECRET = API_SECRET;
    summary = await runBotsInNetns({
      netns: NETNS,
      outFile: out,
      run: 'it-bots',
      apiKeyEnv: 'GOMEET_TEST_LK_KEY',
      apiSecretEnv: 'GOMEET_TEST_LK_SECRET',
      onProgress: () => {},
      config: {
        url: lab.url,
        rooms: 1,
        roomPrefix: 'bots',
        publishersPerRoom: 1,
        subscribersPerRoom: SUBSCRIBERS,
        layout: 'speaker',
        publisherMedia: 'speaker-and-filmstrip',
        subscriberTransportCc: true,
        joinRatePerSec: 10,
        holdSec: HOLD_SEC,
        statsIntervalSec: 4,
        workers: 2,
        joinTimeoutMs: 15_000,
        iceTimeoutMs: 20_000,
      },
    });
    records = parseRecords(await readFile(out, 'utf8'));
  });

  afterAll(async () => {
    delete process.env.GOMEET_TEST_LK_KEY;
    delete process.env.GOMEET_TEST_LK_SECRET;
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every bot joins and connects; no failure of any kind', () => {
    expect(summary.failures).toEqual({});
    expect(summary.workerErrors).toEqual([]);
    expect(summary.publisher).toMatchObject({ planned: 1, joined: 1, connected: 1, failed: 0 });
    expect(summary.subscriber).toMatchObject({ planned: SUBSCRIBERS, joined: SUBSCRIBERS, connected: SUBSCRIBERS, failed: 0 });
    expect(summary.joinMs.p95).toBeGreaterThan(0);
  });

  it('every subscriber receives bytes on every expected track (the publisher’s video and audio)', () => {
    const finals = records.filter((r): r is BotSampleRecord => r.type === 'sample' && r.role === 'subscriber' && r.final === true);
    expect(finals).toHaveLength(SUBSCRIBERS);
    for (const s of finals) {
      expect(s.expected, s.botId).toBe(2);
      expect(s.flowing, s.botId).toBe(2);
      const video = s.tracks.find((t) => t.kind === 'video');
      const audio = s.tracks.find((t) => t.kind === 'audio');
      // Seconds of media, not a stray packet: ≥ ~2 s of the ~500 kbit/s camera and of the ~32 kbit/s
      // voice (well under the ~20 s held, so a busy machine still passes when media does flow).
      expect(video?.bytes ?? 0, s.botId).toBeGreaterThan(120_000);
      expect(video?.layer).toBe('high');
      expect(audio?.bytes ?? 0, s.botId).toBeGreaterThan(8_000);
    }
    expect(summary.subscriber.withAllMedia).toBe(SUBSCRIBERS);
  });

  it('uses 127.0.0.1 only: every selected candidate pair, and every address in livekit-server’s debug log', async () => {
    const pairs = records.filter((r) => r.type === 'bot' && r.event === 'connected').map((r) => (r as { pair?: { local: string; remote: string } }).pair);
    expect(pairs).toHaveLength(SUBSCRIBERS + 1);
    for (const p of pairs) expect(p).toEqual({ local: '127.0.0.1', remote: '127.0.0.1' });
    const log = await readFile(lab.logFile, 'utf8');
    const addresses = new Set(log.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? []);
    // Not vacuous: the debug log does talk about candidates and addresses.
    expect(addresses.has('127.0.0.1')).toBe(true);
    // 0.0.0.0 is SDP's placeholder in o=/c= lines (RFC 8839), never a destination.
    expect([...addresses].filter((a) => !a.startsWith('127.') && a !== '0.0.0.0')).toEqual([]);
  });

  it('the host reaches livekit-server through the bridges: metrics, and signaling with RTT', async () => {
    const metrics = await (await fetch(lab.hostMetricsUrl)).text();
    expect(metrics).toMatch(/^livekit_/m);
    expect([...new Set(metrics.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? [])].filter((a) => !a.startsWith('127.'))).toEqual([]);
    const client = new LiveKitSignalClient(wsTransport());
    const token = await mintToken({ apiKey: API_KEY, apiSecret: API_SECRET }, { room: 'host-side', identity: 'host-probe', canPublish: false });
    const joined = await client.join(lab.hostUrl, token, { timeoutMs: 10_000 });
    expect(joined.response.room?.name).toBe('host-side');
    expect(joined.joinMs).toBeGreaterThanOrEqual(joined.connectMs);
    const rtt = await client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(2000);
    const closed = new Promise<void>((r) => client.on('close', () => r()));
    client.leave();
    await closed;
    expect(client.isOpen).toBe(false);
  });

  it('a wrong secret is refused as unauthorized, and a port nobody serves as refused — both without hanging', async () => {
    const bad = await mintToken({ apiKey: API_KEY, apiSecret: `${API_SECRET}-wrong` }, { room: 'host-side', identity: 'intruder' });
    const err = await new LiveKitSignalClient(wsTransport()).join(lab.hostUrl, bad, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalError);
    expect((err as SignalError).reason).toBe('unauthorized');
    const good = await mintToken({ apiKey: API_KEY, apiSecret: API_SECRET }, { room: 'host-side', identity: 'nobody-home' });
    const nobody = await freeLoopbackPort();
    const refused = await new LiveKitSignalClient(wsTransport()).join(`ws://127.0.0.1:${nobody}`, good, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect((refused as SignalError).reason).toBe('refused');
  });

  it('per-room bandwidth is the subscribers’ receive plus the publisher’s send', () => {
    const obs = roomBandwidthObservation(records, { fromSec: 8 });
    expect(obs.where).toBe('bots-0');
    const room = roomBandwidths(records, { fromSec: 8 })[0]!;
    expect(room.publisherBitsPerSec).toBeGreaterThan(300_000);
    // Each subscriber gets at least about what the publisher sends (its video + audio), and more
    // only by what the SFU adds on its own: padding probes of its bandwidth estimator, retransmissions.
    const perSubscriber = (obs.observed! * 1e9 - room.publisherBitsPerSec) / SUBSCRIBERS;
    expect(perSubscriber / room.publisherBitsPerSec).toBeGreaterThan(0.7);
    expect(perSubscriber / room.publisherBitsPerSec).toBeLessThan(3);
    expect(obs.observed! * 1e9).toBeCloseTo(room.bitsPerSec, 0);
  });

  it('stop leaves nothing behind: no socat, no livekit-server, no namespace', async () => {
    const pid = lab.pid;
    await lab.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await listNetns()).not.toContain(NETNS);
    const { stdout } = await run('ps', ['-eo', 'pid,args']);
    expect(stdout.split('\n').filter((l) => l.includes(`${NETNS}-`) && l.includes('socat'))).toEqual([]);
  });
});
