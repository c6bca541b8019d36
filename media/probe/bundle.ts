/**
 * Bundles the probe page (page/main.ts + livekit-client) with esbuild into one script beside a
 * minimal index.html: dist/probe/{index.html, probe.js}. The page must be served over
 * http://127.0.0.1 (a secure context: getUserMedia and WebRTC need one; about:blank is not).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROBE_PAGE_DIR = join(ROOT, 'dist', 'probe');
const ENTRY = join(ROOT, 'media', 'probe', 'page', 'main.ts');

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>gomeet probe</title></head>
<body style="margin:0;background:#000">
<script src="probe.js"></script>
</body>
</html>
`;

/** Writes index.html and probe.js into `outDir`; returns outDir. */
export async function bundleProbePage(outDir = PROBE_PAGE_DIR): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [ENTRY],
    outfile: join(outDir, 'probe.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Debian's Chromium is far newer; this only stops esbuild lowering syntax needlessly.
    target: 'chrome120',
    sourcemap: false,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  await writeFile(join(outDir, 'index.html'), INDEX_HTML);
  return outDir;
}
