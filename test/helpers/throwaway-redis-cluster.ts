/**
 * A throwaway Redis Cluster for integration tests: `masters` (≥ 3) masters with `replicasPerMaster`
 * replicas each, every node a redis-server on its own 127.0.0.1 port, joined with
 * `redis-cli --cluster create`. Short node timeout so a stopped master is noticed in ~1 s.
 *
 *   const cluster = await startThrowawayRedisCluster({ masters: 3, replicasPerMaster: 1 });
 *   cluster.url            redis://127.0.0.1:<first node>
 *   await cluster.stopNode(i)
 *   await cluster.stop()
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stopChild, tailOf, track, trackDir, untrackDir } from './child-processes.ts';
import { createServer } from 'node:net';

const run = promisify(execFile);

export interface ThrowawayRedisCluster {
  url: string;
  ports: number[];
  stopNode(index: number): Promise<void>;
  stop(): Promise<void>;
}

async function waitPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping']).then((r) => r.stdout.trim() === 'PONG', () => false);
    if (ok) return;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`cluster node on ${port} did not start\n${output()}`);
    await sleep(100);
  }
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster-bus twin (port + 10000) is free too, both ≤ 65535. */
async function nodePort(taken: number[]): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    if (taken.includes(port) || taken.includes(port - 10_000) || taken.includes(port + 10_000)) continue;
    if ((await tcpFree(port)) && (await tcpFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

export async function startThrowawayRedisCluster(opts: { masters: number; replicasPerMaster: number }): Promise<ThrowawayRedisCluster> {
  const root = await mkdtemp(join(tmpdir(), 'gomeet-redis-cluster-'));
  trackDir(root);
  const count = opts.masters * (1 + opts.replicasPerMaster);
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c, 'SIGTERM')));
    await rm(root, { recursive: true, force: true });
    untrackDir(root);
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = await nodePort(ports);
      const dir = join(root, String(port));
      await mkdir(dir);
      const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '1000', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      track(child);
      ports.push(port);
      children.push(child);
      await waitPing(port, child, tailOf(child));
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(opts.replicasPerMaster), '--cluster-yes'], { timeout: 60_000 });
    // Wait until every node agrees the cluster serves all slots.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(ports[0]), 'cluster', 'info']).then((r) => r.stdout, () => '');
      if (/cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${count}\\b`).test(info)) break;
      if (Date.now() > deadline) throw new Error(`cluster did not converge:\n${info}`);
      await sleep(200);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    stopNode: (i) => stopChild(children[i]!, 'SIGTERM'),
    stop,
  };
}
