/**
 * The namespaces and the one Secret: GoMeet's (the seed's `gomeet`) and the load-test side's.
 * Secret values travel in stringData; the kubectl client redacts them whenever it prints.
 */
import { Namespace, Secret } from 'kubernetes-models/v1';
import { MANAGED_BY, meta } from './labels.ts';
import { DB_USER, type ResolvedOptions } from './options.ts';

export const SECRET_NAME = 'gomeet-secrets';

export function namespaces(o: ResolvedOptions): Namespace[] {
  return [o.namespace, o.loadTestNamespace].map((name) => new Namespace({ metadata: { name, labels: { ...MANAGED_BY } } }));
}

/** Keys the containers read by secretKeyRef. */
export const SECRET_KEYS = {
  postgresPassword: 'POSTGRES_PASSWORD',
  replicationPassword: 'REPLICATION_PASSWORD',
  jwtSecret: 'JWT_SECRET',
  livekitApiKey: 'LIVEKIT_API_KEY',
  livekitApiSecret: 'LIVEKIT_API_SECRET',
  turnSecret: 'TURN_SECRET',
  grafanaAdminPassword: 'GRAFANA_ADMIN_PASSWORD',
} as const;

export function stackSecret(o: ResolvedOptions): Secret {
  const s = o.secrets;
  return new Secret({
    metadata: meta(SECRET_NAME, o.namespace, 'gomeet'),
    type: 'Opaque',
    stringData: {
      ...Object.fromEntries(Object.entries(SECRET_KEYS).map(([field, key]) => [key, s[field as keyof typeof SECRET_KEYS]])),
      // LiveKit reads its key pair as one "key: secret" line (LIVEKIT_KEYS).
      LIVEKIT_KEYS: `${s.livekitApiKey}: ${s.livekitApiSecret}`,
      // PgBouncer's auth_file: the one application user, checked against PostgreSQL's password.
      'userlist.txt': `"${DB_USER}" "${s.postgresPassword}"\n`,
    },
  });
}

/** An env var from the stack Secret. */
export const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: SECRET_NAME, key } } });
