/**
 * `gomeet-capacity setup [--only apt|npm|tools]`: install what is missing, say what is there.
 *
 *  1. apt:   Debian packages of the stack (DEBIAN_PACKAGES); root → apt-get install of the
 *            missing ones; not root → one line naming them
 *  2. npm:   `npm ci` when node_modules is missing or older than package-lock.json
 *  3. tools: the pinned k6 and livekit-server (PATH, .local/tools, else built from the Go proxy)
 *
 * Idempotent; when everything is present it only looks (well under 2 s).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { UsageError } from './exit-codes.ts';
import { aptInstall, missingDebianPackages } from './tools/debian-packages.ts';
import { ensureK6 } from './tools/k6.ts';
import { ensureLivekitServer } from './tools/livekit-server.ts';
import { PROJECT_ROOT } from './tools/paths.ts';
import { K6_PIN, LIVEKIT_SERVER_PIN } from './tools/pins.ts';

export type SetupPart = 'apt' | 'npm' | 'tools';

export interface SetupOptions {
  /** Only this part (default: all three, in order). */
  only?: string;
  /** Progress lines; default stderr. */
  onProgress?: (line: string) => void;
}

const PARTS: readonly SetupPart[] = ['apt', 'npm', 'tools'];

async function setupApt(say: (line: string) => void): Promise<void> {
  const missing = await missingDebianPackages();
  if (missing.length === 0) {
    say('setup: Debian packages present');
    return;
  }
  const names = missing.map((p) => p.name);
  if (process.getuid?.() !== 0) {
    throw new UsageError(`missing Debian packages (need root to install): sudo apt-get install -y ${names.join(' ')}`);
  }
  say(`setup: installing Debian packages: ${names.join(' ')}`);
  await aptInstall(names);
  const still = await missingDebianPackages(missing);
  if (still.length > 0) throw new UsageError(`apt-get finished but these are still missing: ${still.map((p) => `${p.name} (${p.binary})`).join(', ')}`);
}

function npmUpToDate(): boolean {
  // npm writes node_modules/.package-lock.json on every install: older than the lock = stale.
  const installedLock = join(PROJECT_ROOT, 'node_modules', '.package-lock.json');
  const lock = join(PROJECT_ROOT, 'package-lock.json');
  return existsSync(installedLock) && (!existsSync(lock) || statSync(installedLock).mtimeMs >= statSync(lock).mtimeMs);
}

async function setupNpm(say: (line: string) => void): Promise<void> {
  if (npmUpToDate()) {
    say('setup: npm packages present');
    return;
  }
  say('setup: installing npm packages (npm ci)');
  await $({ cwd: PROJECT_ROOT, stdio: 'inherit' })`npm ci --no-audit --no-fund`;
}

async function setupTools(say: (line: string) => void): Promise<void> {
  const k6 = await ensureK6({ onProgress: say });
  say(`setup: k6 ${K6_PIN.version} with k6/x/gomeet at ${k6}`);
  const livekit = await ensureLivekitServer({ onProgress: say });
  say(`setup: livekit-server ${LIVEKIT_SERVER_PIN.version} at ${livekit}`);
}

export async function setupCommand(opts: SetupOptions = {}): Promise<number> {
  const say = opts.onProgress ?? ((line: string) => console.error(line));
  if (opts.only !== undefined && !(PARTS as readonly string[]).includes(opts.only)) {
    throw new UsageError(`--only must be one of ${PARTS.join(', ')}, got "${opts.only}"`);
  }
  const parts = opts.only ? [opts.only as SetupPart] : PARTS;
  const t0 = Date.now();
  for (const part of parts) {
    if (part === 'apt') await setupApt(say);
    if (part === 'npm') await setupNpm(say);
    if (part === 'tools') await setupTools(say);
  }
  say(`setup: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}
