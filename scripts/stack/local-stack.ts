/**
 * The local stack for `run`: `ensureLocalStack()` reuses a running healthy stack or brings it up,
 * and says which; `stopLocalStack()` stops it (run calls it only when it started the stack).
 */
import { UsageError } from '../exit-codes.ts';
import { stackContext, type StackOptions } from './context.ts';
import { stackDown } from './down.ts';
import { targetSecretsEnv } from './target-file.ts';
import { stackUp } from './up.ts';

export interface LocalStack {
  /** .local/stack/target.yaml (valid per lib/config/target.ts). */
  targetFile: string;
  /** The secrets the target's *Env fields name (password, LiveKit key/secret), for k6 and checks. */
  env: Record<string, string>;
  /** True when this call started any component (then the caller may stop the stack afterwards). */
  startedByUs: boolean;
}

export async function ensureLocalStack(opts: StackOptions = {}): Promise<LocalStack> {
  const ctx = await stackContext(opts);
  const result = await stackUp(ctx);
  if (result.skipped.length > 0) {
    // A run against a stack missing a service would measure nothing real.
    if (result.started.length > 0) await stackDown(ctx);
    throw new UsageError(`local stack incomplete: ${result.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
  }
  return { targetFile: result.targetFile, env: targetSecretsEnv(ctx), startedByUs: result.started.length > 0 };
}

export async function stopLocalStack(opts: StackOptions = {}): Promise<void> {
  await stackDown(await stackContext(opts));
}
