/**
 * How the lab's helper processes (page server, impaired path) end: on SIGTERM/SIGINT, when their
 * parent goes away (stdin closes), or when their lifetime is up — whichever comes first. A helper
 * that outlives a crashed run would hold ports and send nothing, but it must not linger either.
 */
export function holdUntilStopped(close: () => Promise<void>, maxLifetimeSec: number): void {
  let stopping = false;
  const stop = (code: number) => (): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code), 3000);
    force.unref();
    close().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop(0));
  process.once('SIGINT', stop(0));
  process.stdin.once('end', stop(0));
  process.stdin.resume();
  setTimeout(stop(0), maxLifetimeSec * 1000);
}

/** `--name value` pairs from argv (the helpers take a few numbers and paths, nothing else). */
export function readFlags(argv: readonly string[], required: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!name?.startsWith('--') || value === undefined) throw new Error(`expected --name value pairs, got ${JSON.stringify(argv.slice(i))}`);
    out[name.slice(2)] = value;
  }
  for (const r of required) if (!(r in out)) throw new Error(`missing --${r}`);
  return out;
}
