/**
 * LiveKit SFU (the seed's section 1): a Deployment `livekit-sfu` of one pod per SFU node
 * (hostNetwork: WebRTC's UDP range 10000–20000 is the node's own), its config `livekit.yaml`
 * (Redis cluster for multi-node routing, 500 participants a room), a Service for the HTTP/WebSocket
 * port, and `livekit-sfu-hpa` (15–50, CPU 70 % or 400 participants per node).
 */

import type { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { stringify } from 'yaml';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { deploymentOf } from './deployment.ts';
import { meta, selectorOf } from './labels.ts';
import { fromSecret, SECRET_KEYS } from './namespace.ts';
import type { ResolvedOptions } from './options.ts';
import { redisMasterAddresses } from './redis.ts';
import { hpaFor, nodePool, poolResources, poolSelector, workloadSizing } from './sizing.ts';

export const LIVEKIT_HTTP_PORT = 7880;
export const LIVEKIT_TCP_PORT = 7881;
export const LIVEKIT_METRICS_PORT = 6789;
/** The seed: "WebRTC port range: 10000-20000". */
export const RTC_PORT_RANGE = { start: 10000, end: 20000 } as const;

export function livekitConfig(o: ResolvedOptions): ConfigMap {
  const config = {
    port: LIVEKIT_HTTP_PORT,
    prometheus_port: LIVEKIT_METRICS_PORT,
    rtc: { tcp_port: LIVEKIT_TCP_PORT, port_range_start: RTC_PORT_RANGE.start, port_range_end: RTC_PORT_RANGE.end, use_external_ip: true },
    redis: { cluster_addresses: redisMasterAddresses(o) },
    room: { max_participants: SEED_SIZING.loadTest.participantsPerMeeting, empty_timeout: 300 },
    turn: { enabled: false },
  };
  return new ConfigMap({ metadata: meta('livekit-config', o.namespace, 'livekit-sfu'), data: { 'livekit.yaml': stringify(config) } });
}

export function livekitSfu(o: ResolvedOptions): Array<Deployment | Service | ConfigMap | ReturnType<typeof hpaFor>> {
  const w = workloadSizing('livekit-sfu');
  const pool = nodePool('sfu');
  // Set although an HPA owns it afterwards: the seed starts at 25, not at the HPA's floor.
  const deployment = deploymentOf(w.name, o.namespace, w.replicas, {
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    nodeSelector: poolSelector(pool),
    volumes: [{ name: 'config', configMap: { name: 'livekit-config' } }],
    containers: [
      {
        name: w.container,
        image: o.images.livekit,
        args: ['--config', '/etc/livekit/livekit.yaml'],
        env: [fromSecret('LIVEKIT_KEYS', 'LIVEKIT_KEYS'), fromSecret('LIVEKIT_API_KEY', SECRET_KEYS.livekitApiKey)],
        ports: [
          { name: 'http', containerPort: LIVEKIT_HTTP_PORT },
          { name: 'rtc-tcp', containerPort: LIVEKIT_TCP_PORT },
          { name: 'metrics', containerPort: LIVEKIT_METRICS_PORT },
        ],
        resources: poolResources(pool),
        volumeMounts: [{ name: 'config', mountPath: '/etc/livekit' }],
        readinessProbe: { httpGet: { path: '/', port: LIVEKIT_HTTP_PORT }, periodSeconds: 5 },
      },
    ],
  });
  const service = new Service({
    metadata: meta(w.name, o.namespace, w.name),
    spec: { selector: selectorOf(w.name), ports: [{ name: 'http', port: LIVEKIT_HTTP_PORT, targetPort: LIVEKIT_HTTP_PORT }] },
  });
  return [livekitConfig(o), deployment, service, hpaFor(w, o.namespace)];
}
