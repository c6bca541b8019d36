/**
 * The LiveKit part of a join: a room token minted server-side with livekit-server-sdk.
 * Room name = meeting id; identity = the participant id (user id + random suffix), so one user can
 * be in a room twice (two tabs, or a load test reusing users).
 */
import { AccessToken } from 'livekit-server-sdk';

export interface LivekitSettings {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** Long enough for the longest profile's hold window plus ramp. */
const TOKEN_TTL_SEC = 6 * 3600;

export async function mintLivekitJoin(
  lk: LivekitSettings,
  meetingId: string,
  participantId: string,
  displayName: string,
): Promise<{ url: string; room: string; token: string }> {
  const token = new AccessToken(lk.apiKey, lk.apiSecret, { identity: participantId, name: displayName, ttl: TOKEN_TTL_SEC });
  token.addGrant({ roomJoin: true, room: meetingId, canPublish: true, canSubscribe: true, canPublishData: true });
  return { url: lk.url, room: meetingId, token: await token.toJwt() };
}
