/**
 * The path of a binary that is exactly the pinned version (ensureK6 / ensureLivekitServer are
 * this for one pin each).
 *
 * Order: a binary on PATH whose version output names the pin → the project-local one in
 * .local/tools/ if its version matches → build it there from the Go module proxy. A pin built from
 * the project's own Go module (k6 with the suite's extension) skips PATH and is rebuilt whenever
 * that module's source changes. The answer is
 * remembered for the life of the process, so callers may ask as often as they like; a verified
 * project-local binary gets a stamp file beside it, so later processes only stat it.
 */
import { access, constants, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $, which } from 'zx';
import { buildGoTool, sourceHash, type ProgressLog } from './go-build.ts';
import { TOOLS_DIR } from './paths.ts';
import type { GoToolPin } from './pins.ts';
import { isPinnedVersion } from './version.ts';

export interface EnsureToolOptions {
  /** Where the project-local binary lives or is built; default `.local/tools/<name>`. */
  dest?: string;
  /** Look at PATH first (default true); tests turn it off to exercise the project-local path. */
  usePath?: boolean;
  /** Build when no matching binary is found (default true); false makes a miss an error. */
  build?: boolean;
  /** Progress lines of a build (default stderr). */
  onProgress?: ProgressLog;
}

const resolved = new Map<string, Promise<string>>();

/** True when `bin` runs and prints exactly the pinned version. */
export async function hasPinnedVersion(pin: GoToolPin, bin: string): Promise<boolean> {
  try {
    await access(bin, constants.X_OK);
  } catch {
    return false;
  }
  const out = await $({ quiet: true, nothrow: true, timeout: '20s' })`${bin} ${pin.versionArgs}`;
  return out.exitCode === 0 && isPinnedVersion(pin, `${out.stdout}\n${out.stderr}`);
}

interface PinStamp {
  version: string;
  size: number;
  mtimeMs: number;
  /** sourceHash() of the project's Go module it was built from (pins with `source`). */
  source?: string;
}

const stampFileOf = (bin: string): string => `${bin}.pinned.json`;

/** True when `bin` was verified as the pin before and has not changed since (size and mtime) —
 *  nor has the source it was built from. Running a 100 MB Go binary just to read its version takes
 *  seconds on a busy 2-core machine. */
async function stampedAsPinned(pin: GoToolPin, bin: string, source: string | undefined): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(stampFileOf(bin), 'utf8')) as PinStamp;
    const st = await stat(bin);
    return stamp.version === pin.version && stamp.size === st.size && stamp.mtimeMs === st.mtimeMs && stamp.source === source;
  } catch {
    return false;
  }
}

/** Runs `bin`; when it is the pin, stamps it (with the source it was just built from, if any). */
async function verifyAndStamp(pin: GoToolPin, bin: string, source: string | undefined): Promise<boolean> {
  if (!(await hasPinnedVersion(pin, bin))) return false;
  const st = await stat(bin);
  const stamp: PinStamp = { version: pin.version, size: st.size, mtimeMs: st.mtimeMs, ...(source ? { source } : {}) };
  await writeFile(stampFileOf(bin), `${JSON.stringify(stamp)}\n`).catch(() => undefined);
  return true;
}

/** The project-local binary is the pin: by its stamp, or by running it (then stamped). A binary
 *  built from the project's source is the pin only by a stamp naming today's source: its version
 *  output cannot tell an edited extension from the one it carries. */
export async function projectLocalIsPinned(pin: GoToolPin, bin: string): Promise<boolean> {
  const source = pin.source ? await sourceHash(pin) : undefined;
  if (await stampedAsPinned(pin, bin, source)) return true;
  if (pin.source) return false;
  return verifyAndStamp(pin, bin, undefined);
}

async function locate(pin: GoToolPin, opts: EnsureToolOptions): Promise<string> {
  if (opts.usePath !== false && !pin.source) {
    const onPath = await which(pin.name, { nothrow: true });
    if (onPath && (await hasPinnedVersion(pin, onPath))) return onPath;
  }
  const dest = opts.dest ?? join(TOOLS_DIR, pin.name);
  if (await projectLocalIsPinned(pin, dest)) return dest;
  if (opts.build === false) throw new Error(`${pin.name} ${pin.version} not found (PATH, ${dest}); run: gomeet-capacity setup`);
  const source = pin.source ? await sourceHash(pin) : undefined;
  await buildGoTool(pin, dest, opts.onProgress);
  if (!(await verifyAndStamp(pin, dest, source))) {
    throw new Error(`${pin.name}: the freshly built ${dest} does not report version ${pin.version}${pin.requiredInVersion ? ' with its extensions' : ''}`);
  }
  return dest;
}

/** Path of a binary of `pin`'s exact version, building it if needed (see module comment). */
export function ensureTool(pin: GoToolPin, opts: EnsureToolOptions = {}): Promise<string> {
  const key = `${pin.name}@${pin.version}|${opts.dest ?? ''}|${opts.usePath !== false}`;
  let found = resolved.get(key);
  if (!found) {
    found = locate(pin, opts);
    // A failure is not remembered: the next call may find Go installed or the network back.
    found.catch(() => resolved.delete(key));
    resolved.set(key, found);
  }
  return found;
}
