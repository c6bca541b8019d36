/**
 * A throwaway gateway for integration tests: Debian's haproxy with the stack's own config
 * (stack/config/haproxy-cfg.ts) and Lua token bucket, on a free 127.0.0.1 port, in front of the
 * given api and signaling ports, with the limits the test chooses. Stopped on stop().
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderHaproxyCfg } from '../../stack/config/haproxy-cfg.ts';
import type { GatewayLimits } from '../../stack/gateway/rate-limits.ts';
import { TOKEN_BUCKET_LUA } from '../../scripts/stack/components/gateway.ts';
import { stopChild, tailOf, track, trackDir, untrackDir } from './child-processes.ts';
import { freePort } from './free-port.ts';

const READY_TIMEOUT_MS = 15_000;

export interface ThrowawayGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startThrowawayGateway(opts: { apiPort: number; signalingPorts: number[]; limits: GatewayLimits }): Promise<ThrowawayGateway> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'gomeet-gateway-'));
  trackDir(dir);
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(cfg, renderHaproxyCfg({ host: '127.0.0.1', port, apiPort: opts.apiPort, signalingPorts: opts.signalingPorts, limits: opts.limits, luaFile: TOKEN_BUCKET_LUA }));
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const output = tailOf(child);
  const stop = async () => {
    await stopChild(child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
    untrackDir(dir);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      // Its own client id: readiness polls must not spend the buckets a test probes.
      const res = await fetch(`${url}/health`, { headers: { 'X-Client-Id': 'gateway-readiness' }, signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, port, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`throwaway gateway did not start:\n${output()}`);
    }
    await sleep(100);
  }
}
