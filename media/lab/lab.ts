/**
 * A throwaway media lab for tests and benchmarks: a network namespace with only `lo`, the pinned
 * livekit-server inside it (the local stack's config, see stack/config/livekit-yaml.ts), and
 * bridges so the host reaches its HTTP/WebSocket and metrics ports at 127.0.0.1:<host port>.
 * The local stack runs the same arrangement as components (scripts/stack/components/livekit*.ts);
 * this one lives only as long as its caller, who must call stop().
 *
 *   startMediaLab → ensure namespace → write config → livekit-server in the namespace → bridges →
 *   wait until GET / answers OK through the bridge (or the server exits: its log tail is the error)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { livekitReady, livekitServerLaunch } from '../../scripts/clients/livekit-server.ts';
import { destroyNetns, ensureNetns, inNetns } from '../../scripts/clients/netns.ts';
import { openTcpBridge, type TcpBridge } from '../../scripts/clients/socat.ts';
import { widenEphemeralPorts } from '../../scripts/stack/kernel.ts';
import { ensureLivekitServer } from '../../scripts/tools/livekit-server.ts';
import { renderLivekitYaml } from '../../stack/config/livekit-yaml.ts';

export interface MediaLabOptions {
  /** Namespace name (a test uses its own, never the stack's `gomeet-media`). */
  netns: string;
  /** Folder for config, log and bridge sockets (keep the path short: sockets live here). */
  dir: string;
  /** Ports inside the namespace. */
  httpPort: number;
  udpPort: number;
  prometheusPort: number;
  /** Host-side ports of the bridges (default: the same numbers; 0 = any free port — tests and benches
   *  use 0, because with the stack's widened ephemeral range any fixed port may be a client's). */
  hostHttpPort?: number;
  hostPrometheusPort?: number;
  apiKey: string;
  apiSecret: string;
  /** livekit-server log level (default info; debug logs every ICE candidate). */
  logLevel?: 'debug' | 'info' | 'warn';
  /** Delete the namespace on stop (default true). */
  destroyNetnsOnStop?: boolean;
  /** Seconds to wait for the server to answer (default 30). */
  readyTimeoutSec?: number;
}

export interface MediaLab {
  netns: string;
  /** LiveKit URL inside the namespace (what bots and browsers there use). */
  url: string;
  /** The same server from the host, through the bridge. */
  hostUrl: string;
  hostMetricsUrl: string;
  logFile: string;
  pid: number;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (!child.pid) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      /* gone */
    }
  };
  signal('SIGTERM');
  const t = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
  if ((await Promise.race([exited(child), t])) === 'timeout') {
    signal('SIGKILL');
    await exited(child);
  }
}

export async function startMediaLab(o: MediaLabOptions): Promise<MediaLab> {
  const binary = await ensureLivekitServer({ build: false });
  await ensureNetns(o.netns);
  await mkdir(o.dir, { recursive: true });
  const configFile = join(o.dir, 'livekit.yaml');
  const doc = parse(renderLivekitYaml({ httpPort: o.httpPort, udpPort: o.udpPort, prometheusPort: o.prometheusPort, stunServer: '127.0.0.1:3478' }));
  doc.logging = { ...(doc.logging ?? {}), level: o.logLevel ?? 'info', json: true };
  await writeFile(configFile, stringify(doc));
  const logFile = join(o.dir, 'livekit.log');
  const log = await open(logFile, 'w');
  const launch = livekitServerLaunch(binary, configFile, o.apiKey, o.apiSecret);
  const [cmd, ...args] = inNetns(o.netns, [launch.cmd, ...launch.args]);
  const child = spawn(cmd!, args, { env: { ...process.env, ...launch.env }, detached: true, stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const bridges: TcpBridge[] = [];
  const stop = async () => {
    await Promise.all(bridges.map((b) => b.stop()));
    await stopChild(child);
    if (o.destroyNetnsOnStop !== false) await destroyNetns(o.netns);
  };
  try {
    // The stack widens the ephemeral range to 1024-65535, so a fixed port may be taken by an outgoing
    // connection at any moment: fixed bridge ports are reserved first, as the stack does its own.
    const fixed = [o.hostHttpPort ?? o.httpPort, o.hostPrometheusPort ?? o.prometheusPort].filter((p) => p !== 0);
    if (fixed.length) await widenEphemeralPorts(fixed);
    const http = await openTcpBridge({ netns: o.netns, port: o.httpPort, hostPort: o.hostHttpPort ?? o.httpPort, socketDir: o.dir });
    bridges.push(http);
    const metrics = await openTcpBridge({ netns: o.netns, port: o.prometheusPort, hostPort: o.hostPrometheusPort ?? o.prometheusPort, socketDir: o.dir });
    bridges.push(metrics);
    const hostHttpPort = http.hostPort;
    const hostPrometheusPort = metrics.hostPort;
    const deadline = Date.now() + (o.readyTimeoutSec ?? 30) * 1000;
    while (!(await livekitReady(`http://127.0.0.1:${hostHttpPort}/`))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`livekit-server exited during start: ${await tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`livekit-server not ready within ${o.readyTimeoutSec ?? 30} s: ${await tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return {
      netns: o.netns,
      url: `ws://127.0.0.1:${o.httpPort}`,
      hostUrl: `ws://127.0.0.1:${hostHttpPort}`,
      hostMetricsUrl: `http://127.0.0.1:${hostPrometheusPort}/metrics`,
      logFile,
      pid: child.pid!,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function tail(file: string, lines = 8): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join(' | ');
}
