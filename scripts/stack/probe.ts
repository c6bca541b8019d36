/** What one component is doing right now: its live pid (from its pidfile) and whether it serves. */
import type { Component, StackContext } from './component.ts';
import { pidFileOf } from './layout.ts';
import { livePid } from './process.ts';

export type ComponentState = 'up' | 'down' | 'unhealthy';

export interface ComponentProbe {
  component: Component;
  /** Pid of the process this manager started, if it is still alive. */
  pid: number | null;
  state: ComponentState;
}

export async function probeComponent(c: Component, ctx: StackContext): Promise<ComponentProbe> {
  const pid = await livePid(pidFileOf(ctx.layout, c.name), c.processMarker);
  if (pid === null) return { component: c, pid, state: 'down' };
  return { component: c, pid, state: (await c.healthy(ctx)) ? 'up' : 'unhealthy' };
}

export function probeAll(components: readonly Component[], ctx: StackContext): Promise<ComponentProbe[]> {
  return Promise.all(components.map((c) => probeComponent(c, ctx)));
}
