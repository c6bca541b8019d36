/**
 * The target file: which GoMeet stack to load. YAML, validated by one schema; every error names
 * the bad field's path. Secrets are never in this file — it names the environment variables
 * that hold them (`*Env` fields).
 *
 * Example (what `gomeet-capacity stack up` writes for the local stack):
 *
 *   name: local-reference
 *   environment: local
 *   api: { baseUrl: http://127.0.0.1:18080 }
 *   signaling: { url: ws://127.0.0.1:18090/ws }
 *   livekit: { url: ws://127.0.0.1:17880, apiKeyEnv: GOMEET_LIVEKIT_API_KEY, apiSecretEnv: GOMEET_LIVEKIT_API_SECRET }
 *   prometheus: { url: http://127.0.0.1:19090 }          # + optional `queries: { cpu_pct: '<promql>' }`
 *   auth: { users: 1000, passwordEnv: GOMEET_LOADTEST_PASSWORD }
 *   turn: { urls: ['turn:127.0.0.1:13478?transport=udp'], secretEnv: GOMEET_TURN_SECRET }
 *   redis: { url: redis://127.0.0.1:16379 }
 *   postgres: { url: postgresql://gomeet@127.0.0.1:15432/gomeet, passwordEnv: GOMEET_PG_PASSWORD }
 *
 * turn, redis, postgres and pgbouncer are optional: infra-smoke checks what is given (a TURN
 * allocation, Redis maxclients and cluster state, replication lag, PgBouncer's pool) and says
 * what was not configured.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { isTurnUrl } from '../../infra-smoke/turn/turn-url.ts';
import { UsageError } from '../../scripts/exit-codes.ts';

const MAX_TARGET_BYTES = 256 * 1024;

function urlWith(schemes: string[]) {
  return z.string().refine(
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${schemes.join(' or ')}` },
  );
}

/** A PromQL expression: one query, bounded (a target file is not a place for a program). */
const promql = z.string().trim().min(1, 'must be a PromQL expression').max(4000).refine((q) => !/[\u0000-\u0008\u000b-\u001f]/.test(q), {
  message: 'must not contain control characters',
});

/** A connection URL that may name a user but never carries a password (that is a *Env field). */
function serverUrl(schemes: string[]) {
  // zod runs this refinement even when urlWith's failed: a string that is no URL must not throw here.
  return urlWith(schemes).refine((s) => URL.canParse(s) && new URL(s).password === '', { message: 'must not contain a password: name its variable in passwordEnv' });
}

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');

