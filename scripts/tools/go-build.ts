/**
 * Builds a pinned Go tool from the module proxy into a project-local binary.
 *
 * The recipe that works here: `go install <module>@<version>` fails for k6 v2 because the proxy's
 * @v/list for go.k6.io/k6/v2 is 404 ("loading deprecation"), so instead
 *   1. make a throwaway module (`module toolbuild`, `go 1.26`) in a temp dir,
 *   2. `go get <module>@<version>` in it (with -mod=mod so go.mod/go.sum are written),
 *   3. `go build -o <dest>.partial <package>`, then rename into place (never a half-written binary).
 * A build takes minutes on 2 cores, so each phase prints a line and the elapsed time every ~15 s.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { $ } from 'zx';
import { UsageError } from '../exit-codes.ts';
import { PROJECT_ROOT } from './paths.ts';
import { GO_BUILD_LANGUAGE_VERSION, type GoToolPin } from './pins.ts';

/** Seconds between "still building" lines. */
const PROGRESS_EVERY_SEC = 15;

export type ProgressLog = (line: string) => void;

/** The `go version` line, or null when Go is not on PATH. */
export async function goVersion(): Promise<string | null> {
  const out = await $({ quiet: true, nothrow: true })`go version`;
  return out.exitCode === 0 ? out.stdout.trim() : null;
}

async function phase(pin: GoToolPin, label: string, log: ProgressLog, startedAt: number, work: () => Promise<void>): Promise<void> {
  log(`${pin.name}: ${label}`);
  const elapsed = () => Math.round((Date.now() - startedAt) / 1000);
  const timer = setInterval(() => log(`${pin.name}: ${label} … ${elapsed()} s elapsed (a build takes ~${pin.typicalBuildSec} s on 2 cores)`), PROGRESS_EVERY_SEC * 1000);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
}

/** Last non-empty line of a failed command's stderr: the part of Go's error a person needs. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '(no output)';
}

/** Hash of the Go sources (go.mod, go.sum, non-test .go files) of a pin built from the project. */
export async function sourceHash(pin: GoToolPin): Promise<string> {
  if (!pin.source) throw new Error(`${pin.name} is not built from the project's source`);
  const root = join(PROJECT_ROOT, pin.source.dir);
  const files = (await readdir(root, { recursive: true }))
    .filter((f) => f === 'go.mod' || f === 'go.sum' || (f.endsWith('.go') && !f.endsWith('_test.go')))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(await readFile(join(root, f))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Builds `pin` into `dest`. Throws a one-line UsageError when Go is missing or the build fails. */
export async function buildGoTool(pin: GoToolPin, dest: string, log: ProgressLog = console.error): Promise<string> {
  const go = await goVersion();
  if (!go) {
    throw new UsageError(
      `${pin.name} ${pin.version} is not installed and Go is missing to build it: install Go ${GO_BUILD_LANGUAGE_VERSION}+ (https://go.dev/dl/), or put ${pin.name} ${pin.version} on PATH`,
    );
  }
  const startedAt = Date.now();
  if (pin.source) return buildFromProject(pin, pin.source, dest, log, startedAt, go);
  log(`${pin.name}: building ${pin.module}@${pin.version} with ${go}`);
  const work = await mkdtemp(join(tmpdir(), `gomeet-build-${pin.name}-`));
  // -mod=mod lets `go get`/`go build` write go.mod and go.sum in the throwaway module.
  const goCmd = $({ cwd: work, quiet: true, nothrow: true, env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const partial = `${dest}.partial`;
  try {
    await writeFile(join(work, 'go.mod'), `module toolbuild\n\ngo ${GO_BUILD_LANGUAGE_VERSION}\n`);
    await phase(pin, `go get ${pin.module}@${pin.version}`, log, startedAt, async () => {
      const res = await goCmd`go get ${`${pin.module}@${pin.version}`}`;
      if (res.exitCode !== 0) throw new UsageError(`${pin.name}: go get ${pin.module}@${pin.version} failed: ${lastLine(res.stderr)}`);
    });
    await mkdir(dirname(dest), { recursive: true });
    await phase(pin, `go build ${pin.buildPackage}`, log, startedAt, async () => {
      const res = await goCmd`go build -o ${partial} ${pin.buildPackage}`;
      if (res.exitCode !== 0) throw new UsageError(`${pin.name}: go build ${pin.buildPackage} failed: ${lastLine(res.stderr)}`);
    });
    await rename(partial, dest);
    log(`${pin.name}: built ${dest} in ${Math.round((Date.now() - startedAt) / 1000)} s`);
    return dest;
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

/** `go build` of a main package in the project's own Go module (go.mod and go.sum committed). */
async function buildFromProject(pin: GoToolPin, source: NonNullable<GoToolPin['source']>, dest: string, log: ProgressLog, startedAt: number, go: string): Promise<string> {
  const dir = join(PROJECT_ROOT, source.dir);
  log(`${pin.name}: building ${source.dir}/${source.package.replace(/^\.\//, '')} (${pin.module}@${pin.version} and the suite's extension) with ${go}`);
  const partial = `${dest}.partial`;
  await mkdir(dirname(dest), { recursive: true });
  try {
    await phase(pin, `go build ${source.package} in ${source.dir}/`, log, startedAt, async () => {
      const res = await $({ cwd: dir, quiet: true, nothrow: true })`go build -o ${partial} ${source.package}`;
      if (res.exitCode !== 0) throw new UsageError(`${pin.name}: go build ${source.package} in ${source.dir}/ failed: ${lastLine(res.stderr)}`);
    });
    await rename(partial, dest);
    log(`${pin.name}: built ${dest} in ${Math.round((Date.now() - startedAt) / 1000)} s`);
    return dest;
  } finally {
    await rm(partial, { force: true });
  }
}
