/** Stopping one component: its own graceful stop if it has one (pg_ctl), else SIGTERM → SIGKILL. */
import type { Component, StackContext } from './component.ts';
import { pidFileOf } from './layout.ts';
import { isAlive, removePidFile, stopProcessGroup } from './process.ts';

/** Seconds a component gets to exit after SIGTERM before SIGKILL. */
export const STOP_GRACE_SEC = 10;

export async function stopComponent(c: Component, ctx: StackContext, pid: number): Promise<'stopped' | 'killed' | 'not running'> {
  if (c.stop) {
    try {
      await c.stop(ctx, pid);
    } catch (err) {
      ctx.onProgress(`  ! ${c.name}: graceful stop failed (${(err as Error).message}); signalling it`);
    }
  }
  // After a graceful stop this only sweeps up (and confirms) — the process should be gone.
  const how = (await isAlive(pid)) ? await stopProcessGroup(pid, STOP_GRACE_SEC * 1000) : c.stop ? 'stopped' : 'not running';
  await removePidFile(pidFileOf(ctx.layout, c.name));
  return how;
}
