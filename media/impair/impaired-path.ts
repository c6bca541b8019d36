/**
 * Entry of the impaired-path helper, run inside the media namespace: a UDP relay (delay, jitter,
 * loss) in front of the SFU's UDP port, and the signaling proxy that sends clients to it.
 *
 *   ip netns exec <ns> node --import tsx media/impair/impaired-path.ts \
 *     --sfu-host 127.0.0.1 --sfu-http-port 7880 --sfu-udp-port 7882 --delay-ms 200 --max-sec 120 \
 *     [--jitter-ms 40] [--loss-pct 5] [--seed 1]
 *
 * A client whose LiveKit URL is the proxy's (ws://127.0.0.1:<signalPort>) gets its media delayed by
 * delay-ms (+ 0..jitter-ms) each way and loses loss-pct % of its packets each way; everyone else is
 * untouched. Prints `READY {"signalPort", "relayPort"}`, and on exit one `COUNTS {...}` line
 * (packets relayed, lost and dropped, frames rewritten).
 */
import { holdUntilStopped, readFlags } from '../probe/child-lifecycle.ts';
import { startSignalRewriteProxy } from './signal-rewrite-proxy.ts';
import { startUdpDelayRelay } from './udp-delay-relay.ts';

const flags = readFlags(process.argv.slice(2), ['sfu-host', 'sfu-http-port', 'sfu-udp-port', 'delay-ms', 'max-sec']);
const maxLifetimeSec = Number(flags['max-sec']);
const sfuHost = flags['sfu-host'] as string;
const sfuUdpPort = Number(flags['sfu-udp-port']);

const relay = await startUdpDelayRelay({
  upstreamHost: sfuHost,
  upstreamPort: sfuUdpPort,
  listenPort: Number(flags['relay-port'] ?? 0),
  delayMs: Number(flags['delay-ms']),
  jitterMs: Number(flags['jitter-ms'] ?? 0),
  lossPct: Number(flags['loss-pct'] ?? 0),
  seed: Number(flags.seed ?? 1),
  maxLifetimeSec,
});
const proxy = await startSignalRewriteProxy({
  upstreamHost: sfuHost,
  upstreamPort: Number(flags['sfu-http-port']),
  listenPort: Number(flags['signal-port'] ?? 0),
  rewrite: { fromPort: sfuUdpPort, toPort: relay.port },
  maxLifetimeSec,
});
console.log(`READY ${JSON.stringify({ signalPort: proxy.port, relayPort: relay.port })}`);
holdUntilStopped(async () => {
  await Promise.all([proxy.close(), relay.close()]);
  console.log(`COUNTS ${JSON.stringify({ relay: relay.counts, signaling: proxy.counts })}`);
}, maxLifetimeSec);
