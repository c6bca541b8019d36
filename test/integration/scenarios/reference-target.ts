/**
 * A throwaway GoMeet target for the scenario tests: real PostgreSQL and Redis (test/helpers), the
 * real api and signaling services (stack/services) on free ports of 127.0.0.1 — never the main
 * local stack's ports — and fresh random secrets that exist only in this process's memory and the
 * children's environments.
 */
import { randomBytes } from 'node:crypto';
import { freePorts } from '../../helpers/free-port.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../helpers/throwaway-postgres.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../../helpers/throwaway-redis.ts';
import { API_ENTRY, SIGNALING_ENTRY, startService, waitHealthy, type ServiceProcess } from '../services/service-processes.ts';
import type { PlanTarget } from '../../../lib/gomeet/plan.ts';

export const PASSWORD_ENV = 'GOMEET_LOADTEST_PASSWORD';

export interface ReferenceTarget {
  target: PlanTarget;
  /** The secrets, so tests can prove they never leak. */
  secrets: { password: string; jwtSecret: string };
  /** What k6 needs in its environment (the password variable). */
  k6Env: Record<string, string>;
  stop(): Promise<void>;
}

export interface ReferenceTargetOptions {
  /** Load-test users seeded. Default 50. */
  users?: number;
  /** Signaling worker processes (one port each). Default 2. */
  signalingWorkers?: number;
  /** Fault knob: every API response this many ms late (GOMEET_API_DELAY_MS). Default 0. */
  apiDelayMs?: number;
}

export async function startReferenceTarget(opts: ReferenceTargetOptions = {}): Promise<ReferenceTarget> {
  const users = opts.users ?? 50;
  const password = randomBytes(12).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const pg: ThrowawayPostgres = await startThrowawayPostgres();
    started.push(pg);
    const redis: ThrowawayRedis = await startThrowawayRedis();
    started.push(redis);
    const [apiPort, ...signalingPorts] = await freePorts(1 + (opts.signalingWorkers ?? 2));
    const env = {
      GOMEET_PG_URL: pg.url,
      GOMEET_REDIS_URL: redis.url,
      GOMEET_JWT_SECRET: jwtSecret,
      [PASSWORD_ENV]: password,
      GOMEET_LOADTEST_USERS: String(users),
      GOMEET_API_PORT: String(apiPort),
      GOMEET_SIGNALING_PORTS: signalingPorts.join(','),
      GOMEET_LOG_LEVEL: 'warn',
      GOMEET_API_DELAY_MS: String(opts.apiDelayMs ?? 0),
    };
    const api: ServiceProcess = startService(API_ENTRY, env);
    started.push(api);
    await waitHealthy(`http://127.0.0.1:${apiPort}/health`, api);
    const signaling: ServiceProcess = startService(SIGNALING_ENTRY, env);
    started.push(signaling);
    for (const port of signalingPorts) await waitHealthy(`http://127.0.0.1:${port}/health`, signaling);
    return {
      target: {
        name: 'scenario-test',
        apiBaseUrl: `http://127.0.0.1:${apiPort}`,
        signalingUrls: signalingPorts.map((p) => `ws://127.0.0.1:${p}/ws`),
        users,
        passwordEnv: PASSWORD_ENV,
      },
      secrets: { password, jwtSecret },
      k6Env: { [PASSWORD_ENV]: password },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
