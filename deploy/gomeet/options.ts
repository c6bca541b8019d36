/**
 * What a GoMeet stack on Kubernetes is rendered with: one options object. Sizes are not here —
 * replicas, HPA ranges and limits come from thresholds/sizing.ts, so a fresh deployment conforms
 * to the seed by construction (`smoke --conformance` finds no drift in it).
 *
 * Defaults (every field may be left out except `secrets`):
 *   namespace          gomeet                 the seed's (`kubectl get pods -n gomeet`)
 *   loadTestNamespace  gomeet-capacity        InfluxDB and the TestRuns (`run --cluster`'s default)
 *   domain             gomeet.com             api.<domain>, livekit.<domain>, grafana.<domain> routes
 *   registry           gomeet                 GoMeet's own images: <registry>/<service>:<imageTag>
 *   imageTag           v2.0.0                 the one version the seed names (`gomeet/auth-service:v2.0.0`)
 *   images             DEFAULT_IMAGES          third-party images, each replaceable by key
 */

/** Third-party images, pinned (a moving tag would make two bring-ups different stacks). */
export const DEFAULT_IMAGES = {
  livekit: 'livekit/livekit-server:v1.8.4',
  coturn: 'coturn/coturn:4.6.3',
  traefik: 'traefik:v3.1.7',
  postgres: 'postgres:16.6',
  /** Runs `pgbouncer FILE` as its own user (the bitnami image keeps the binary off PATH). */
  pgbouncer: 'edoburu/pgbouncer:v1.25.1-p0',
  redis: 'redis:7.4.1',
  prometheus: 'prom/prometheus:v2.55.1',
  grafana: 'grafana/grafana:11.3.1',
  alertmanager: 'prom/alertmanager:v0.27.0',
  /** 1.x: k6's built-in `--out influxdb` speaks the v1 write API (scripts/run/load/runner-args.ts). */
  influxdb: 'influxdb:1.8.10',
} as const;

export type ImageKey = keyof typeof DEFAULT_IMAGES;

/** GoMeet's own services, each image `<registry>/<name>:<imageTag>`. */
export const GOMEET_SERVICES = ['auth-service', 'meeting-service', 'signaling-service', 'chat-service'] as const;
export type GoMeetService = (typeof GOMEET_SERVICES)[number];

/** The application's database role (and database): the services log in as it through PgBouncer. */
export const DB_USER = 'gomeet';

/** Generated per bring-up (the seed: "Secrets include: DB passwords, API keys, JWT secrets, TURN credentials"). */
export interface StackSecrets {
  postgresPassword: string;
  replicationPassword: string;
  jwtSecret: string;
  livekitApiKey: string;
  livekitApiSecret: string;
  turnSecret: string;
  grafanaAdminPassword: string;
}

export interface StackOptions {
  namespace?: string;
  loadTestNamespace?: string;
  domain?: string;
  registry?: string;
  imageTag?: string;
  images?: Partial<Record<ImageKey, string>>;
  secrets: StackSecrets;
}

export type ResolvedOptions = Required<Omit<StackOptions, 'images'>> & { images: Record<ImageKey, string> };

export function resolveOptions(o: StackOptions): ResolvedOptions {
  return {
    namespace: o.namespace ?? 'gomeet',
    loadTestNamespace: o.loadTestNamespace ?? 'gomeet-capacity',
    domain: o.domain ?? 'gomeet.com',
    registry: o.registry ?? 'gomeet',
    imageTag: o.imageTag ?? 'v2.0.0',
    images: { ...DEFAULT_IMAGES, ...o.images },
    secrets: o.secrets,
  };
}

export const serviceImage = (o: ResolvedOptions, name: GoMeetService): string => `${o.registry}/${name}:${o.imageTag}`;
