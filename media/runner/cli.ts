/**
 * `media/runner/cli.ts` — runs bots against LiveKit from inside the media namespace:
 *
 *   ip netns exec gomeet-media npx tsx media/runner/cli.ts --url ws://127.0.0.1:17880 \
 *     --rooms 1 --publishers 2 --subscribers 40 --layout speaker --hold-sec 30 --out runs/x/bots.jsonl
 *
 * The LiveKit key and secret are read from the environment variables named by --api-key-env /
 * --api-secret-env (never flags). Prints a progress line every few seconds on stderr and the run's
 * summary as JSON on stdout (or into --summary). Exit 0 when the run completed (bot failures are in
 * the summary, not the exit code), 2 on bad flags.
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { isLayoutName, LAYOUT_NAMES } from '../bots/layout.ts';
import { runBots } from './runner.ts';
import { PUBLISHER_MEDIA, validateConfig, type BotRunConfig } from './plan.ts';

const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
};

const program = new Command()
  .name('bots')
  .description('real-WebRTC bot participants (werift) in LiveKit rooms')
  .requiredOption('--url <ws-url>', 'LiveKit URL as the bots see it')
  .option('--rooms <n>', 'rooms', num, 1)
  .option('--room-prefix <name>', 'room names are <prefix>-<i>', 'bots')
  .option('--publishers <n>', 'publisher bots per room', num, 1)
  .option('--subscribers <n>', 'subscriber bots per room', num, 10)
  .option('--layout <name>', `subscriber layout: ${LAYOUT_NAMES.join(' | ')}`, 'speaker')
  .option('--publisher-media <kind>', `${PUBLISHER_MEDIA.join(' | ')}`, 'speaker-and-filmstrip')
  .option('--no-subscriber-twcc', 'subscribers send no transport-wide CC feedback (saves bot CPU)')
  .option('--join-rate <per-sec>', 'joins per second over all workers', num, 10)
  .option('--hold-sec <s>', 'seconds every bot stays after the last join', num, 30)
  .option('--stats-sec <s>', 'seconds between stats samples', num, 5)
  .option('--workers <n>', 'worker processes (default: one per core)', num, cpus().length)
  .option('--join-timeout-ms <ms>', 'JoinResponse timeout', num, 15_000)
  .option('--ice-timeout-ms <ms>', 'PeerConnection connect timeout', num, 20_000)
  .option('--run <label>', 'run label in every record', `bots-${Date.now().toString(36)}`)
  .option('--api-key-env <name>', 'variable holding the LiveKit API key', 'GOMEET_LIVEKIT_API_KEY')
  .option('--api-secret-env <name>', 'variable holding the LiveKit API secret', 'GOMEET_LIVEKIT_API_SECRET')
  .requiredOption('--out <file>', 'results file (JSON lines)')
  .option('--summary <file>', 'write the summary JSON here instead of stdout')
  .exitOverride();

try {
  program.parse(process.argv);
} catch {
  process.exit(2);
}
const o = program.opts();
if (!isLayoutName(o.layout)) {
  console.error(`error: --layout must be one of ${LAYOUT_NAMES.join(', ')}`);
  process.exit(2);
}
const config: BotRunConfig = {
  url: o.url,
  rooms: o.rooms,
  roomPrefix: o.roomPrefix,
  publishersPerRoom: o.publishers,
  subscribersPerRoom: o.subscribers,
  layout: o.layout,
  publisherMedia: o.publisherMedia,
  subscriberTransportCc: o.subscriberTwcc !== false,
  joinRatePerSec: o.joinRate,
  holdSec: o.holdSec,
  statsIntervalSec: o.statsSec,
  workers: o.workers,
  joinTimeoutMs: o.joinTimeoutMs,
  iceTimeoutMs: o.iceTimeoutMs,
};
const problem = validateConfig(config);
if (problem) {
  console.error(`error: ${problem}`);
  process.exit(2);
}
const summary = await runBots({ config, outFile: o.out, run: o.run, apiKeyEnv: o.apiKeyEnv, apiSecretEnv: o.apiSecretEnv });
const text = `${JSON.stringify(summary, null, 2)}\n`;
if (o.summary) await writeFile(o.summary, text);
else process.stdout.write(text);
