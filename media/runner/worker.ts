/**
 * One bot worker process (forked by runner.ts, one per core by default): runs its share of the
 * bots on its own event loop and reports records to the runner over IPC.
 *
 *  1. say `ready` once loaded; wait for the runner's `start` message (config, bots, the run's clock)
 *  2. start each bot at its scheduled offset; a bot's failure is a record, never an exception
 *  3. every statsIntervalSec: one sample per bot, one resource record for the process
 *  4. at the run's end: final samples, every bot leaves, the process exits
 * Bounded: the process exits by itself at the run's end + EXIT_GRACE_MS whatever happens.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { credentialsFromEnv, mintToken } from '../../lib/livekit/token.ts';
import { loadClips, type ClipFiles, type Clips } from '../clips.ts';
import { PublisherBot } from '../bots/publisher.ts';
import { selectedPair, type BotSession } from '../bots/session.ts';
import { SubscriberBot } from '../bots/subscriber.ts';
import { publisherFeed, type BotRunConfig, type BotSpec } from './plan.ts';
import type { BotSampleRecord, RunRecord } from './records.ts';

export interface WorkerStart {
  type: 'start';
  run: string;
  worker: number;
  config: BotRunConfig;
  bots: BotSpec[];
  /** Epoch ms of the run's t = 0 (shared by all workers). */
  runStartMs: number;
  /** Epoch ms at which every bot leaves. */
  runEndMs: number;
  /** Camera clips per layer (the audio of `high` is the microphone). */
  clipFiles: { high: ClipFiles; low: ClipFiles };
  /** Names of the environment variables holding the LiveKit key and secret. */
  apiKeyEnv: string;
  apiSecretEnv: string;
}

/** After the run's end, ms a worker may take to leave and report before it exits regardless. */
export const EXIT_GRACE_MS = 15_000;

type Bot = { spec: BotSpec; impl: PublisherBot | SubscriberBot; session: BotSession };

function send(rec: RunRecord): void {
  process.send?.(rec);
}

async function sample(bot: Bot, base: { run: string; t: number; worker: number }, final: boolean): Promise<BotSampleRecord> {
  const tracks = bot.impl instanceof SubscriberBot ? await bot.impl.trackStats() : bot.impl.trackStats();
  return {
    type: 'sample',
    ...base,
    room: bot.spec.room,
    botId: bot.spec.botId,
    role: bot.spec.role,
    expected: tracks.length,
    flowing: tracks.filter((t) => t.bytes > 0).length,
    tracks: tracks.map(({ trackSid, kind, bytes, packets, ...rest }) => ({
      trackSid,
      kind,
      bytes,
      packets,
      ...('layer' in rest && rest.layer ? { layer: rest.layer } : {}),
      ...('lost' in rest ? { lost: rest.lost, jitterMs: Math.round(rest.jitterMs * 100) / 100 } : {}),
    })),
    ...(final ? { final: true } : {}),
  };
}

