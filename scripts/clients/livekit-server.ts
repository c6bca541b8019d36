/**
 * livekit-server (the pinned build) — its command line. The API key pair is handed over in the
 * LIVEKIT_KEYS environment variable ("key: secret"), never in the config file or argv.
 */
import type { Launch } from '../stack/process.ts';
import { PROBE_TIMEOUT_MS } from '../stack/readiness.ts';

export function livekitServerLaunch(binary: string, configFile: string, apiKey: string, apiSecret: string): Launch {
  return { cmd: binary, args: ['--config', configFile], env: { LIVEKIT_KEYS: `${apiKey}: ${apiSecret}` } };
}

/** GET / answers 200 "OK" once the HTTP/WebSocket listener serves. */
export async function livekitReady(httpUrl: string): Promise<boolean> {
  try {
    const res = await fetch(httpUrl, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return res.status === 200 && (await res.text()).trim() === 'OK';
  } catch {
    return false;
  }
}
