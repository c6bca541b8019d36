/**
 * Reads what the Redis checks need from one node: INFO (server, clients, cluster) and, when
 * clustered, CLUSTER INFO. INFO is used rather than CONFIG GET because managed Redis services often
 * rename or disable CONFIG; INFO clients carries `maxclients` since Redis 7.
 */
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { CHECK_TIMEOUT_MS } from '../check.ts';

export interface RedisFacts {
  version: string;
  maxClients: number;
  connectedClients: number;
  clusterEnabled: boolean;
  /** CLUSTER INFO as key → value, when clustered. */
  cluster?: Record<string, string>;
  /** Redis's pid, when the server runs on this machine (to read its open-file limit). */
  processId?: number;
}

/** `key:value` lines of INFO / CLUSTER INFO into a record (section headers and blanks dropped). */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0 || line.startsWith('#')) continue;
    out[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return out;
}

export async function readRedisFacts(url: string, password: string | undefined, signal: AbortSignal): Promise<RedisFacts> {
  const redis = new Redis(url, {
    password,
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    commandTimeout: CHECK_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    // One attempt: a pre-flight reports the failure instead of retrying into its own timeout.
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  const onAbort = () => redis.disconnect();
  signal.addEventListener('abort', onAbort, { once: true });
  // ioredis reports a refused connection as "Connection is closed."; the socket's own error says why.
  let socketError: Error | undefined;
  redis.on('error', (err: Error) => (socketError ??= err));
  try {
    await redis.connect().catch((err: unknown) => {
      throw socketError ?? err;
    });
    const info = parseInfo(await redis.info('everything'));
    const clusterEnabled = info.cluster_enabled === '1';
    const cluster = clusterEnabled ? parseInfo(String(await redis.call('CLUSTER', 'INFO'))) : undefined;
    return {
      version: info.redis_version ?? 'unknown',
      maxClients: Number(info.maxclients),
      connectedClients: Number(info.connected_clients),
      clusterEnabled,
      cluster,
      processId: info.process_id ? Number(info.process_id) : undefined,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    redis.disconnect();
  }
}

/** The soft open-file limit of a local process (/proc/<pid>/limits), or undefined if not readable. */
export async function openFileLimit(pid: number): Promise<number | undefined> {
  try {
    const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
    const m = /^Max open files\s+(\d+)/m.exec(limits);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
