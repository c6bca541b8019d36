/**
 * The services' whole configuration: environment variables only (README.md has the table).
 * Secrets (JWT secret, load-test password, LiveKit secret) arrive here and are never logged.
 *
 * A missing or malformed variable is a usage error: `loadServiceEnv` throws EnvError with a
 * one-line message, and `serviceEnvOrExit` prints it and exits 2, before anything is started.
 */
import { z } from 'zod';

export class EnvError extends Error {
  override name = 'EnvError';
}

const port = z.coerce.number().int().min(1).max(65535);

const portList = z
  .string()
  .transform((s, ctx) => {
    const ports = s.split(',').map((p) => Number(p.trim()));
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of ports' });
      return z.NEVER;
    }
    if (new Set(ports).size !== ports.length) {
      ctx.addIssue({ code: 'custom', message: 'lists a port twice' });
      return z.NEVER;
    }
    return ports;
  });

function urlWithScheme(schemes: string[]) {
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

const EnvSchema = z.object({
  /** PostgreSQL connection URL (credentials may be in it: it comes from the environment, never a file). */
  GOMEET_PG_URL: urlWithScheme(['postgres', 'postgresql']).default('postgres://gomeet@127.0.0.1:15432/gomeet'),
  /** PostgreSQL connections per api process; the signaling primary splits it across its workers. Default 20. */
  GOMEET_PG_POOL: z.coerce.number().int().min(1).max(1000).default(20),
  GOMEET_REDIS_URL: urlWithScheme(['redis']).default('redis://127.0.0.1:16379'),
  /** HS256 secret shared by the api (signs) and signaling (verifies). Required. */
  GOMEET_JWT_SECRET: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  /** The shared password of the load-test users. Required. */
  GOMEET_LOADTEST_PASSWORD: z.string({ error: 'is required' }).min(1, 'is required'),
  /** Load-test users seeded: loadtest-0..N-1@gomeet.local. Default 1000. */
  GOMEET_LOADTEST_USERS: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  /** API listen port on 127.0.0.1. Default 18080. */
  GOMEET_API_PORT: port.default(18080),
  /** One signaling worker per port, each listening on 127.0.0.1. Default 18090,18091,18092,18093. */
  GOMEET_SIGNALING_PORTS: portList.default([18090, 18091, 18092, 18093]),
  /** What meeting join returns as signalingUrl. Default ws://127.0.0.1:<first signaling port>/ws. */
  GOMEET_SIGNALING_PUBLIC_URL: urlWithScheme(['ws', 'wss']).optional(),
  /** Seconds between client heartbeats; a session silent for 3 intervals is closed (4002). Default 15. */
  GOMEET_HEARTBEAT_SEC: z.coerce.number().positive().max(3600).default(15),
  /** Fault knob: every API response (not /health, /metrics) is delayed this many ms. Default 0. */
  GOMEET_API_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Seconds an access token is valid. Default 900. */
  GOMEET_ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(10).max(86_400).default(900),
  GOMEET_LIVEKIT_URL: urlWithScheme(['ws', 'wss', 'http', 'https']).optional(),
  GOMEET_LIVEKIT_API_KEY: z.string().min(1).optional(),
  GOMEET_LIVEKIT_API_SECRET: z.string().min(1).optional(),
  /** debug | info | warn | error. Default info. */
  GOMEET_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type ServiceEnv = z.infer<typeof EnvSchema> & {
  /** Resolved signalingUrl returned by meeting join. */
  signalingPublicUrl: string;
  /** LiveKit settings when all three variables are set, else undefined (join then omits `livekit`). */
  livekit: { url: string; apiKey: string; apiSecret: string } | undefined;
};

/** Parse the environment; throws EnvError naming the first bad variable (never its value). */
export function loadServiceEnv(env: Record<string, string | undefined>): ServiceEnv {
  // Empty strings mean "unset", as in a shell `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('GOMEET_') && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') || 'environment';
    throw new EnvError(`${name} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  const lk = [e.GOMEET_LIVEKIT_URL, e.GOMEET_LIVEKIT_API_KEY, e.GOMEET_LIVEKIT_API_SECRET];
  const lkSet = lk.filter((v) => v !== undefined).length;
  if (lkSet !== 0 && lkSet !== 3) {
    throw new EnvError('GOMEET_LIVEKIT_URL, GOMEET_LIVEKIT_API_KEY and GOMEET_LIVEKIT_API_SECRET must be set together');
  }
  return {
    ...e,
    signalingPublicUrl: e.GOMEET_SIGNALING_PUBLIC_URL ?? `ws://127.0.0.1:${e.GOMEET_SIGNALING_PORTS[0]}/ws`,
    livekit:
      lkSet === 3
        ? { url: e.GOMEET_LIVEKIT_URL!, apiKey: e.GOMEET_LIVEKIT_API_KEY!, apiSecret: e.GOMEET_LIVEKIT_API_SECRET! }
        : undefined,
  };
}

/** For entry points: the parsed env, or `error: <one line>` on stderr and exit 2. */
export function serviceEnvOrExit(): ServiceEnv {
  try {
    return loadServiceEnv(process.env);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`error: ${err.message}`);
    process.exit(2);
  }
}
