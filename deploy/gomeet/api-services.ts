/**
 * GoMeet's API services (the seed's section 2): auth, meeting, signaling, chat and TURN, each a
 * Deployment with the seed's replicas and limits, a Service and `<name>-hpa` with its range, plus
 * `gomeet-services-config` (the pools' "500 max connections", Redis seeds, PgBouncer address).
 */

import { ConfigMap, Service } from 'kubernetes-models/v1';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { deploymentOf } from './deployment.ts';
import { meta, selectorOf } from './labels.ts';
import { fromSecret, SECRET_KEYS } from './namespace.ts';
import { GOMEET_SERVICES, serviceImage, type GoMeetService, type ResolvedOptions } from './options.ts';
import { PGBOUNCER_PORT } from './postgres.ts';
import { redisMasterAddresses } from './redis.ts';
import { hpaFor, resourcesOf, workloadSizing } from './sizing.ts';

/** Port each service listens on (signaling's WebSocket at /ws). */
export const SERVICE_PORTS: Record<GoMeetService, number> = {
  'auth-service': 8080,
  'meeting-service': 8080,
  'signaling-service': 8090,
  'chat-service': 8080,
};
export const TURN_PORT = 3478;
/** Relay ports of each TURN pod (hostNetwork, like the SFU's RTC range: relays are the node's). */
export const TURN_RELAY_PORTS = { min: 49152, max: 65535 } as const;

export function servicesConfig(o: ResolvedOptions): ConfigMap {
  return new ConfigMap({
    metadata: meta('gomeet-services-config', o.namespace, 'gomeet'),
    data: {
      DB_POOL_MAX_CONNECTIONS: String(SEED_SIZING.servicePoolMaxConnections),
      DATABASE_HOST: `pgbouncer.${o.namespace}.svc.cluster.local`,
      DATABASE_PORT: String(PGBOUNCER_PORT),
      REDIS_CLUSTER_NODES: redisMasterAddresses(o).join(','),
      LIVEKIT_URL: `wss://livekit.${o.domain}`,
      WS_COMPRESSION: 'true',
    },
  });
}

function apiService(o: ResolvedOptions, name: GoMeetService) {
  const w = workloadSizing(name);
  const port = SERVICE_PORTS[name];
  const deployment = deploymentOf(name, o.namespace, w.replicas, {
    containers: [
      {
        name: w.container,
        image: serviceImage(o, name),
        envFrom: [{ configMapRef: { name: 'gomeet-services-config' } }],
        env: [fromSecret('DATABASE_PASSWORD', SECRET_KEYS.postgresPassword), fromSecret('JWT_SECRET', SECRET_KEYS.jwtSecret), fromSecret('LIVEKIT_API_KEY', SECRET_KEYS.livekitApiKey), fromSecret('LIVEKIT_API_SECRET', SECRET_KEYS.livekitApiSecret), fromSecret('TURN_SECRET', SECRET_KEYS.turnSecret)],
        ports: [{ name: 'http', containerPort: port }],
        resources: resourcesOf(w),
        readinessProbe: { httpGet: { path: '/health', port }, periodSeconds: 5 },
      },
    ],
  });
  const service = new Service({ metadata: meta(name, o.namespace, name), spec: { selector: selectorOf(name), ports: [{ name: 'http', port, targetPort: port }] } });
  return [deployment, service, hpaFor(w, o.namespace)];
}

/** coturn with the TURN REST API (use-auth-secret): the credentials the services mint, the smoke's
 *  Allocate check (infra-smoke/checks/turn.ts) mints the same way. */
function turnService(o: ResolvedOptions) {
  const w = workloadSizing('turn-service');
  const deployment = deploymentOf(w.name, o.namespace, w.replicas, {
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    containers: [
      {
        name: w.container,
        image: o.images.coturn,
        // $(TURN_SECRET) is expanded by the kubelet from env, so the secret is never in the spec.
        args: ['-n', '--use-auth-secret', '--static-auth-secret=$(TURN_SECRET)', `--realm=${o.domain}`, `--listening-port=${TURN_PORT}`, `--min-port=${TURN_RELAY_PORTS.min}`, `--max-port=${TURN_RELAY_PORTS.max}`, '--no-cli', '--prometheus'],
        env: [fromSecret('TURN_SECRET', SECRET_KEYS.turnSecret)],
        ports: [
          { name: 'turn-udp', containerPort: TURN_PORT, protocol: 'UDP' },
          { name: 'turn-tcp', containerPort: TURN_PORT, protocol: 'TCP' },
        ],
        resources: resourcesOf(w),
      },
    ],
  });
  const service = new Service({
    metadata: meta(w.name, o.namespace, w.name),
    spec: {
      type: 'LoadBalancer',
      selector: selectorOf(w.name),
      ports: [
        { name: 'turn-udp', port: TURN_PORT, protocol: 'UDP' },
        { name: 'turn-tcp', port: TURN_PORT, protocol: 'TCP' },
      ],
    },
  });
  return [deployment, service, hpaFor(w, o.namespace)];
}

export function apiServices(o: ResolvedOptions) {
  return [servicesConfig(o), ...GOMEET_SERVICES.flatMap((name) => apiService(o, name)), ...turnService(o)];
}
