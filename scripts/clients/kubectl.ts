/**
 * The kubectl client: every kubectl command line the suite runs is in this file, and every call
 * honours dry-run — it is then printed (manifests too, Secret values redacted) and not made.
 *
 *   const k = new Kubectl({ context, namespace, dryRun });
 *   await k.apply([configMap, secret, testRun])   kubectl apply -f -        (JSON on stdin: a
 *                                                 Secret's value never touches a file or argv)
 *   await k.getJson('testrun', name)              kubectl get testrun NAME -o json
 *   await k.podNames('k6_cr=NAME,runner=true')    kubectl get pods -l … -o name
 *   await k.exec(pod, ['kill', '-INT', '1'])      kubectl exec POD -- kill -INT 1
 *   await k.delete('testrun', name)               kubectl delete testrun NAME --ignore-not-found
 */
import { execFile } from 'node:child_process';

/** Runs one command; the default runs the real kubectl (tests pass a recorder). */
export type CommandRunner = (file: string, args: string[], stdin?: string) => Promise<string>;

export interface KubectlOptions {
  /** kubectl context (`--context`); default: kubectl's current one. */
  context?: string;
  namespace: string;
  /** Print the calls instead of making them. */
  dryRun: boolean;
  /** The kubectl binary; default `kubectl` on PATH. */
  kubectlPath?: string;
  /** Where dry-run calls (and real ones, for the log) are described. Default stdout. */
  onCommand?: (line: string) => void;
  run?: CommandRunner;
}

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 32 * 1024 * 1024;

export const runCommand: CommandRunner = (file, args, stdin) =>
  new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found: install kubectl or pass its path` : stderr.trim() || err.message;
        reject(new Error(`${file} ${args.join(' ')}: ${why}`));
      } else resolve(stdout);
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });

/** A manifest as printed: Secret values replaced, everything else as sent. */
export function redactSecrets(object: object): object {
  const manifest = object as Record<string, unknown>;
  if (manifest.kind !== 'Secret') return manifest;
  const hide = (m: unknown) => (m && typeof m === 'object' ? Object.fromEntries(Object.keys(m).map((k) => [k, '<redacted>'])) : m);
  return { ...manifest, ...('stringData' in manifest ? { stringData: hide(manifest.stringData) } : {}), ...('data' in manifest ? { data: hide(manifest.data) } : {}) };
}

export class Kubectl {
  private readonly path: string;
  private readonly run: CommandRunner;
  private readonly onCommand: (line: string) => void;

  constructor(private readonly opts: KubectlOptions) {
    this.path = opts.kubectlPath ?? 'kubectl';
    this.run = opts.run ?? runCommand;
    this.onCommand = opts.onCommand ?? ((line) => console.log(line));
  }

  /** The global flags every call carries. */
  baseArgs(): string[] {
    return [...(this.opts.context ? ['--context', this.opts.context] : []), '--namespace', this.opts.namespace];
  }

  get dryRun(): boolean {
    return this.opts.dryRun;
  }

  async apply(manifests: object[]): Promise<void> {
    const list = { apiVersion: 'v1', kind: 'List', items: manifests };
    await this.call(['apply', '-f', '-'], JSON.stringify(list), JSON.stringify({ ...list, items: manifests.map(redactSecrets) }, null, 2));
  }

  /** The object as JSON, or undefined if it does not exist (or in a dry run). */
  async getJson(kind: string, name: string): Promise<unknown | undefined> {
    const out = await this.call(['get', kind, name, '--ignore-not-found', '-o', 'json']);
    return out && out.trim() ? JSON.parse(out) : undefined;
  }

  async podNames(selector: string): Promise<string[]> {
    const out = await this.call(['get', 'pods', '-l', selector, '-o', 'name']);
    return (out ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  }

  async exec(pod: string, command: string[]): Promise<void> {
    await this.call(['exec', pod, '--', ...command]);
  }

  async delete(kind: string, name: string): Promise<void> {
    await this.call(['delete', kind, name, '--ignore-not-found']);
  }

  /** Runs kubectl, or in a dry run prints the call (and `shown` as its stdin) and returns undefined. */
  private async call(args: string[], stdin?: string, shown?: string): Promise<string | undefined> {
    const full = [...this.baseArgs(), ...args];
    const line = `${this.path} ${full.join(' ')}`;
    if (this.opts.dryRun) {
      this.onCommand(`[dry-run] ${line}${stdin !== undefined ? ` <<'EOF'\n${shown ?? stdin}\nEOF` : ''}`);
      return undefined;
    }
    this.onCommand(line);
    return this.run(this.path, full, stdin);
  }
}
