/**
 * The LiveKit signal client in real k6: the same protocol module as the Node bots, bundled by
 * esbuild with @livekit/protocol and driven by k6/websockets, against the pinned livekit-server in
 * a media lab (reached from the host through the bridge, as the signaling-plane scenarios do).
 * Asserts joins and RTTs are measured, that a wrong token is a counted failure with its reason (k6
 * says only "bad handshake"; the transport asks /rtc/validate why), that nothing listening is
 * `refused`, and that no access token reaches a metric tag (k6 tags WebSocket metrics with the URL).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../../lib/livekit/token.ts';
import { startMediaLab, type MediaLab } from '../../../media/lab/lab.ts';
import { freeLoopbackPort } from '../../../scripts/clients/socat.ts';
import { ensureK6 } from '../../../scripts/tools/k6.ts';
import { PORTS } from '../../../stack/ports.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const SCRIPT = fileURLToPath(new URL('./fixtures/livekit-signal.k6.js', import.meta.url));
const API_KEY = 'k6key';
const API_SECRET = `k6-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-secret-padding`;

interface K6Summary {
  metrics: Record<string, { values: Record<string, number> }>;
}

async function k6Run(bundle: string, env: Record<string, string>): Promise<{ summary: K6Summary; out: string; json: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gm-k6lk-'));
  const summaryFile = join(dir, 'summary.json');
  const jsonOut = join(dir, 'points.json');
  const k6 = await ensureK6({ build: false });
  const res = await run(k6, ['run', '--quiet', '--no-usage-report', '--summary-trend-stats', 'min,max,count,p(95)', '--out', `json=${jsonOut}`, bundle], {
    env: { ...process.env, ...env, SUMMARY_FILE: summaryFile },
    timeout: 90_000,
  }).catch((e: { stdout: string; stderr: string }) => e);
  const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as K6Summary;
  const json = await readFile(jsonOut, 'utf8');
  await rm(dir, { recursive: true, force: true });
  return { summary, out: `${res.stdout}\n${res.stderr}`, json };
}

describe.skipIf(!isRoot)('LiveKit signaling from k6 (k6/websockets transport)', () => {
  let dir = '';
  let lab: MediaLab;
  let bundle = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-k6sig-'));
    lab = await startMediaLab({
      netns: 'gomeet-test-k6sig',
      dir,
      httpPort: PORTS.livekitHttp,
      udpPort: PORTS.livekitUdp,
      prometheusPort: PORTS.livekitPrometheus,
      hostHttpPort: 0,
      hostPrometheusPort: 0,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    });
    bundle = join(dir, 'livekit-signal.js');
    await build({ entryPoints: [SCRIPT], outfile: bundle, bundle: true, format: 'esm', platform: 'neutral', target: 'es2020', external: ['k6', 'k6/*'], logLevel: 'silent' });
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every VU joins, measures join time and RTT; no token in any tag', async () => {
    const creds = { apiKey: API_KEY, apiSecret: API_SECRET };
    const tokens = await Promise.all([0, 1, 2, 3].map((i) => mintToken(creds, { room: 'k6-room', identity: `k6-${i}`, canPublish: false })));
    const { summary, out, json } = await k6Run(bundle, { LK_URL: lab.hostUrl, LK_TOKENS: JSON.stringify(tokens), LK_ROOM: 'k6-room' });
    expect(out).not.toMatch(/join failed/);
    const m = summary.metrics;
    expect(m.gomeet_livekit_join_ms?.values.count).toBe(4);
    expect(m.gomeet_livekit_join_ms?.values.max).toBeGreaterThan(0);
    expect(m.gomeet_livekit_rtt_ms?.values.count).toBe(4);
    expect(m.gomeet_livekit_rtt_ms?.values.max).toBeLessThan(2000);
    expect(m.gomeet_livekit_join_failed).toBeUndefined();
    // The k6 WebSocket metrics exist, grouped by name; no token in any tag or value.
    expect(json).toMatch(/"metric":"ws_sessions".*"name":"livekit-signal"/);
    expect(json).not.toMatch(/access_token=[A-Za-z0-9]/);
    for (const t of tokens) expect(json).not.toContain(t);
  });

  it('a token signed with the wrong secret is a counted failure with reason unauthorized', async () => {
    const bad = await mintToken({ apiKey: API_KEY, apiSecret: `${API_SECRET}-wrong` }, { room: 'k6-room', identity: 'k6-bad' });
    const { summary, out } = await k6Run(bundle, { LK_URL: lab.hostUrl, LK_TOKENS: JSON.stringify([bad]), LK_ROOM: 'k6-room' });
    expect(summary.metrics.gomeet_livekit_join_failed?.values.count).toBe(1);
    expect(out).toMatch(/join failed: unauthorized/);
    expect(out).not.toContain(bad);
  });

  it('a port nobody serves is a counted failure with reason refused', async () => {
    const good = await mintToken({ apiKey: API_KEY, apiSecret: API_SECRET }, { room: 'k6-room', identity: 'k6-lost' });
    const { summary, out } = await k6Run(bundle, { LK_URL: `ws://127.0.0.1:${await freeLoopbackPort()}`, LK_TOKENS: JSON.stringify([good]), LK_ROOM: 'k6-room' });
    expect(summary.metrics.gomeet_livekit_join_failed?.values.count).toBe(1);
    expect(out).toMatch(/join failed: refused/);
  });
});
