/**
 * Fault knob GOMEET_API_DELAY_MS: every API response waits that long before being handled, so a
 * test can prove a slow API comes out NO-GO. /health and /metrics are exempt: a slow target must
 * still look alive and be measurable.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

const EXEMPT_ROUTES = new Set(['/health', '/metrics']);

export function addFaultDelay(app: FastifyInstance, delayMs: number): void {
  if (delayMs <= 0) return;
  app.addHook('onRequest', async (request) => {
    if (EXEMPT_ROUTES.has(request.routeOptions.url ?? '')) return;
    await sleep(delayMs);
  });
}
