/**
 * Builds the StackContext for one invocation: where state lives, which ports (offset), secrets.
 * Flags beat environment variables beat defaults.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { STACK_HOST, stackPorts } from '../../stack/ports.ts';
import { UsageError } from '../exit-codes.ts';
import type { ProgressLog, StackContext } from './component.ts';
import { stackLayout } from './layout.ts';
import { loadOrCreateSecrets } from './secrets.ts';

export interface StackOptions {
  /** State directory; default GOMEET_STACK_DIR or .local/stack. */
  stateDir?: string;
  /** Every port shifted by this much; default GOMEET_STACK_PORT_OFFSET or 0. */
  portOffset?: number;
  /** GOMEET_API_DELAY_MS for the api (ms); default 0. */
  apiDelayMs?: number;
  /** Progress lines; default stdout. */
  onProgress?: ProgressLog;
}

function offsetFromEnv(): number {
  const raw = process.env.GOMEET_STACK_PORT_OFFSET;
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new UsageError(`GOMEET_STACK_PORT_OFFSET must be an integer, got "${raw}"`);
  return n;
}

export async function stackContext(opts: StackOptions = {}): Promise<StackContext> {
  const layout = stackLayout(opts.stateDir);
  let ports;
  try {
    ports = stackPorts(opts.portOffset ?? offsetFromEnv());
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // The root must be enterable by the postgres OS user (it owns the cluster dir inside it).
  await mkdir(layout.root, { recursive: true });
  await chmod(layout.root, 0o755);
  for (const dir of [layout.configDir, layout.runDir, layout.logDir, layout.dataDir]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
  }
  const apiDelayMs = opts.apiDelayMs ?? 0;
  if (!Number.isInteger(apiDelayMs) || apiDelayMs < 0 || apiDelayMs > 60_000) {
    throw new UsageError(`--api-delay-ms must be an integer from 0 to 60000, got ${opts.apiDelayMs}`);
  }
  return {
    layout,
    host: STACK_HOST,
    ports,
    secrets: await loadOrCreateSecrets(layout.secretsFile),
    apiDelayMs,
    onProgress: opts.onProgress ?? ((line) => console.log(line)),
  };
}
