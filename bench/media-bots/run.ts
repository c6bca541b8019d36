/**
 * Bench: bot subscribers per core in the `speaker` layout with media flowing.
 *
 *   npx tsx bench/media-bots/run.ts [--subscribers 20,40,60] [--publishers 6] [--hold-sec 40]
 *
 * Steps, for each subscriber count S:
 *  1. a throwaway media lab (livekit-server in namespace gomeet-bench-bots, host bridges on free
 *     ports), fresh per S so runs do not share server state
 *  2. a publisher runner (6 publishers, speaker-and-filmstrip: one 640x360 ~500 kbit/s camera +
 *     microphone, five 320x180 ~150 kbit/s cameras — what simulcast senders give a speaker layout)
 *  3. a subscriber runner with ONE worker process holding all S subscribers (speaker layout)
 *  4. from its records, over the steady window (every bot joined + 5 s, to the end): the worker's
 *     CPU seconds per wall second (= cores), RSS, event-loop delay, subscribers with media on every
 *     expected track, bytes received, loss
 * Writes bench/media-bots/results.json and prints a table. Subscribers per core = S / cores.
 * Needs root (ip netns). Traffic stays on the namespace's loopback.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { ensureClipFiles, loadClips, LOW_LAYER_CLIP_SPEC } from '../../media/clips.ts';
import { startMediaLab } from '../../media/lab/lab.ts';
import { parseRecords, type BotSampleRecord, type WorkerRecord } from '../../media/runner/records.ts';
import { inNetns } from '../../scripts/clients/netns.ts';
import { PORTS } from '../../stack/ports.ts';

const run = promisify(execFile);
const NETNS = 'gomeet-bench-bots';

const o = new Command()
  .option('--subscribers <list>', 'subscriber counts to measure', '20,40,60')
  .option('--publishers <n>', 'publishers in the room', '6')
  .option('--hold-sec <s>', 'seconds after the last join', '40')
  .option('--join-rate <n>', 'joins per second', '10')
  .option('--no-subscriber-twcc', 'subscribers send no transport-wide CC feedback')
  .option('--out <file>', 'results file', 'bench/media-bots/results.json')
  .parse()
  .opts();

interface Point {
  subscribers: number;
  publishers: number;
  windowSec: number;
  workerCores: number;
  subscribersPerCore: number;
  cpuMsPerSubscriberPerSec: number;
  rssMB: number;
  rssPerSubscriberMB: number;
  loopDelayP99MaxMs: number;
  subscribersWithAllMedia: number;
  expectedTracksPerSubscriber: number;
  rxMbitPerSubscriber: number;
  rxPacketsPerSecPerSubscriber: number;
  lossPct: number;
  /** Worker CPU per received packet, µs: what the per-core figure rests on, whatever the load. */
  cpuUsPerPacket: number;
  /** Packets per second a subscriber gets when all its media flows (from the clips). */
  fullRatePacketsPerSec: number;
  /** 1e6 / (cpuUsPerPacket × fullRatePacketsPerSec): subscribers per core at full media rate. */
  projectedSubscribersPerCore: number;
  /** Some worker's event loop stalled (the machine was too busy to keep media in time). */
  saturated: boolean;
  failures: Record<string, number>;
  /** The machine's 1-minute load average at the end (other work on the machine shows here). */
  loadAverage1m: number;
}

