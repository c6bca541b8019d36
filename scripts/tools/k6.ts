/** The pinned k6: `ensureK6()` returns its path (PATH, then .local/tools/k6, else built). */
import { ensureTool, type EnsureToolOptions } from './ensure.ts';
import { K6_PIN } from './pins.ts';

export function ensureK6(opts?: EnsureToolOptions): Promise<string> {
  return ensureTool(K6_PIN, opts);
}
