/**
 * `gomeet-capacity stack up|down|status [--api-delay-ms N]`.
 *
 *   up      start what is not running (idempotent), write target.yaml; --api-delay-ms N restarts
 *           just the api with GOMEET_API_DELAY_MS=N (0 restores it)
 *   down    stop everything this manager started; data is kept
 *   status  one line per component; exit 0 when all are up, 1 otherwise
 *
 * State dir: GOMEET_STACK_DIR (default .local/stack). Ports: shifted by GOMEET_STACK_PORT_OFFSET.
 */
import { UsageError } from '../exit-codes.ts';
import { stackContext } from './context.ts';
import { stackDown } from './down.ts';
import { stackStatus } from './status.ts';
import { stackUp } from './up.ts';

export interface StackCommandFlags {
  /** From commander: the raw --api-delay-ms value. */
  apiDelayMs?: string;
}

export type StackAction = 'up' | 'down' | 'status';

function parseDelay(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 60_000) throw new UsageError(`--api-delay-ms must be an integer from 0 to 60000, got "${raw}"`);
  return n;
}

export async function stackCommand(action: StackAction, flags: StackCommandFlags = {}): Promise<number> {
  const apiDelayMs = parseDelay(flags.apiDelayMs);
  if (apiDelayMs !== undefined && action !== 'up') throw new UsageError('--api-delay-ms only applies to `stack up`');
  const ctx = await stackContext({ apiDelayMs });
  switch (action) {
    case 'up': {
      await stackUp(ctx, { restart: apiDelayMs !== undefined ? ['api'] : [] });
      return 0;
    }
    case 'down':
      await stackDown(ctx);
      return 0;
    case 'status': {
      const probes = await stackStatus(ctx);
      return probes.every((p) => p.state === 'up') ? 0 : 1;
    }
  }
}
