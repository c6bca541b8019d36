/**
 * kubectl found up front, before a bring-up starts half-way: a missing binary is a one-line
 * UsageError (exit 2) naming the fix, not a stack trace from the first call. A dry run needs none.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../exit-codes.ts';

/** The kubectl on PATH, or undefined. */
export function findKubectl(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, 'kubectl');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function requireKubectl(path?: string): string {
  const found = findKubectl(path);
  if (!found) throw new UsageError('kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and configure the context, or use --dry-run');
  return found;
}