async function measure(subscribers: number): Promise<Point> {
  const dir = await mkdtemp(join(tmpdir(), 'gm-bench-'));
  const apiKey = 'benchkey';
  const apiSecret = `bench-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-padding-secret`;
  const env = { ...process.env, GOMEET_LIVEKIT_API_KEY: apiKey, GOMEET_LIVEKIT_API_SECRET: apiSecret };
  const lab = await startMediaLab({
    netns: NETNS,
    dir,
    httpPort: PORTS.livekitHttp,
    udpPort: PORTS.livekitUdp,
    prometheusPort: PORTS.livekitPrometheus,
    hostHttpPort: 0,
    hostPrometheusPort: 0,
    apiKey,
    apiSecret,
  });
  try {
    const publishers = Number(o.publishers);
    const holdSec = Number(o.holdSec);
    const joinSec = subscribers / Number(o.joinRate);
    const common = [process.execPath, '--import', 'tsx', 'media/runner/cli.ts', '--url', lab.url, '--room-prefix', 'bench', '--layout', 'speaker', '--join-rate', o.joinRate, '--stats-sec', '5', ...(o.subscriberTwcc === false ? ['--no-subscriber-twcc'] : [])];
    const pubArgv = inNetns(NETNS, [...common, '--publishers', String(publishers), '--subscribers', '0', '--workers', '1', '--hold-sec', String(holdSec + joinSec + 75), '--run', 'bench-pub', '--out', join(dir, 'pub.jsonl'), '--summary', join(dir, 'pub.json')]);
    const subArgv = inNetns(NETNS, [...common, '--publishers', '0', '--subscribers', String(subscribers), '--workers', '1', '--hold-sec', String(holdSec), '--run', 'bench-sub', '--out', join(dir, 'sub.jsonl'), '--summary', join(dir, 'sub.json')]);
    const pub = run(pubArgv[0]!, pubArgv.slice(1), { env, timeout: 600_000 });
    // Subscribers start once every publisher is connected and sending (or after 60 s regardless).
    const pubFile = join(dir, 'pub.jsonl');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const text = await readFile(pubFile, 'utf8').catch(() => '');
      if ((text.match(/"event":"connected"/g) ?? []).length >= publishers) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2000));
    await run(subArgv[0]!, subArgv.slice(1), { env, timeout: 600_000 });
    // The publishers were given time to spare; they are not measured, so end them now.
    pub.child.kill('SIGTERM');
    await pub.catch(() => {});
    const records = parseRecords(await readFile(join(dir, 'sub.jsonl'), 'utf8'));
    const summary = JSON.parse(await readFile(join(dir, 'sub.json'), 'utf8'));
    const from = joinSec + 5;
    const workers = records.filter((r): r is WorkerRecord => r.type === 'worker' && r.t >= from).sort((a, b) => a.t - b.t);
    const first = workers[0]!;
    const last = workers[workers.length - 1]!;
    const windowSec = last.t - first.t;
    const cores = (last.cpuUserSec + last.cpuSystemSec - first.cpuUserSec - first.cpuSystemSec) / windowSec;
    const samples = records.filter((r): r is BotSampleRecord => r.type === 'sample' && r.role === 'subscriber');
    const at = (t: number) => new Map(samples.filter((s) => Math.abs(s.t - t) < 0.01).map((s) => [s.botId, s] as const));
    const startS = at(first.t);
    const endS = at(last.t);
    const bytes = (s: BotSampleRecord) => s.tracks.reduce((x, t) => x + t.bytes, 0);
    const packets = (s: BotSampleRecord) => s.tracks.reduce((x, t) => x + t.packets, 0);
    const lost = (s: BotSampleRecord) => s.tracks.reduce((x, t) => x + (t.lost ?? 0), 0);
    // Per bot over the window: only bots sampled at both ends count.
    let rxBytes = 0;
    let rxPackets = 0;
    let lostDelta = 0;
    for (const [id, end] of endS) {
      const start = startS.get(id);
      if (!start) continue;
      rxBytes += bytes(end) - bytes(start);
      rxPackets += packets(end) - packets(start);
      lostDelta += lost(end) - lost(start);
    }
    const finals = samples.filter((s) => s.final);
    // Full-rate packets per second of a speaker-layout subscriber here: one high camera + its
    // microphone + (publishers - 1) low cameras, from the clips themselves.
    const high = await loadClips(await ensureClipFiles());
    const low = await loadClips(await ensureClipFiles(LOW_LAYER_CLIP_SPEC));
    const pps = (c: { units: unknown[]; durationMs: number }) => (c.units.length * 1000) / c.durationMs;
    const fullRatePps = pps(high.video) + pps(high.audio) + Math.min(publishers - 1, 5) * pps(low.video);
    return {
      subscribers,
      publishers,
      windowSec: Math.round(windowSec),
      workerCores: round(cores, 3),
      subscribersPerCore: round(subscribers / cores, 1),
      cpuMsPerSubscriberPerSec: round((cores * 1000) / subscribers, 2),
      rssMB: round(Math.max(...workers.map((w) => w.rssBytes)) / 2 ** 20, 1),
      rssPerSubscriberMB: round(Math.max(...workers.map((w) => w.rssBytes)) / 2 ** 20 / subscribers, 2),
      loopDelayP99MaxMs: Math.max(...workers.map((w) => w.loopDelayP99Ms)),
      subscribersWithAllMedia: summary.subscriber.withAllMedia,
      expectedTracksPerSubscriber: Math.max(...finals.map((s) => s.expected)),
      rxMbitPerSubscriber: round((rxBytes * 8) / windowSec / 1e6 / subscribers, 3),
      rxPacketsPerSecPerSubscriber: round(rxPackets / windowSec / subscribers, 1),
      lossPct: round((100 * lostDelta) / Math.max(1, rxPackets + lostDelta), 3),
      cpuUsPerPacket: round((cores * 1e6) / Math.max(1, rxPackets / windowSec), 1),
      fullRatePacketsPerSec: round(fullRatePps, 1),
      projectedSubscribersPerCore: round(1e6 / (((cores * 1e6) / Math.max(1, rxPackets / windowSec)) * fullRatePps), 1),
      saturated: summary.saturated,
      failures: summary.failures,
      loadAverage1m: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const points: Point[] = [];
for (const s of String(o.subscribers).split(',').map(Number)) {
  console.error(`bench: ${s} subscribers…`);
  const p = await measure(s);
  console.error(`  ${JSON.stringify(p)}`);
  points.push(p);
}
const result = {
  command: `npx tsx bench/media-bots/run.ts --subscribers ${o.subscribers} --publishers ${o.publishers} --hold-sec ${o.holdSec} --join-rate ${o.joinRate}${o.subscriberTwcc === false ? ' --no-subscriber-twcc' : ''}`,
  subscriberTransportCc: o.subscriberTwcc !== false,
  date: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  note: 'One worker process holds every subscriber; subscribersPerCore = subscribers / that worker\u2019s CPU cores (CPU s per wall s) over the steady window. livekit-server and the publishers run on the same machine but in other processes.',
  points,
};
await writeFile(o.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`subscribers  cores  subs/core  ms CPU/sub/s  RSS MB  MB/sub  media ok  rx Mbit/sub  pkts/s/sub (full)  loss %  µs/pkt  projected subs/core  loop p99 ms  load`);
for (const p of points) {
  console.log(
    [p.subscribers, p.workerCores, p.subscribersPerCore, p.cpuMsPerSubscriberPerSec, p.rssMB, p.rssPerSubscriberMB, `${p.subscribersWithAllMedia}/${p.subscribers}`, p.rxMbitPerSubscriber, `${p.rxPacketsPerSecPerSubscriber} (${p.fullRatePacketsPerSec})`, p.lossPct, p.cpuUsPerPacket, p.projectedSubscribersPerCore, p.loopDelayP99MaxMs, p.loadAverage1m].join('  '),
  );
}
