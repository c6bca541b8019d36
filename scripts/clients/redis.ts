/** Redis and its Prometheus exporter — every command line for them. */
import { $ } from 'zx';
import type { Launch } from '../stack/process.ts';

const run = $({ quiet: true, nothrow: true });

export function redisServerLaunch(configFile: string): Launch {
  return { cmd: 'redis-server', args: [configFile] };
}

/** `redis-cli … <args>`; stdout trimmed, or null when the command failed. */
export async function redisCli(host: string, port: number, args: string[]): Promise<string | null> {
  const res = await run`redis-cli -h ${host} -p ${port} ${args}`;
  return res.exitCode === 0 ? res.stdout.trim() : null;
}

export async function redisPing(host: string, port: number): Promise<boolean> {
  return (await redisCli(host, port, ['ping'])) === 'PONG';
}

/** The value of one CONFIG GET parameter (e.g. maxclients after the fd cap lowered it). */
export async function redisConfigGet(host: string, port: number, name: string): Promise<string | null> {
  const out = await redisCli(host, port, ['config', 'get', name]);
  return out?.split('\n')[1]?.trim() ?? null;
}

export function redisExporterLaunch(host: string, port: number, redisPort: number): Launch {
  return {
    cmd: 'prometheus-redis-exporter',
    args: ['-redis.addr', `redis://${host}:${redisPort}`, '-web.listen-address', `${host}:${port}`],
  };
}
