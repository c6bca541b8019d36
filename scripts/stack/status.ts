/** `stack status`: one line per component — up/down/unhealthy, pid, ports. */
import { formatPorts, type Component, type StackContext } from './component.ts';
import { COMPONENTS } from './components/index.ts';
import { probeAll, type ComponentProbe } from './probe.ts';

export function formatProbe(p: ComponentProbe, ctx: StackContext): string {
  const ports = formatPorts(p.component, ctx);
  const pid = p.pid === null ? '-' : String(p.pid);
  return `${p.component.name.padEnd(18)} ${p.state.padEnd(10)} pid ${pid.padEnd(8)} ${ports}`;
}

export async function stackStatus(ctx: StackContext, components: readonly Component[] = COMPONENTS): Promise<ComponentProbe[]> {
  const probes = await probeAll(components, ctx);
  for (const p of probes) ctx.onProgress(formatProbe(p, ctx));
  return probes;
}