export const TargetSchema = z
  .object({
    /** Human name shown in reports. */
    name: z.string().min(1).max(100),
    /** `production` requires --confirm-production (issue 7). */
    environment: z.enum(['local', 'staging', 'production']).default('staging'),
    api: z.object({ baseUrl: urlWith(['http', 'https']) }).strict(),
    signaling: z
      .object({
        /** One URL, or several (e.g. one per listener) that sessions are spread over. */
        url: z.union([urlWith(['ws', 'wss']), z.array(urlWith(['ws', 'wss'])).min(1).max(64)]),
      })
      .strict(),
    livekit: z
      .object({
        url: urlWith(['ws', 'wss', 'http', 'https']),
        apiKeyEnv: envName.default('GOMEET_LIVEKIT_API_KEY'),
        apiSecretEnv: envName.default('GOMEET_LIVEKIT_API_SECRET'),
      })
      .strict(),
    prometheus: z
      .object({
        url: urlWith(['http', 'https']),
        /** Per server row, PromQL replacing the default of thresholds/queries.ts (e.g. a Kubernetes
         *  cluster's cAdvisor labels; docs/target-kubernetes.example.yaml). Same placeholders
         *  ($window, $rate), unit and shape as the default it replaces. Default: none. */
        queries: z
          .object({
            db_query_p95_ms: promql.optional(),
            redis_memory_pct: promql.optional(),
            cpu_pct: promql.optional(),
            memory_pct: promql.optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    influxdb: z
      .object({ url: urlWith(['http', 'https']), database: z.string().regex(/^[A-Za-z0-9_]+$/).default('k6') })
      .strict()
      .optional(),
    auth: z
      .object({
        /** Load-test users `loadtest-<n>@gomeet.local`, n < users, that exist on the target. */
        users: z.number().int().min(1).max(1_000_000).default(1000),
        passwordEnv: envName.default('GOMEET_LOADTEST_PASSWORD'),
      })
      .strict()
      .default({ users: 1000, passwordEnv: 'GOMEET_LOADTEST_PASSWORD' }),
    /** The TURN service clients are given (checked by a real Allocate). Default: none configured. */
    turn: z
      .object({
        /** TURN URIs (RFC 7065): turn:host[:port][?transport=udp|tcp] or turns:host[:port]. */
        urls: z.array(z.string().refine(isTurnUrl, { message: 'must be turn:host[:port][?transport=udp|tcp] or turns:host[:port]' })).min(1).max(16),
        /** Variable holding the TURN REST API shared secret (coturn's static-auth-secret). */
        secretEnv: envName.default('GOMEET_TURN_SECRET'),
        /** Lifetime of the credentials the check mints, seconds; default 300. */
        credentialTtlSec: z.number().int().min(10).max(86_400).default(300),
      })
      .strict()
      .optional(),
    /** One Redis node (in a cluster, any master): maxclients and CLUSTER INFO are read. Default: none. */
    redis: z.object({ url: serverUrl(['redis', 'rediss']), passwordEnv: envName.optional() }).strict().optional(),
    /** The PostgreSQL primary: pg_stat_replication is read (the role needs pg_monitor to see lag). */
    postgres: z.object({ url: serverUrl(['postgres', 'postgresql']), passwordEnv: envName.optional() }).strict().optional(),
    /** PgBouncer's admin console (database `pgbouncer`; the user is in its admin_users or stats_users). */
    pgbouncer: z.object({ url: serverUrl(['postgres', 'postgresql']), passwordEnv: envName.optional() }).strict().optional(),
  })
  .strict();

export type Target = z.infer<typeof TargetSchema>;

/** First issue as one line: `<path>: <message>`. */
export function describeIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

/** Text from the file (its name, a YAML message, a key) made safe for a one-line message. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Parse and validate target YAML text; throws UsageError naming the file and field. */
export function parseTarget(text: string, file = 'target'): Target {
  const name = oneLine(file);
  // Beyond the file limit the text is refused unread: the YAML parser is not linear in deep nesting.
  if (text.length > MAX_TARGET_BYTES) throw new UsageError(`${name}: target is ${text.length} characters, more than ${MAX_TARGET_BYTES}`);
  let doc: unknown;
  try {
    // Warnings (an unknown tag such as !foo, an unknown directive) are errors here: the parser would
    // otherwise print them on stderr and carry on with a guess.
    const parsed = parseDocument(text, { logLevel: 'silent', uniqueKeys: true });
    const problem = parsed.errors[0] ?? parsed.warnings[0];
    if (problem) throw problem;
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${name}: not valid YAML (${oneLine(msg ?? '')})`);
  }
  if (doc === null || doc === undefined) throw new UsageError(`${name}: empty target file`);
  const result = TargetSchema.safeParse(doc);
  if (!result.success) throw new UsageError(`${name}: ${oneLine(describeIssue(result.error))}`);
  return result.data;
}

export async function loadTarget(file: string): Promise<Target> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    throw new UsageError(`target file not found: ${oneLine(file)}`);
  }
  // A directory, a FIFO or /dev/zero: reading would fail (EISDIR) or never end.
  if (!info.isFile()) throw new UsageError(`${oneLine(file)}: not a regular file`);
  if (info.size > MAX_TARGET_BYTES) throw new UsageError(`${oneLine(file)}: target file is ${info.size} bytes, more than ${MAX_TARGET_BYTES}`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${oneLine(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseTarget(text, file);
}

/** Signaling URLs as a list, whatever the file used. */
export function signalingUrls(target: Target): string[] {
  return Array.isArray(target.signaling.url) ? target.signaling.url : [target.signaling.url];
}
