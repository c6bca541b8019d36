/**
 * The environment the reference services (stack/services) are started with — the contract in
 * stack/services/config/env.ts, filled from the stack's ports and secrets. Secrets travel only here.
 */
import { postgresUrl } from '../clients/postgres.ts';
import type { StackContext } from './component.ts';

/** PostgreSQL connections per service process (GOMEET_PG_POOL); the signaling primary splits its
 *  share over its workers. Default 20. */
export const SERVICE_PG_POOL = 20;
/** Processes holding a pool: the api and the signaling primary. */
export const SERVICE_PG_PROCESSES = 2;
/** Load-test users the api seeds and target.yaml announces. */
export const LOADTEST_USERS = 1000;

export function pgUrl(ctx: StackContext): string {
  return postgresUrl({ host: ctx.host, port: ctx.ports.postgres, user: 'gomeet', password: ctx.secrets.GOMEET_PG_PASSWORD, database: 'gomeet' });
}

export const livekitUrl = (ctx: StackContext): string => `ws://${ctx.host}:${ctx.ports.livekitHttp}`;
export const signalingUrls = (ctx: StackContext): string[] => ctx.ports.signaling.map((p) => `ws://${ctx.host}:${p}/ws`);

export function serviceEnv(ctx: StackContext): Record<string, string> {
  return {
    GOMEET_PG_URL: pgUrl(ctx),
    GOMEET_PG_POOL: String(SERVICE_PG_POOL),
    GOMEET_REDIS_URL: `redis://${ctx.host}:${ctx.ports.redis}`,
    GOMEET_JWT_SECRET: ctx.secrets.GOMEET_JWT_SECRET,
    GOMEET_LOADTEST_PASSWORD: ctx.secrets.GOMEET_LOADTEST_PASSWORD,
    GOMEET_LOADTEST_USERS: String(LOADTEST_USERS),
    GOMEET_API_PORT: String(ctx.ports.api),
    GOMEET_SIGNALING_PORTS: ctx.ports.signaling.join(','),
    GOMEET_SIGNALING_PUBLIC_URL: signalingUrls(ctx)[0] as string,
    GOMEET_API_DELAY_MS: String(ctx.apiDelayMs),
    GOMEET_LIVEKIT_URL: livekitUrl(ctx),
    GOMEET_LIVEKIT_API_KEY: ctx.secrets.GOMEET_LIVEKIT_API_KEY,
    GOMEET_LIVEKIT_API_SECRET: ctx.secrets.GOMEET_LIVEKIT_API_SECRET,
  };
}
