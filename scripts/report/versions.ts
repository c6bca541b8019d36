/**
 * The versions a report names (reports/run-info.ts): the pinned k6 and livekit-server actually on
 * this machine (asked, never built here: `ensureTool(..., { build: false })`), and the suite's git
 * commit (`-dirty` when the checkout has local changes). A version that cannot be read is left out
 * (the report says `unknown`), it never fails a run.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunVersions } from '../../reports/run-info.ts';
import { ensureTool } from '../tools/ensure.ts';
import { PROJECT_ROOT } from '../tools/paths.ts';
import { K6_PIN, LIVEKIT_SERVER_PIN, type GoToolPin } from '../tools/pins.ts';
import { parseToolVersion } from '../tools/version.ts';

const run = promisify(execFile);

export async function collectVersions(): Promise<RunVersions> {
  const [k6, livekitServer, suiteCommit] = await Promise.all([toolVersion(K6_PIN), toolVersion(LIVEKIT_SERVER_PIN), gitCommit()]);
  return { ...(k6 ? { k6 } : {}), ...(livekitServer ? { livekitServer } : {}), ...(suiteCommit ? { suiteCommit } : {}) };
}

async function toolVersion(pin: GoToolPin): Promise<string | undefined> {
  try {
    const bin = await ensureTool(pin, { build: false });
    const { stdout, stderr } = await run(bin, pin.versionArgs, { timeout: 20_000 });
    return parseToolVersion(pin, `${stdout}\n${stderr}`) ?? undefined;
  } catch {
    return undefined;
  }
}

async function gitCommit(): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: PROJECT_ROOT, timeout: 10_000 });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, timeout: 10_000 });
    return `${stdout.trim()}${status.trim() ? '-dirty' : ''}`;
  } catch {
    return undefined;
  }
}
