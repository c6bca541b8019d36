/**
 * LiveKit access tokens for the probes, minted with livekit-server-sdk from the API key and secret
 * (read by the caller from the environment variables the target names). Publishers may publish,
 * subscribers may only subscribe. The tokens go to k6 in GOMEET_PROBE_TOKENS, never into a file.
 */
import { AccessToken } from 'livekit-server-sdk';
import type { ProbeSpec } from './plan.ts';

export async function mintProbeTokens(probes: readonly ProbeSpec[], apiKey: string, apiSecret: string, ttlSec: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of probes) {
    const token = new AccessToken(apiKey, apiSecret, { identity: p.identity, name: `probe ${p.identity}`, ttl: ttlSec });
    token.addGrant({ room: p.room, roomJoin: true, canPublish: p.role === 'publisher', canSubscribe: true, canPublishData: false });
    out[p.identity] = await token.toJwt();
  }
  return out;
}
