/**
 * The GoMeet stack on Kubernetes as the seed describes it, rendered as typed objects
 * (kubernetes-models: each one `.validate()`s against the Kubernetes OpenAPI schema offline):
 *
 *   namespaces + Secret   gomeet, gomeet-capacity; gomeet-secrets (generated per bring-up)
 *   databases             PostgreSQL 1 + 3, PgBouncer          postgres.ts
 *                         Redis cluster 6 + 6, its init Job     redis.ts
 *   applications          LiveKit SFU + HPA + livekit.yaml      livekit.ts
 *                         auth, meeting, signaling, chat, TURN  api-services.ts
 *                         Traefik + rate limits                 traefik.ts
 *   monitoring            Prometheus, Grafana, Alertmanager     monitoring.ts
 *   load-test side        InfluxDB; the k6-operator by URL      load-test.ts
 *
 * In the seed's deployment order (databases before the services that connect to them), which is
 * also the order `cluster up` waits for rollouts in.
 */
import { resolveOptions, type StackOptions } from './options.ts';
import { apiServices } from './api-services.ts';
import { influxdb, K6_OPERATOR_BUNDLE_URL } from './load-test.ts';
import { livekitSfu } from './livekit.ts';
import { monitoring } from './monitoring.ts';
import { namespaces, stackSecret } from './namespace.ts';
import { postgresCluster } from './postgres.ts';
import { redisCluster } from './redis.ts';
import { traefikGateway } from './traefik.ts';

/** What every kubernetes-models object offers; the kubectl client serialises it with toJSON. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
  validate(): void;
  toJSON(): unknown;
}

export interface RenderedStack {
  namespace: string;
  loadTestNamespace: string;
  /** Every object, in apply order. */
  objects: Manifest[];
  /** Upstream bundles applied by URL (the k6-operator). */
  bundleUrls: string[];
}

export function renderStack(options: StackOptions): RenderedStack {
  const o = resolveOptions(options);
  const objects: Manifest[] = [
    ...namespaces(o),
    stackSecret(o),
    ...postgresCluster(o),
    ...redisCluster(o),
    ...livekitSfu(o),
    ...apiServices(o),
    ...traefikGateway(o),
    ...monitoring(o),
    ...influxdb(o),
  ];
  return { namespace: o.namespace, loadTestNamespace: o.loadTestNamespace, objects, bundleUrls: [K6_OPERATOR_BUNDLE_URL] };
}

export { DEFAULT_IMAGES, type StackOptions, type StackSecrets } from './options.ts';
