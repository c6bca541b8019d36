/**
 * The Secret values of one bring-up, generated here (the seed: "Create secrets (auto-generated
 * passwords)"). They exist in this process and in the cluster's Secret only: kubectl gets them on
 * stdin, dry runs print `<redacted>`, and the smoke step receives them as environment.
 */
import { randomBytes } from 'node:crypto';
import type { StackSecrets } from '../../deploy/gomeet/options.ts';

/** URL- and config-file-safe: no quote, no colon (LIVEKIT_KEYS is "key: secret"). */
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export function generateSecrets(): StackSecrets {
  return {
    postgresPassword: token(24),
    replicationPassword: token(24),
    jwtSecret: token(48),
    livekitApiKey: `API${token(9)}`,
    livekitApiSecret: token(32),
    turnSecret: token(32),
    grafanaAdminPassword: token(18),
  };
}

/** What infra-smoke reads the secrets from (the target's *Env names). */
export function smokeEnv(s: StackSecrets): Record<string, string> {
  return {
    GOMEET_LIVEKIT_API_KEY: s.livekitApiKey,
    GOMEET_LIVEKIT_API_SECRET: s.livekitApiSecret,
    GOMEET_TURN_SECRET: s.turnSecret,
    GOMEET_PG_PASSWORD: s.postgresPassword,
  };
}
