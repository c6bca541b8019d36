/**
 * Starts the impaired-path helper (impaired-path.ts) inside the media namespace and hands back the
 * LiveKit URL a client must use to have its media impaired (delay, jitter, loss), and a stop() that
 * returns what the relay and the signaling proxy did. The helper stops by itself after
 * maxLifetimeSec even if stop() is never called.
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/tools/paths.ts';
import { startLabChild, waitReady } from '../probe/lab-child.ts';
import type { RelayCounts } from './udp-delay-relay.ts';

export interface ImpairedPathOptions {
  netns: string;
  /** livekit-server's HTTP/WebSocket and UDP ports inside the namespace (on 127.0.0.1). */
  sfuHttpPort: number;
  sfuUdpPort: number;
  /** Added to each packet in each direction, ms. */
  delayMs: number;
  /** Up to this much more per packet, uniform, without reordering, ms (default 0). */
  jitterMs?: number;
  /** Chance each packet is lost, each direction, % (default 0). */
  lossPct?: number;
  /** Seed of the loss and jitter draws (default: the relay's, 1). */
  seed?: number;
  /** The helper exits after this many seconds whatever happens. */
  maxLifetimeSec: number;
}

export interface ImpairedPathCounts {
  relay: RelayCounts;
  signaling: { connections: number; serverFramesRewritten: number; clientFramesDropped: number; errors: number };
}

export interface ImpairedPath {
  /** ws://127.0.0.1:<proxy port>: give this to a client instead of the SFU's URL. */
  livekitUrl: string;
  relayPort: number;
  /** Stops the helper; its counts, or undefined if it died without printing them. */
  stop(): Promise<ImpairedPathCounts | undefined>;
}

export async function startImpairedPath(o: ImpairedPathOptions): Promise<ImpairedPath> {
  const child = startLabChild({
    netns: o.netns,
    argv: [
      process.execPath, '--import', 'tsx', join(PROJECT_ROOT, 'media/impair/impaired-path.ts'),
      '--sfu-host', '127.0.0.1', '--sfu-http-port', String(o.sfuHttpPort), '--sfu-udp-port', String(o.sfuUdpPort),
      '--delay-ms', String(o.delayMs), '--max-sec', String(o.maxLifetimeSec),
      '--jitter-ms', String(o.jitterMs ?? 0), '--loss-pct', String(o.lossPct ?? 0),
      ...(o.seed !== undefined ? ['--seed', String(o.seed)] : []),
    ],
    cwd: PROJECT_ROOT,
  });
  const ports = await waitReady<{ signalPort: number; relayPort: number }>(child, 30_000, 'impaired path');
  return {
    livekitUrl: `ws://127.0.0.1:${ports.signalPort}`,
    relayPort: ports.relayPort,
    async stop() {
      await child.stop();
      const line = child.lines().find((l) => l.startsWith('COUNTS '));
      return line ? (JSON.parse(line.slice('COUNTS '.length)) as ImpairedPathCounts) : undefined;
    },
  };
}
