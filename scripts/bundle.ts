/**
 * Bundle the k6 scenarios: scenarios/*.ts → dist/scenarios/*.js with esbuild. npm imports are
 * bundled in (k6 cannot resolve node_modules); `k6` and `k6/*` stay imports, since k6 provides them.
 * ESM, a target k6 v2's JavaScript runtime runs, no inline sourcemaps (smaller scripts, faster VU init).
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIOS_DIR = join(ROOT, 'scenarios');
export const BUNDLE_DIR = join(ROOT, 'dist', 'scenarios');

/** Bundle every scenario; returns the absolute paths of the .js files, one per scenario. */
export async function bundleScenarios(outdir = BUNDLE_DIR): Promise<string[]> {
  const entryPoints = (await readdir(SCENARIOS_DIR))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(SCENARIOS_DIR, f));
  if (entryPoints.length === 0) throw new Error(`no scenarios in ${SCENARIOS_DIR}`);
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // k6's runtime (sobek) runs ES2020 well; newer syntax is lowered rather than risked.
    target: 'es2020',
    external: ['k6', 'k6/*'],
    sourcemap: false,
    logLevel: 'silent',
    metafile: true,
    // metafile paths are relative to this.
    absWorkingDir: ROOT,
  });
  return Object.keys(result.metafile.outputs)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(ROOT, f))
    .sort();
}
