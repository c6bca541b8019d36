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
 *
 * For `cluster up|down|status` and `smoke --conformance`:
 *   await k.getList(['deployments', 'hpa'])        kubectl get deployments,hpa -o json      (a List)
 *   await k.applyServerSide(manifests)             kubectl apply --server-side --force-conflicts -f -
 *   await k.applyUrl(url)                          kubectl apply --server-side -f URL        (an upstream bundle)
 *   await k.rolloutStatus('deployment', name, s)   kubectl rollout status deployment/NAME --timeout=Ss
 *   await k.waitFor('job', name, 'complete', s)    kubectl wait --for=condition=complete job/NAME --timeout=Ss
 *   await k.describePods()                         kubectl get pods -o wide; kubectl describe pods
 *   await k.logs(pod, tail)                        kubectl logs POD --all-containers --tail=N
 *   await k.deleteNamespace(name)                  kubectl delete namespace NAME --ignore-not-found --wait
 *   await k.getText(['pods', '-o', 'wide'])        kubectl get pods -o wide                  (for people)
 *   await k.portForward('svc/prometheus', 9090)    kubectl port-forward svc/prometheus :9090 --address 127.0.0.1
 *                                                 (until .close(); the local port is kubectl's pick)
 */
import { execFile, spawn } from 'node:child_process';

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
  /** Starts `kubectl port-forward` (tests pass a fake). */
  forward?: ForwardStarter;
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

/** A running `kubectl port-forward`: where it listens, and how to stop it. */
export interface PortForward {
  /** 127.0.0.1's port (in a dry run: the remote port, as a placeholder). */
  localPort: number;
  close(): void;
}

/** Starts a long-running command and resolves with the local port once kubectl says it forwards. */
export type ForwardStarter = (file: string, args: string[]) => Promise<PortForward>;

const FORWARD_READY_MS = 30_000;

export const startPortForward: ForwardStarter = (file, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${file} ${args.join(' ')}: not forwarding after ${FORWARD_READY_MS / 1000} s`));
    }, FORWARD_READY_MS);
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(d.toString());
      if (!m) return;
      clearTimeout(timer);
      resolve({ localPort: Number(m[1]), close: () => void child.kill() });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found: install kubectl or pass its path' : err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
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
  baseArgs(namespaced = true): string[] {
    return [...(this.opts.context ? ['--context', this.opts.context] : []), ...(namespaced ? ['--namespace', this.opts.namespace] : [])];
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

  /** Where calls go, for reports: `context C, namespace N`. */
  describeTarget(): string {
    return `${this.opts.context ? `context ${this.opts.context}` : 'the current context'}, namespace ${this.opts.namespace}`;
  }

  /** `kubectl get a,b -o json`: a List of every object of those kinds (undefined in a dry run). */
  async getList(resources: string[]): Promise<{ kind: string; items: unknown[] } | undefined> {
    const out = await this.call(['get', resources.join(','), '-o', 'json']);
    return out && out.trim() ? JSON.parse(out) : undefined;
  }

  /** Plain `kubectl get …` output for a person reading a failure dump. */
  async getText(args: string[]): Promise<string> {
    return (await this.call(['get', ...args])) ?? '';
  }

  /** Server-side apply: the API server merges, and fields another manager owns are taken over. */
  async applyServerSide(manifests: object[], fieldManager = 'gomeet-capacity'): Promise<void> {
    const list = { apiVersion: 'v1', kind: 'List', items: manifests };
    const args = ['apply', '--server-side', `--field-manager=${fieldManager}`, '--force-conflicts', '-f', '-'];
    // No --namespace: every manifest names its own, and kubectl refuses objects of another one.
    await this.call(args, JSON.stringify(list), JSON.stringify({ ...list, items: manifests.map(redactSecrets) }, null, 2), false);
  }

  /** Applies an upstream release bundle by URL (kubectl fetches it; nothing of it is kept here). */
  async applyUrl(url: string): Promise<void> {
    await this.call(['apply', '--server-side', '-f', url], undefined, undefined, false);
  }

  /** Waits until a Deployment/StatefulSet has rolled out; throws with kubectl's message on timeout. */
  async rolloutStatus(kind: 'deployment' | 'statefulset', name: string, timeoutSec: number): Promise<void> {
    await this.call(['rollout', 'status', `${kind}/${name}`, `--timeout=${timeoutSec}s`]);
  }

  async waitFor(kind: string, name: string, condition: string, timeoutSec: number): Promise<void> {
    await this.call(['wait', `--for=condition=${condition}`, `${kind}/${name}`, `--timeout=${timeoutSec}s`]);
  }

  /** Pod table and `describe pods` (events included): what a failed bring-up leaves to read. */
  async describePods(): Promise<string> {
    const table = (await this.call(['get', 'pods', '-o', 'wide'])) ?? '';
    const described = (await this.call(['describe', 'pods'])) ?? '';
    return `${table}
${described}`;
  }

  async logs(pod: string, tailLines: number): Promise<string> {
    return (await this.call(['logs', pod, '--all-containers', '--prefix', `--tail=${tailLines}`])) ?? '';
  }

  /** Deletes a namespace and everything in it; waits until it is gone. */
  async deleteNamespace(name: string, timeoutSec = 600): Promise<void> {
    await this.call(['delete', 'namespace', name, '--ignore-not-found', '--wait', `--timeout=${timeoutSec}s`], undefined, undefined, false);
  }

  /** Deletes what an upstream bundle created (by the same URL). */
  async deleteUrl(url: string): Promise<void> {
    await this.call(['delete', '-f', url, '--ignore-not-found'], undefined, undefined, false);
  }

  /** Forwards 127.0.0.1 (only: nothing else on the machine reaches the cluster through it) to a
   *  Service or pod's port, for checks of servers that have no public address. */
  async portForward(resource: string, remotePort: number): Promise<PortForward> {
    const full = [...this.baseArgs(), 'port-forward', resource, `:${remotePort}`, '--address', '127.0.0.1'];
    const line = `${this.path} ${full.join(' ')}`;
    if (this.opts.dryRun) {
      this.onCommand(`[dry-run] ${line}`);
      return { localPort: remotePort, close: () => undefined };
    }
    this.onCommand(line);
    return (this.opts.forward ?? startPortForward)(this.path, full);
  }

  /** Runs kubectl, or in a dry run prints the call (and `shown` as its stdin) and returns undefined. */
  private async call(args: string[], stdin?: string, shown?: string, namespaced = true): Promise<string | undefined> {
    const full = [...this.baseArgs(namespaced), ...args];
    const line = `${this.path} ${full.join(' ')}`;
    if (this.opts.dryRun) {
      this.onCommand(`[dry-run] ${line}${stdin !== undefined ? ` <<'EOF'\n${shown ?? stdin}\nEOF` : ''}`);
      return undefined;
    }
    this.onCommand(line);
    return this.run(this.path, full, stdin);
  }
}
