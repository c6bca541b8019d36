/**
 * The reference services behind the real gateway, for the rate-limit and circuit-breaker tests:
 * throwaway PostgreSQL (behind a fault proxy the test can cut) and Redis, the api and one signaling
 * worker, and haproxy with the limits the test chooses — all on free 127.0.0.1 ports, fresh
 * secrets in memory only.
 */
import { randomBytes } from 'node:crypto';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { freePorts } from '../../helpers/free-port.ts';
import { startThrowawayGateway, type ThrowawayGateway } from '../../helpers/throwaway-gateway.ts';
import { startThrowawayPostgres } from '../../helpers/throwaway-postgres.ts';
import { startThrowawayRedis } from '../../helpers/throwaway-redis.ts';
import { API_ENTRY, SIGNALING_ENTRY, startService, waitHealthy } from '../services/service-processes.ts';
import type { GatewayLimits } from '../../../stack/gateway/rate-limits.ts';

export interface GatewayTarget {
  gateway: ThrowawayGateway;
  /** PostgreSQL as the services reach it: cut() it to fail their database. */
  postgresLink: FaultProxy;
  password: string;
  stop(): Promise<void>;
}

export async function startGatewayTarget(limits: GatewayLimits): Promise<GatewayTarget> {
  const password = randomBytes(12).toString('base64url');
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const [pg, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
    started.push(pg, redis);
    const link = await startFaultProxy(Number(new URL(pg.url).port));
    started.push(link);
    const pgUrl = new URL(pg.url);
    pgUrl.port = String(link.port);
    const [apiPort, signalingPort] = await freePorts(2);
    const env = {
      GOMEET_PG_URL: pgUrl.toString(),
      GOMEET_REDIS_URL: redis.url,
      GOMEET_JWT_SECRET: randomBytes(32).toString('base64url'),
      GOMEET_LOADTEST_PASSWORD: password,
      GOMEET_LOADTEST_USERS: '5',
      GOMEET_API_PORT: String(apiPort),
      GOMEET_SIGNALING_PORTS: String(signalingPort),
      GOMEET_LOG_LEVEL: 'warn',
    };
    const api = startService(API_ENTRY, env);
    started.push(api);
    await waitHealthy(`http://127.0.0.1:${apiPort}/health`, api);
    const signaling = startService(SIGNALING_ENTRY, env);
    started.push(signaling);
    await waitHealthy(`http://127.0.0.1:${signalingPort}/health`, signaling);
    const gateway = await startThrowawayGateway({ apiPort: apiPort!, signalingPorts: [signalingPort!], limits });
    started.push(gateway);
    return { gateway, postgresLink: link, password, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
