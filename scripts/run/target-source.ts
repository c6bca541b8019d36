/**
 * Where the run's target comes from: a target file the operator gave (secrets from their environment),
 * or the local reference stack, brought up by us if it is not running (secrets from its secrets file).
 * `release()` stops the local stack only if this run started it (unless --keep-stack).
 */
import type { Target } from '../../lib/config/target.ts';
import { loadTarget } from '../../lib/config/target.ts';
import { ensureLocalStack, stopLocalStack } from '../stack/local-stack.ts';
import { log } from './progress.ts';

export interface TargetSource {
  target: Target;
  /** Environment for checks and k6: the operator's, plus the local stack's secrets. */
  env: NodeJS.ProcessEnv;
  release(): Promise<void>;
}

export async function resolveTarget(given: Target | undefined, opts: { keepStack: boolean }): Promise<TargetSource> {
  if (given) return { target: given, env: process.env, release: async () => {} };
  log('stack', 'no --target: using the local reference stack');
  const stack = await ensureLocalStack({ onProgress: (line: string) => log('stack', line) });
  const target = await loadTarget(stack.targetFile);
  return {
    target,
    env: { ...process.env, ...stack.env },
    release: async () => {
      if (stack.startedByUs && !opts.keepStack) {
        log('stack', 'stopping the local stack this run started (--keep-stack leaves it up)');
        await stopLocalStack();
      }
    },
  };
}
