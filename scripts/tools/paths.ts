/**
 * Where the project keeps what it builds and runs locally. Everything lives under `.local/`
 * (gitignored) inside the checkout, never in system directories.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/tools/paths.ts). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Project-local state: built tools, the local stack's data, logs and generated configs. */
export const LOCAL_DIR = join(PROJECT_ROOT, '.local');

/** Pinned Go-built binaries (k6, livekit-server). */
export const TOOLS_DIR = join(LOCAL_DIR, 'tools');
