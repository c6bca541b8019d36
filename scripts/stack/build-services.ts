/**
 * The reference services, bundled with esbuild before they start: one .mjs per process under
 * .local/build/. Why not run the TypeScript source with tsx: every process (the api, the signaling
 * primary and each of its workers) would transpile its whole import graph at start — on a busy 2-core
 * machine four signaling workers took over two minutes to come up that way; a bundle starts in well
 * under a second. npm packages stay external (resolved from the project's node_modules at run time).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { LOCAL_DIR, PROJECT_ROOT } from '../tools/paths.ts';

export const SERVICES_BUILD_DIR = join(LOCAL_DIR, 'build');

/** Source entry → bundle path; the bundle keeps the source's path (minus .ts) so `ps` still says
 *  which service a process is, and the pidfile check (processMarker) matches both. */
export function bundlePathOf(sourceMain: string): string {
  return join(SERVICES_BUILD_DIR, sourceMain.replace(/\.ts$/, '.mjs'));
}

/** Files the bundles read at run time, relative to their module (import.meta.url). */
const RUNTIME_FILES = ['stack/services/db/schema.sql'];

let building: Promise<void> | undefined;

/** Bundles every service entry once per process (both components ask; one build serves both). */
export function ensureServicesBuilt(entries: readonly string[]): Promise<void> {
  building ??= (async () => {
    await build({
      entryPoints: entries.map((e) => join(PROJECT_ROOT, e)),
      outdir: SERVICES_BUILD_DIR,
      outbase: PROJECT_ROOT,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
      absWorkingDir: PROJECT_ROOT,
    });
    // A bundle lives one directory level off its sources' layout (db/ is imported from api/):
    // put each runtime file where `new URL('./x', import.meta.url)` of the bundle looks for it.
    for (const file of RUNTIME_FILES) {
      for (const entry of entries) {
        const dest = join(dirname(bundlePathOf(entry)), file.split('/').pop()!);
        await mkdir(dirname(dest), { recursive: true });
        await copyFile(join(PROJECT_ROOT, file), dest);
      }
    }
  })();
  return building;
}
