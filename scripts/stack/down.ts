/**
 * `stack down`: stop every component this manager started (found by pidfile), dependents before
 * what they depend on, independent ones together. Data dirs stay; `up` resumes from them.
 */
import type { Component, StackContext } from './component.ts';
import { COMPONENTS } from './components/index.ts';
import { pidFileOf } from './layout.ts';
import { probeComponent } from './probe.ts';
import { removePidFile } from './process.ts';
import { stopComponent } from './stop.ts';

export async function stackDown(ctx: StackContext, components: readonly Component[] = COMPONENTS): Promise<string[]> {
  const t0 = Date.now();
  const stopped: string[] = [];
  const done = new Map<string, Promise<void>>();
  const dependentsOf = (name: string) => components.filter((c) => c.dependsOn.includes(name));
  const stopOne = (c: Component): Promise<void> => {
    let p = done.get(c.name);
    if (!p) {
      p = (async () => {
        await Promise.all(dependentsOf(c.name).map(stopOne));
        const probe = await probeComponent(c, ctx);
        if (probe.pid === null) {
          await removePidFile(pidFileOf(ctx.layout, c.name));
          return;
        }
        const how = await stopComponent(c, ctx, probe.pid);
        stopped.push(c.name);
        ctx.onProgress(`  ✓ ${c.name.padEnd(17)} ${how} (pid ${probe.pid})`);
      })();
      done.set(c.name, p);
    }
    return p;
  };
  await Promise.all(components.map(stopOne));
  ctx.onProgress(stopped.length > 0 ? `stack: down in ${((Date.now() - t0) / 1000).toFixed(1)} s (data kept in ${ctx.layout.dataDir})` : 'stack: nothing was running');
  return stopped;
}
