// ensureTool's choices with small executables standing in for the tools: a wrong version is never
// used, a missing binary with build disabled is a one-line error, a k6 that cannot prove it was
// built from today's xk6/ source is not the suite's k6, and the pinned builds already in
// .local/tools are found fast (the "already there" path setup relies on).
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTool, hasPinnedVersion, projectLocalIsPinned } from '../../../scripts/tools/ensure.ts';
import { sourceHash } from '../../../scripts/tools/go-build.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { ensureLivekitServer } from '../../../scripts/tools/livekit-server.ts';
import { K6_PIN, LIVEKIT_SERVER_PIN } from '../../../scripts/tools/pins.ts';

let dir: string;

async function fakeTool(name: string, output: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\necho '${output}'\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ensure-tool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LIVEKIT_OK = 'livekit-server version 1.13.5';
const K6_SUITE = 'k6 v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n  gomeet-capacity/xk6/signaling , k6/x/gomeet [js]';

describe('hasPinnedVersion', () => {
  it('runs the binary and compares its version line (and, for k6, the suite\'s extension)', async () => {
    expect(await hasPinnedVersion(K6_PIN, await fakeTool('k6-ok', K6_SUITE))).toBe(true);
    expect(await hasPinnedVersion(K6_PIN, await fakeTool('k6-stock', 'k6 v2.2.0 (go1.26.8, linux/amd64)'))).toBe(false);
    expect(await hasPinnedVersion(K6_PIN, await fakeTool('k6-old', 'k6 v0.52.0 (go1.22.4, linux/amd64)'))).toBe(false);
    expect(await hasPinnedVersion(K6_PIN, join(dir, 'absent'))).toBe(false);
  });
});

describe('ensureTool', () => {
  it('uses a project-local binary whose version matches', async () => {
    const dest = await fakeTool('livekit-local', LIVEKIT_OK);
    expect(await ensureTool(LIVEKIT_SERVER_PIN, { dest, usePath: false, build: false })).toBe(dest);
  });

  it('refuses a wrong version instead of using it', async () => {
    const dest = await fakeTool('livekit-wrong', 'livekit-server version 1.13.4');
    await expect(ensureTool(LIVEKIT_SERVER_PIN, { dest, usePath: false, build: false })).rejects.toThrow(/livekit-server v1\.13\.5 not found.*gomeet-capacity setup/);
  });

  it('does not take a k6 that prints the right version and extension but has no stamp of today\'s xk6/ source', async () => {
    const dest = await fakeTool('k6-unstamped', K6_SUITE);
    expect(await projectLocalIsPinned(K6_PIN, dest)).toBe(false);
    await expect(ensureTool(K6_PIN, { dest, usePath: false, build: false })).rejects.toThrow(/k6 v2\.2\.0 not found.*gomeet-capacity setup/);
  });

  it('runs a project-local binary once, then trusts its stamp until the binary changes', async () => {
    const runs = join(dir, 'runs.log');
    const bin = join(dir, 'livekit-stamped');
    await writeFile(bin, `#!/bin/sh\necho run >> ${runs}\necho '${LIVEKIT_OK}'\n`);
    await chmod(bin, 0o755);
    expect(await projectLocalIsPinned(LIVEKIT_SERVER_PIN, bin)).toBe(true);
    expect(await projectLocalIsPinned(LIVEKIT_SERVER_PIN, bin)).toBe(true);
    expect((await readFile(runs, 'utf8')).trim().split('\n')).toHaveLength(1);
    // Replaced by another version: the stamp no longer matches, the binary is run and refused.
    await writeFile(bin, `#!/bin/sh\necho run >> ${runs}\necho 'livekit-server version 1.13.6'\n`);
    expect(await projectLocalIsPinned(LIVEKIT_SERVER_PIN, bin)).toBe(false);
    expect((await readFile(runs, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('takes the suite\'s k6 by a stamp naming the xk6/ source it was built from, and only that source', async () => {
    const bin = await fakeTool('k6-stamped', K6_SUITE);
    const st = await stat(bin);
    const stamp = { version: K6_PIN.version, size: st.size, mtimeMs: st.mtimeMs };
    await writeFile(`${bin}.pinned.json`, JSON.stringify({ ...stamp, source: await sourceHash(K6_PIN) }));
    expect(await projectLocalIsPinned(K6_PIN, bin)).toBe(true);
    // Built from an older source (the extension has been edited since): rebuild, do not use.
    await writeFile(`${bin}.pinned.json`, JSON.stringify({ ...stamp, source: '0000000000000000' }));
    expect(await projectLocalIsPinned(K6_PIN, bin)).toBe(false);
  });

  it('finds the pinned builds in .local/tools quickly', async () => {
    // PATH allowed: the pinned binaries may be found there or in .local/tools; either is the pin.
    const k6 = await ensureK6({ build: false });
    const livekit = await ensureLivekitServer({ build: false });
    expect(await hasPinnedVersion(K6_PIN, k6)).toBe(true);
    expect(await hasPinnedVersion(LIVEKIT_SERVER_PIN, livekit)).toBe(true);
    // Once verified (stamped), a later process only stats them.
    const started = Date.now();
    expect(await projectLocalIsPinned(K6_PIN, k6)).toBe(true);
    expect(await projectLocalIsPinned(LIVEKIT_SERVER_PIN, livekit)).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
