/**
 * Starts one impaired-path helper (media/impair/start-impaired-path.ts) per impaired path of a room
 * run, and stops them all at the end, keeping what each relay did. If one fails to start, those
 * already started are stopped before the error is thrown: no helper outlives a failed start (each
 * also exits by itself after its lifetime, but would hold its ports until then).
 */
import { startImpairedPath, type ImpairedPath, type ImpairedPathCounts } from '../../../media/impair/start-impaired-path.ts';
import type { ResolvedPath } from './impaired-probes.ts';

export interface ImpairedPathRun extends ResolvedPath {
  relayPort: number;
  /** Packets relayed, lost (by lossPct) and dropped, frames rewritten; null if the helper died
   *  without printing them. */
  counts: ImpairedPathCounts | null;
}

export interface ImpairedHelpers {
  /** Per path: its label, its probes, and the LiveKit URL that sends them through its relay. */
  routes: { label: string; identities: string[]; livekitUrl: string }[];
  /** Stops every helper (together); each path as run, with its counts. */
  stop(): Promise<ImpairedPathRun[]>;
}

export async function startImpairedHelpers(o: {
  netns: string;
  /** livekit-server's ports inside the namespace. */
  sfuHttpPort: number;
  sfuUdpPort: number;
  paths: readonly ResolvedPath[];
  maxLifetimeSec: number;
}): Promise<ImpairedHelpers> {
  const started: { path: ResolvedPath; helper: ImpairedPath }[] = [];
  const stop = (): Promise<ImpairedPathRun[]> =>
    Promise.all(started.map(async ({ path, helper }) => ({ ...path, relayPort: helper.relayPort, counts: (await helper.stop().catch(() => undefined)) ?? null })));
  try {
    // One after another: each helper is a Node process starting up, and 2 cores are shared with the SFU.
    for (const path of o.paths) {
      const helper = await startImpairedPath({
        netns: o.netns,
        sfuHttpPort: o.sfuHttpPort,
        sfuUdpPort: o.sfuUdpPort,
        delayMs: path.delayMs,
        jitterMs: path.jitterMs ?? 0,
        lossPct: path.lossPct ?? 0,
        seed: path.seed,
        maxLifetimeSec: o.maxLifetimeSec,
      });
      started.push({ path, helper });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { routes: started.map(({ path, helper }) => ({ label: path.label, identities: path.identities, livekitUrl: helper.livekitUrl })), stop };
}
