/**
 * Records every response of one service's routes into http_request_duration_seconds and
 * http_requests_total. Called inside each service's plugin, so fastify's encapsulation scopes the
 * hook to that service's routes and the `service` label is right by construction.
 * /health and /metrics live outside the plugins and are not recorded: scrapes are not API traffic.
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceMetrics, ServiceName } from '../shared/metrics.ts';

export function recordHttpMetrics(app: FastifyInstance, service: ServiceName, metrics: ServiceMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      service,
      method: request.method,
      // The templated route (/api/meetings/:id), never the raw URL: ids would explode cardinality.
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    // elapsedTime counts from the request's arrival, so it includes the fault-knob delay.
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    metrics.httpRequests.inc(labels);
  });
}
