/**
 * The local stack's secrets: generated randomly once into `secrets.env` (mode 0600) and reused, so
 * a restarted stack keeps its users' password and tokens stay valid. They reach processes only
 * through environment variables — never a config file, command line or log.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';

export interface StackSecrets {
  /** HS256 key the API signs access tokens with. */
  GOMEET_JWT_SECRET: string;
  /** Shared password of the seeded `loadtest-<n>@gomeet.local` users. */
  GOMEET_LOADTEST_PASSWORD: string;
  /** livekit-server API key/secret pair (handed over in LIVEKIT_KEYS, not in livekit.yaml). */
  GOMEET_LIVEKIT_API_KEY: string;
  GOMEET_LIVEKIT_API_SECRET: string;
  /** Password of the `gomeet` PostgreSQL role the services and the exporter log in as. */
  GOMEET_PG_PASSWORD: string;
  /** coturn's `static-auth-secret`: TURN REST credentials are HMACs of it (the TURN check mints some). */
  GOMEET_TURN_SECRET: string;
}

const SECRET_NAMES = ['GOMEET_JWT_SECRET', 'GOMEET_LOADTEST_PASSWORD', 'GOMEET_LIVEKIT_API_KEY', 'GOMEET_LIVEKIT_API_SECRET', 'GOMEET_PG_PASSWORD', 'GOMEET_TURN_SECRET'] as const;

// URL-safe alphabet so a secret can sit in a connection URL or YAML without escaping.
const random = (bytes: number): string => randomBytes(bytes).toString('base64url');

function generate(): StackSecrets {
  return {
    GOMEET_JWT_SECRET: random(48),
    GOMEET_LOADTEST_PASSWORD: random(18),
    // livekit-server wants key and secret as plain tokens; its secret must be ≥ 32 characters.
    GOMEET_LIVEKIT_API_KEY: `API${randomBytes(8).toString('hex')}`,
    GOMEET_LIVEKIT_API_SECRET: random(36),
    GOMEET_PG_PASSWORD: random(24),
    GOMEET_TURN_SECRET: random(32),
  };
}

/** Reads secrets.env, filling in (and saving) any secret it lacks; creates it on first use. */
export async function loadOrCreateSecrets(file: string): Promise<StackSecrets> {
  let existing: Record<string, string | undefined> = {};
  try {
    existing = parseEnv(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fresh = generate();
  const secrets = {} as StackSecrets;
  let changed = false;
  for (const name of SECRET_NAMES) {
    const have = existing[name];
    if (have) secrets[name] = have;
    else {
      secrets[name] = fresh[name];
      changed = true;
    }
  }
  if (changed) {
    const body = SECRET_NAMES.map((n) => `${n}=${secrets[n]}`).join('\n');
    await writeFile(file, `# Local stack secrets, generated once. Never commit or print this file.\n${body}\n`, { mode: 0o600 });
  }
  // writeFile's mode applies only on creation; an existing file keeps its mode, so tighten it.
  await chmod(file, 0o600);
  return secrets;
}
