/**
 * Host ↔ media-namespace TCP bridges over unix sockets: every socat command line of the suite.
 *
 * The media lab's namespace has only `lo`, so nothing on the host can reach a port in there by
 * address. A filesystem path is visible from both sides, though, so each bridged port is two socat
 * processes:
 *   inside  the namespace: UNIX-LISTEN:<dir>/<port>.sock → TCP 127.0.0.1:<port> (the namespace's lo)
 *   on the host:           TCP-LISTEN 127.0.0.1:<port>   → UNIX-CONNECT <dir>/<port>.sock
 * so host clients (Prometheus, k6 signaling-plane scenarios, infra-smoke) keep using
 * 127.0.0.1:<port> as if livekit-server ran on the host. UDP (media) is never bridged: media stays
 * in the namespace.
 *
 * Each socat runs in its own process group (it forks one child per connection); `stop()` signals
 * that group by id, so no connection child is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { which } from 'zx';
import { UsageError } from '../exit-codes.ts';
import { inNetns } from './netns.ts';

export interface TcpBridgeOptions {
  /** Namespace that holds the server. */
  netns: string;
  /** TCP port the server listens on inside the namespace; the host side listens on the same
   *  number at 127.0.0.1 unless `hostPort` says otherwise. */
  port: number;
  /** Host-side port on 127.0.0.1 (default: `port`; 0 = any free port, see the bridge's hostPort). */
  hostPort?: number;
  /** Folder for the unix socket; keep it short (a socket path is at most 107 bytes). */
  socketDir: string;
  /** Where each socat's stderr goes (default: ignored). */
  logFd?: number;
  /** Milliseconds to wait for the host side to accept connections (default 5000). */
  readyTimeoutMs?: number;
}

export interface TcpBridge {
  /** 127.0.0.1:<hostPort> on the host reaches 127.0.0.1:<port> in the namespace. */
  hostPort: number;
  port: number;
  socketPath: string;
  /** Process ids (group leaders) of the two socat processes. */
  pids: number[];
  /** Stops both socat processes and their connection children; removes the socket. */
  stop(): Promise<void>;
}

let socatPath: string | undefined;

/** Path of socat, or a one-line UsageError naming the Debian package. */
export async function requireSocat(): Promise<string> {
  socatPath ??= (await which('socat', { nothrow: true })) ?? undefined;
  if (!socatPath) throw new UsageError('socat is not installed (the media lab bridges livekit-server with it): apt-get install socat, or run: gomeet-capacity setup');
  return socatPath;
}

/** The two socat command lines of one bridge: inside the namespace and on the host. */
export function bridgeArgv(socat: string, netns: string, port: number, hostPort: number, socketPath: string): { inside: string[]; host: string[] } {
  return {
    // unlink-early: a socket left by a killed run must not block the listen.
    inside: inNetns(netns, [socat, `UNIX-LISTEN:${socketPath},fork,unlink-early,mode=600`, `TCP:127.0.0.1:${port}`]),
    host: [socat, `TCP-LISTEN:${hostPort},bind=127.0.0.1,reuseaddr,fork`, `UNIX-CONNECT:${socketPath}`],
  };
}

/** Path of the unix socket of `port`'s bridge in `socketDir` (checked against the 107-byte limit). */
export function bridgeSocketPath(socketDir: string, netns: string, port: number): string {
  const path = join(socketDir, `${netns}-${port}.sock`);
  if (Buffer.byteLength(path) > 107) throw new UsageError(`unix socket path too long (${path}); use a shorter socket folder`);
  return path;
}

/**
 * A bash script that runs every socat of `bridges` as its children and, when any of them ends,
 * ends them all (`kill 0`): one process group, one pid for a stack manager to watch and stop.
 */
export function bridgeGroupScript(socat: string, netns: string, bridges: { port: number; hostPort: number; socketPath: string }[]): string {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const lines = bridges.flatMap((b) => {
    const argv = bridgeArgv(socat, netns, b.port, b.hostPort, b.socketPath);
    return [argv.inside, argv.host].map((a) => `${a.map(quote).join(' ')} &`);
  });
  return [...lines, 'wait -n', 'kill 0'].join('\n');
}

function startGroup(argv: string[], logFd: number | undefined): ChildProcess {
  const [cmd, ...args] = argv;
  const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', 'ignore', logFd ?? 'ignore'] });
  child.unref();
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Signals a process group by its leader's id; a group that is already gone is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  killGroup(child.pid, 'SIGTERM');
  const done = exited(child);
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 2000).unref());
  if ((await Promise.race([done, timer])) === 'timeout') {
    killGroup(child.pid, 'SIGKILL');
    await done;
  }
  // Connection children that outlived the leader are in the same group.
  killGroup(child.pid, 'SIGKILL');
}

/** Resolves once 127.0.0.1:port accepts a TCP connection, or rejects after timeoutMs. */
export async function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing accepts connections on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port on 127.0.0.1 that nothing holds right now (the kernel's choice). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Opens one bridge (see module comment). The host side is ready when this resolves.
 *  With hostPort 0 a free port is chosen, and chosen again (3 tries) if it was taken meanwhile. */
export async function openTcpBridge(opts: TcpBridgeOptions): Promise<TcpBridge> {
  if (opts.hostPort !== 0) return openOnce(opts, opts.hostPort ?? opts.port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce(opts, await freeLoopbackPort());
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function openOnce(opts: TcpBridgeOptions, hostPort: number): Promise<TcpBridge> {
  const socat = await requireSocat();
  await mkdir(opts.socketDir, { recursive: true });
  const socketPath = bridgeSocketPath(opts.socketDir, opts.netns, opts.port);
  const argv = bridgeArgv(socat, opts.netns, opts.port, hostPort, socketPath);
  const inside = startGroup(argv.inside, opts.logFd);
  const host = startGroup(argv.host, opts.logFd);
  const bridge: TcpBridge = {
    hostPort,
    port: opts.port,
    socketPath,
    pids: [inside.pid, host.pid].filter((p): p is number => p !== undefined),
    async stop() {
      await Promise.all([stopGroup(host), stopGroup(inside)]);
      await rm(socketPath, { force: true });
    },
  };
  try {
    const early = Promise.race([exited(host), exited(inside)]).then(() => {
      throw new Error(`socat bridge for port ${opts.port} exited at start (is 127.0.0.1:${hostPort} already in use on the host?)`);
    });
    // Only the race below listens to `early`; a later exit (at stop) must not be an unhandled rejection.
    early.catch(() => {});
    await Promise.race([waitForTcp(hostPort, opts.readyTimeoutMs ?? 5000), early]);
  } catch (err) {
    await bridge.stop();
    throw err;
  }
  return bridge;
}
