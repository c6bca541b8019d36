/** The pinned livekit-server: `ensureLivekitServer()` returns its path (PATH, then .local/tools, else built). */
import { ensureTool, type EnsureToolOptions } from './ensure.ts';
import { LIVEKIT_SERVER_PIN } from './pins.ts';

export function ensureLivekitServer(opts?: EnsureToolOptions): Promise<string> {
  return ensureTool(LIVEKIT_SERVER_PIN, opts);
}
