/**
 * The api process's HTTP app: the auth, meeting and chat services as three fastify plugins (each
 * with its own PostgreSQL circuit breaker and `service` label), plus /health and /metrics.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { API } from '../../../lib/gomeet/contract.ts';
import type { ServiceEnv } from '../config/env.ts';
import type { AccessTokens } from '../shared/access-token.ts';
import { createDatabase } from '../shared/database.ts';
import { checkHealth } from '../shared/health.ts';
import type { Logger } from '../shared/log.ts';
import type { ServiceMetrics } from '../shared/metrics.ts';
import { authRoutes } from './auth-routes.ts';
import { chatRoutes } from './chat-routes.ts';
import { addFaultDelay } from './fault-delay.ts';
import { makeErrorHandler } from './http-error.ts';
import { acceptEmptyJsonBodies } from './json-body.ts';
import { meetingRoutes } from './meeting-routes.ts';

export interface ApiDeps {
  env: ServiceEnv;
  pool: pg.Pool;
  redis: Redis;
  metrics: ServiceMetrics;
  tokens: AccessTokens;
  log: Logger;
}

export async function buildApiApp(deps: ApiDeps): Promise<FastifyInstance> {
  const { env, pool, redis, metrics, tokens, log } = deps;
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    // While closing, answer 503 rather than hang new requests on a server that is going away.
    return503OnClosing: true,
  });
  app.setErrorHandler(makeErrorHandler(log));
  acceptEmptyJsonBodies(app);
  addFaultDelay(app, env.GOMEET_API_DELAY_MS);

  app.get(API.health, async (_request, reply) => {
    const report = await checkHealth('api', pool, redis);
    return reply.code(report.statusCode).send(report.body);
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  await app.register(authRoutes, { db: createDatabase(pool, 'auth', metrics), tokens, metrics });
  await app.register(meetingRoutes, {
    db: createDatabase(pool, 'meeting', metrics),
    redis,
    tokens,
    metrics,
    signalingPublicUrl: env.signalingPublicUrl,
    livekit: env.livekit,
  });
  await app.register(chatRoutes, { db: createDatabase(pool, 'chat', metrics), redis, tokens, metrics });
  return app;
}
