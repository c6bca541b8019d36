/**
 * A throwaway Redis for integration tests: redis-server on its own 127.0.0.1 port, no persistence,
 * stopped on stop().
 *
 *   const redis = await startThrowawayRedis();      // redis.url = redis://127.0.0.1:<port>
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { stopChild, tailOf, track, trackDir, untrackDir } from './child-processes.ts';
import { freePort } from './free-port.ts';

const READY_TIMEOUT_MS = 15_000;

export interface ThrowawayRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ThrowawayRedisOptions {
  /** Default: a free port. */
  port?: number;
  /** maxmemory, e.g. '64mb' (the redis_memory_pct row needs one). Default: none. */
  maxmemory?: string;
}

export async function startThrowawayRedis(opts: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
  const port = opts.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'gomeet-redis-'));
  trackDir(dir);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  if (opts.maxmemory) args.push('--maxmemory', opts.maxmemory);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const output = tailOf(child);
  const stop = async () => {
    await stopChild(child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
    untrackDir(dir);
  };

  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return { url, port, stop };
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`throwaway Redis did not start: ${err instanceof Error ? err.message : String(err)}\n${output()}`);
      }
      await sleep(100);
    } finally {
      client.disconnect();
    }
  }
}
