/** Drifts as a terminal table (object, field, expected, observed) with the seed's words under each. */
import type { Drift } from './compare.ts';

export function formatDrifts(drifts: Drift[], source: string): string {
  if (drifts.length === 0) return `conformance: ${source} matches the seed's sizing (no drift)`;
  const w = (k: keyof Drift) => Math.min(48, Math.max(k.length, ...drifts.map((d) => d[k].length)));
  const [wo, wf, we] = [w('object'), w('field'), w('expected')];
  const line = (o: string, f: string, e: string, v: string) => `${o.padEnd(wo)}  ${f.padEnd(wf)}  ${e.padEnd(we)}  ${v}`.trimEnd();
  const out = [`conformance: ${source}: ${drifts.length} drift${drifts.length === 1 ? '' : 's'} from the seed's sizing`, line('object', 'field', 'expected', 'observed')];
  for (const d of drifts) {
    out.push(line(d.object, d.field, d.expected, d.observed));
    out.push(`${''.padEnd(wo)}  seed: ${d.seed}`);
  }
  return out.join('\n');
}
