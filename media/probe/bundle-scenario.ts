/**
 * Bundles scenarios/sfu-probes.ts alone (the probe runner needs only it, and must not fail because
 * another scenario is mid-edit), with the same esbuild settings as scripts/bundle.ts: ESM, k6 and
 * k6/* left as imports, syntax lowered to what k6's runtime runs.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../scripts/tools/paths.ts';

export const PROBE_SCENARIO_OUT = join(PROJECT_ROOT, 'dist', 'probe', 'sfu-probes.js');

export async function bundleProbeScenario(outfile = PROBE_SCENARIO_OUT): Promise<string> {
  await build({
    entryPoints: [join(PROJECT_ROOT, 'scenarios', 'sfu-probes.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    sourcemap: false,
    logLevel: 'silent',
    absWorkingDir: PROJECT_ROOT,
  });
  return outfile;
}
