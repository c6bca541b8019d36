/**
 * Redis: loopback, no persistence, 256 MB noeviction, maxclients 50000 requested. Redis lowers
 * maxclients to (open-file limit − 32) when the process may not open that many files; the effective
 * value is read back and said plainly, since it caps the signaling fan-out at scale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { renderRedisConf } from '../../../stack/config/redis-conf.ts';
import { redisConfigGet, redisExporterLaunch, redisPing, redisServerLaunch } from '../../clients/redis.ts';
import { tcp, type Component } from '../component.ts';
import { configFileOf, dataDirOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { httpOk } from '../readiness.ts';

export const REDIS_MAX_CLIENTS = 50_000;

export const redis: Component = {
  name: 'redis',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.redis, 'redis')],
  processMarker: 'redis-server',
  readyTimeoutSec: 60,
  async start(ctx) {
    const dir = dataDirOf(ctx.layout, 'redis');
    await mkdir(dir, { recursive: true });
    const conf = configFileOf(ctx.layout, 'redis.conf');
    await writeFile(conf, renderRedisConf({ port: ctx.ports.redis, dir, maxClients: REDIS_MAX_CLIENTS }));
    return startDetached(redisServerLaunch(conf), logFileOf(ctx.layout, 'redis'), pidFileOf(ctx.layout, 'redis'));
  },
  healthy: (ctx) => redisPing(ctx.host, ctx.ports.redis),
  async afterReady(ctx) {
    const effective = Number(await redisConfigGet(ctx.host, ctx.ports.redis, 'maxclients'));
    if (effective < REDIS_MAX_CLIENTS) {
      return `redis: maxclients is ${effective}, not ${REDIS_MAX_CLIENTS}: the open-file limit (ulimit -Hn) caps it; raise the hard limit for more clients`;
    }
  },
};

export const redisExporter: Component = {
  name: 'redis-exporter',
  dependsOn: ['redis'],
  ports: (ctx) => [tcp(ctx.ports.redisExporter, 'redis-exporter')],
  processMarker: 'prometheus-redis-exporter',
  readyTimeoutSec: 60,
  start: (ctx) =>
    startDetached(redisExporterLaunch(ctx.host, ctx.ports.redisExporter, ctx.ports.redis), logFileOf(ctx.layout, 'redis-exporter'), pidFileOf(ctx.layout, 'redis-exporter')),
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.redisExporter}/metrics`),
};
