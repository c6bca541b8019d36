/**
 * What a report says about how the run was made: its parameters and the versions of the tools
 * and of the suite. Written to OUT/run-info.json and shown in report.html, so a report found months
 * later still says which k6, which livekit-server and which suite commit produced it.
 * Never holds secrets: parameters are names, sizes and URLs.
 */
import { z } from 'zod';

export interface RunVersions {
  /** e.g. `v2.2.0` (k6 version). */
  k6?: string;
  /** e.g. `1.13.5` (livekit-server --version). */
  livekitServer?: string;
  /** The suite's git commit, short hash, `-dirty` when the tree had local changes. */
  suiteCommit?: string;
}

export interface RunInfo {
  /** Shown as a table, in this order: e.g. `profile`, `runners`, `api rate (req/s)`, `api base URL`. */
  parameters: Record<string, string | number>;
  versions: RunVersions;
}

export const RUN_INFO_FILE = 'run-info.json';

export const RunInfoSchema = z.object({
  parameters: z.record(z.string(), z.union([z.string(), z.number()])),
  versions: z.object({ k6: z.string().optional(), livekitServer: z.string().optional(), suiteCommit: z.string().optional() }),
});
