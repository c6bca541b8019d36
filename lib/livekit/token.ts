/**
 * Minting LiveKit access tokens in Node (livekit-server-sdk's AccessToken). The key and secret come
 * from the environment variables the target names (`livekit.apiKeyEnv` / `apiSecretEnv`); they are
 * never written to a file, a log or a metric tag.
 */
import { AccessToken } from 'livekit-server-sdk';

export interface LiveKitCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface ParticipantGrant {
  room: string;
  identity: string;
  /** Display name (default: identity). */
  name?: string;
  canPublish?: boolean;
  canSubscribe?: boolean;
  /** Token lifetime in seconds (default 3600). */
  ttlSec?: number;
}

/** Reads the credentials from the named environment variables; the error names the variable, not a value. */
export function credentialsFromEnv(apiKeyEnv: string, apiSecretEnv: string, env: NodeJS.ProcessEnv = process.env): LiveKitCredentials {
  const apiKey = env[apiKeyEnv];
  const apiSecret = env[apiSecretEnv];
  if (!apiKey) throw new Error(`environment variable ${apiKeyEnv} (LiveKit API key) is not set`);
  if (!apiSecret) throw new Error(`environment variable ${apiSecretEnv} (LiveKit API secret) is not set`);
  return { apiKey, apiSecret };
}

/** A signed JWT that lets `identity` join `room`. */
export async function mintToken(creds: LiveKitCredentials, grant: ParticipantGrant): Promise<string> {
  const at = new AccessToken(creds.apiKey, creds.apiSecret, {
    identity: grant.identity,
    name: grant.name ?? grant.identity,
    ttl: grant.ttlSec ?? 3600,
  });
  at.addGrant({
    room: grant.room,
    roomJoin: true,
    canPublish: grant.canPublish ?? true,
    canSubscribe: grant.canSubscribe ?? true,
    canPublishData: true,
  });
  return at.toJwt();
}