async function runWorker(msg: WorkerStart): Promise<void> {
  const { config, run, worker } = msg;
  const t = () => Math.round((Date.now() - msg.runStartMs) / 10) / 100;
  const base = () => ({ run, t: t(), worker });
  const creds = credentialsFromEnv(msg.apiKeyEnv, msg.apiSecretEnv);
  const publishes = msg.bots.some((b) => b.role === 'publisher');
  const clips: { high: Clips; low: Clips } | null = publishes ? { high: await loadClips(msg.clipFiles.high), low: await loadClips(msg.clipFiles.low) } : null;
  const bots: Bot[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();

  const startBot = async (spec: BotSpec): Promise<void> => {
    const token = await mintToken(creds, { room: spec.room, identity: spec.identity, canPublish: spec.role === 'publisher', ttlSec: 3600 });
    const opts = { url: config.url, token, joinTimeoutMs: config.joinTimeoutMs, iceTimeoutMs: config.iceTimeoutMs, transportCc: spec.role === 'publisher' || config.subscriberTransportCc };
    let impl: PublisherBot | SubscriberBot;
    if (spec.role === 'publisher') {
      const feed = publisherFeed(config.publisherMedia, spec.publisherIndex ?? 0);
      impl = new PublisherBot(opts, { video: clips![feed.camera].video, ...(feed.microphone ? { audio: clips!.high.audio } : {}) });
    } else {
      impl = new SubscriberBot(opts, config.layout);
    }
    const bot: Bot = { spec, impl, session: impl.session };
    bots.push(bot);
    const who = { room: spec.room, botId: spec.botId, role: spec.role };
    impl.session.onFailure((f) => send({ type: 'bot', ...base(), ...who, event: 'failed', reason: f.reason, message: f.message }));
    let ok = false;
    try {
      ok = await impl.start();
    } catch (err) {
      impl.session.fail('error', err instanceof Error ? err.message : String(err));
    }
    if (impl.session.joinMs !== null) send({ type: 'bot', ...base(), ...who, event: 'joined', joinMs: impl.session.joinMs });
    if (ok && impl.session.subscriberPc) {
      const pair = await selectedPair(impl.session.subscriberPc);
      const connectMs = impl instanceof PublisherBot ? impl.publisherConnectedMs : impl.session.subscriberConnectedMs;
      send({ type: 'bot', ...base(), ...who, event: 'connected', ...(connectMs !== null ? { connectMs } : {}), ...(pair ? { pair } : {}) });
    }
  };

  const timers: ReturnType<typeof setTimeout>[] = [];
  const starts: Promise<void>[] = [];
  for (const spec of msg.bots) {
    timers.push(
      setTimeout(() => {
        if (Date.now() < msg.runEndMs) starts.push(startBot(spec));
      }, Math.max(0, msg.runStartMs + spec.startOffsetMs - Date.now())),
    );
  }

  const sampleAll = async (final: boolean) => {
    const b = base();
    const records = await Promise.all(bots.filter((x) => x.session.join).map((x) => sample(x, b, final).catch(() => null)));
    for (const r of records) if (r) send(r);
    const cpu = process.cpuUsage();
    send({
      type: 'worker',
      ...b,
      bots: bots.length,
      cpuUserSec: cpu.user / 1e6,
      cpuSystemSec: cpu.system / 1e6,
      rssBytes: process.memoryUsage().rss,
      loopDelayP99Ms: Math.round(lag.percentile(99) / 1e4) / 100,
    });
    lag.reset();
  };
  const sampler = setInterval(() => void sampleAll(false), config.statsIntervalSec * 1000);

  await new Promise((r) => setTimeout(r, Math.max(0, msg.runEndMs - Date.now())));
  for (const tm of timers) clearTimeout(tm);
  clearInterval(sampler);
  await sampleAll(true);
  await Promise.race([Promise.allSettled(starts), new Promise((r) => setTimeout(r, 2000))]);
  await Promise.all(
    bots.map(async (b) => {
      await b.impl.stop().catch(() => {});
      send({ type: 'bot', ...base(), room: b.spec.room, botId: b.spec.botId, role: b.spec.role, event: 'left' });
    }),
  );
}

// Loading werift and the protocol takes seconds on a busy machine: the runner starts the clock
// only once every worker has said it is ready.
process.send?.({ type: 'ready' });
// The runner is gone (killed, crashed): nobody will read our records, so stop now.
process.once('disconnect', () => process.exit(4));

process.once('message', (msg: WorkerStart) => {
  // Bounded whatever happens: a wedged bot cannot keep the process alive.
  setTimeout(() => process.exit(3), Math.max(0, msg.runEndMs - Date.now()) + EXIT_GRACE_MS).unref();
  runWorker(msg)
    .then(() => {
      process.send?.({ type: 'done' }, () => process.exit(0));
    })
    .catch((err) => {
      process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
    });
});
