/**
 * Why the probes can do WebRTC at all in a namespace that holds only `lo` — the three cases, in the
 * real Chromium, in a namespace of this test's own:
 *
 *  - without --allow-loopback-in-peer-connection (camera permission granted): no candidate at all —
 *    libwebrtc leaves loopback out of the networks it gathers on, and there is no other network
 *  - with it, but no camera permission:    still none — Chromium offers host candidates only to a
 *    page holding media permission (else it would gather on the default route's address: none here)
 *  - with it and the permission:           a 127.0.0.1 host candidate; two peers connect on it
 *
 * The permission is granted by --use-fake-ui-for-media-stream; no getUserMedia call is needed.
 *
 * Needs root (ip netns).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleProbePage } from '../../../media/probe/bundle.ts';
import { CHROMIUM_FLAGS, k6BrowserEnv, CHROMIUM_BINARY } from '../../../media/probe/chromium.ts';
import { startLabChild, waitReady, type LabChild } from '../../../media/probe/lab-child.ts';
import { destroyNetns, ensureNetns } from '../../../scripts/clients/netns.ts';
import { PROJECT_ROOT } from '../../../scripts/tools/paths.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';

const isRoot = process.getuid?.() === 0;
const NETNS = 'gomeet-test-cands';

interface Gathered {
  camera: string;
  candidates: string[];
  pair: { local: string; remote: string } | null;
}

describe.skipIf(!isRoot || !existsSync(CHROMIUM_BINARY))('ICE candidates of Chromium in a lo-only namespace', () => {
  let server: LabChild;
  let pageUrl = '';
  let k6Path = '';

  beforeAll(async () => {
    k6Path = await ensureK6({ build: false });
    await ensureNetns(NETNS);
    server = startLabChild({ netns: NETNS, argv: [process.execPath, '--import', 'tsx', join(PROJECT_ROOT, 'media/probe/serve-page.ts'), '--dir', await bundleProbePage(), '--port', '0', '--max-sec', '240'], cwd: PROJECT_ROOT });
    pageUrl = (await waitReady<{ url: string }>(server, 30_000, 'page server')).url;
  });

  afterAll(async () => {
    await server?.stop();
    await destroyNetns(NETNS);
  });

  async function gather(flags: readonly string[]): Promise<Gathered> {
    const k6 = startLabChild({
      netns: NETNS,
      argv: [k6Path, 'run', '--no-usage-report', '--quiet', join(PROJECT_ROOT, 'test/integration/probe/scripts/gather-candidates.k6.js')],
      inheritEnv: false,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...k6BrowserEnv(flags), PAGE_URL: pageUrl },
    });
    const timer = setTimeout(() => void k6.stop(), 90_000);
    await k6.exited;
    clearTimeout(timer);
    const line = k6.lines().find((l) => l.includes('GATHERED '));
    if (!line) throw new Error(`no result:\n${k6.lines().slice(-15).join('\n')}`);
    const msg = /msg="GATHERED (.*)" source=console/.exec(line)?.[1] ?? '';
    return JSON.parse(JSON.parse(`"${msg}"`)) as Gathered;
  }

  const without = (flag: string) => CHROMIUM_FLAGS.filter((f) => f !== flag);

  it('gathers nothing without the loopback flag, even with the camera permission', async () => {
    const g = await gather(without('allow-loopback-in-peer-connection'));
    expect(g.camera).toBe('granted');
    expect(g.candidates).toEqual([]);
    expect(g.pair).toBeNull();
  }, 120_000);

  it('gathers nothing with the loopback flag but without the camera permission', async () => {
    const g = await gather(without('use-fake-ui-for-media-stream'));
    expect(g.camera).not.toBe('granted');
    expect(g.candidates).toEqual([]);
    expect(g.pair).toBeNull();
  }, 120_000);

  it('gathers a 127.0.0.1 host candidate with the flag and the permission, and connects on it', async () => {
    const g = await gather(CHROMIUM_FLAGS);
    expect(g.camera).toBe('granted');
    expect(g.candidates.length).toBeGreaterThan(0);
    for (const c of g.candidates) expect(c).toMatch(/ udp \d+ 127\.0\.0\.1 \d+ typ host /);
    expect(g.pair).toEqual({ local: '127.0.0.1', remote: '127.0.0.1' });
  }, 120_000);
});
