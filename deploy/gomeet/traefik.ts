/**
 * The API gateway (the seed's section 4): Traefik with the file provider reading `traefik-dynamic`
 * — routers to the services, the rate limits ("1000 req/min API, 2000 req/min WebSocket", per
 * client IP) and a circuit breaker on every router — 6–15 replicas, the seed's limits, and the
 * LoadBalancer Service `traefik` whose IP the seed's DNS step reads.
 */

import { ConfigMap, Service } from 'kubernetes-models/v1';
import { stringify } from 'yaml';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { SERVICE_PORTS } from './api-services.ts';
import { deploymentOf } from './deployment.ts';
import { meta, selectorOf } from './labels.ts';
import { LIVEKIT_HTTP_PORT } from './livekit.ts';
import type { ResolvedOptions } from './options.ts';
import { hpaFor, resourcesOf, workloadSizing } from './sizing.ts';

export const TRAEFIK_WEB_PORT = 8000;
export const TRAEFIK_WEBSECURE_PORT = 8443;
/** "Circuit breakers untuk semua services": trip on 30 % network errors or 25 % 5xx. */
export const CIRCUIT_BREAKER = 'NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25';

/** Traefik's rateLimit: `average` requests per `period`; `burst` equal to the minute's figure lets a
 *  client spend its minute at once, so a 429 comes exactly past the limit, not from pacing. */
const rateLimit = (perMin: number) => ({ rateLimit: { average: perMin, period: '1m', burst: perMin } });

export function dynamicConfig(o: ResolvedOptions): Record<string, unknown> {
  const svc = (name: string, port: number) => ({ loadBalancer: { servers: [{ url: `http://${name}.${o.namespace}.svc.cluster.local:${port}` }] } });
  const api = (path: string) => `Host(\`api.${o.domain}\`) && PathPrefix(\`${path}\`)`;
  const apiMw = ['api-rate-limit', 'circuit-breaker'];
  return {
    http: {
      middlewares: {
        'api-rate-limit': rateLimit(SEED_SIZING.rateLimits.apiPerMin),
        'ws-rate-limit': rateLimit(SEED_SIZING.rateLimits.websocketPerMin),
        'circuit-breaker': { circuitBreaker: { expression: CIRCUIT_BREAKER } },
      },
      routers: {
        auth: { rule: api('/api/auth'), service: 'auth', middlewares: apiMw, entryPoints: ['websecure'] },
        meetings: { rule: api('/api/meetings'), service: 'meeting', middlewares: apiMw, entryPoints: ['websecure'] },
        chat: { rule: api('/api/chat'), service: 'chat', middlewares: apiMw, entryPoints: ['websecure'] },
        signaling: { rule: api('/ws'), service: 'signaling', middlewares: ['ws-rate-limit', 'circuit-breaker'], entryPoints: ['websecure'] },
        livekit: { rule: `Host(\`livekit.${o.domain}\`)`, service: 'livekit', middlewares: ['circuit-breaker'], entryPoints: ['websecure'] },
      },
      services: {
        auth: svc('auth-service', SERVICE_PORTS['auth-service']),
        meeting: svc('meeting-service', SERVICE_PORTS['meeting-service']),
        chat: svc('chat-service', SERVICE_PORTS['chat-service']),
        signaling: svc('signaling-service', SERVICE_PORTS['signaling-service']),
        livekit: svc('livekit-sfu', LIVEKIT_HTTP_PORT),
      },
    },
  };
}

export function traefikGateway(o: ResolvedOptions) {
  const w = workloadSizing('traefik');
  const config = new ConfigMap({ metadata: meta('traefik-dynamic', o.namespace, w.name), data: { 'dynamic.yaml': stringify(dynamicConfig(o)) } });
  const deployment = deploymentOf(w.name, o.namespace, w.replicas, {
    volumes: [{ name: 'dynamic', configMap: { name: 'traefik-dynamic' } }],
    containers: [
      {
        name: w.container,
        image: o.images.traefik,
        args: [
          `--entrypoints.web.address=:${TRAEFIK_WEB_PORT}`,
          `--entrypoints.websecure.address=:${TRAEFIK_WEBSECURE_PORT}`,
          '--entrypoints.websecure.http.tls=true',
          '--providers.file.directory=/etc/traefik/dynamic',
          '--providers.file.watch=true',
          '--metrics.prometheus=true',
          '--ping=true',
        ],
        ports: [
          { name: 'web', containerPort: TRAEFIK_WEB_PORT },
          { name: 'websecure', containerPort: TRAEFIK_WEBSECURE_PORT },
        ],
        resources: resourcesOf(w),
        readinessProbe: { httpGet: { path: '/ping', port: 8080 }, periodSeconds: 5 },
        volumeMounts: [{ name: 'dynamic', mountPath: '/etc/traefik/dynamic' }],
      },
    ],
  });
  const service = new Service({
    metadata: meta(w.name, o.namespace, w.name),
    spec: {
      type: 'LoadBalancer',
      selector: selectorOf(w.name),
      ports: [
        { name: 'web', port: 80, targetPort: TRAEFIK_WEB_PORT },
        { name: 'websecure', port: 443, targetPort: TRAEFIK_WEBSECURE_PORT },
      ],
    },
  });
  return [config, deployment, service, hpaFor(w, o.namespace)];
}
