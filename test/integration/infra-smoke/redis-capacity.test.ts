// Redis capacity checks against real redis-servers: a standalone one whose maxclients its open-file
// limit lowered (warn with that reason for smoke, fail for the seed-scale profile), one set too low
// for the profile (fail), a real 3-master cluster with replicas (state ok, short of the seed's 6 + 6),
// and the same cluster once a master and its replica are stopped (cluster_state fail).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedLoad } from '../../../infra-smoke/check-set.ts';
import { redisClusterCheck, redisMaxClientsCheck } from '../../../infra-smoke/checks/redis.ts';
import { parseTarget, type Target } from '../../../lib/config/target.ts';
import { PROFILES } from '../../../lib/profiles.ts';
import { stopChild, track } from '../../helpers/child-processes.ts';
import { freePort } from '../../helpers/free-port.ts';
import { startThrowawayRedisCluster, type ThrowawayRedisCluster } from '../../helpers/throwaway-redis-cluster.ts';
import { startThrowawayRedis, type ThrowawayRedis } from '../../helpers/throwaway-redis.ts';

const FD_LIMIT = 1100;
const targetFor = (url: string): Target =>
  parseTarget(`
name: redis-test
api: { baseUrl: http://127.0.0.1:1 }
signaling: { url: ws://127.0.0.1:1/ws }
livekit: { url: ws://127.0.0.1:1 }
prometheus: { url: http://127.0.0.1:1 }
redis: { url: "${url}" }
`);
const signal = () => AbortSignal.timeout(5000);
const smoke = plannedLoad(PROFILES.smoke);
const full = plannedLoad(PROFILES.full);

let capped: { url: string; stop(): Promise<void> };
let low: ThrowawayRedis;
let cluster: ThrowawayRedisCluster;

async function startFdCappedRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  // As a container or systemd unit with a low nofile would: Redis asks for 50,000 and gets limit − 32.
  const child = spawn('bash', ['-c', `ulimit -n ${FD_LIMIT}; exec redis-server --port ${port} --bind 127.0.0.1 --save '' --appendonly no --maxclients 50000`], { stdio: 'ignore' });
  track(child);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const r = await redisMaxClientsCheck(targetFor(url), {}).run(signal());
    if (r.status !== 'fail') return { url, stop: () => stopChild(child) };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('fd-capped redis did not start');
}

beforeAll(async () => {
  capped = await startFdCappedRedis();
  low = await startThrowawayRedis();
  cluster = await startThrowawayRedisCluster({ masters: 3, replicasPerMaster: 1 });
});

afterAll(async () => {
  await capped?.stop();
  await low?.stop();
  await cluster?.stop();
});

describe('redis maxclients', () => {
  it('says a cap comes from the open-file limit and warns when the planned load still fits', async () => {
    const r = await redisMaxClientsCheck(targetFor(capped.url), {}, smoke).run(signal());
    expect(r.status).toBe('warn');
    expect(r.observed).toMatch(`maxclients ${(FD_LIMIT - 32).toLocaleString('en-US')}, capped by redis-server's open-file limit ${FD_LIMIT.toLocaleString('en-US')}`);
    expect(r.expected).toBe('≥ 50,000 (seed); smoke needs ≥ 500');
    expect(r.fix).toMatch(/open-file hard limit/);
  });

  it('fails the same Redis for the seed-scale profile (50,000 connections)', async () => {
    const r = await redisMaxClientsCheck(targetFor(capped.url), {}, full).run(signal());
    expect(r.status).toBe('fail');
  });

  it('fails a maxclients below what the profile needs, with the seed value as the fix', async () => {
    const { Redis } = await import('ioredis');
    const c = new Redis(low.url);
    await c.config('SET', 'maxclients', '400');
    c.disconnect();
    const r = await redisMaxClientsCheck(targetFor(low.url), {}, smoke).run(signal());
    expect(r.status).toBe('fail');
    expect(r.observed).toMatch(/^maxclients 400 \(/);
    expect(r.fix).toBe('set maxclients 50000 (and an open-file limit above it)');
  });

  it('fails, naming the URL, when Redis does not answer', async () => {
    const r = await redisMaxClientsCheck(targetFor('redis://127.0.0.1:1'), {}, smoke).run(signal());
    expect(r.status).toBe('fail');
    expect(r.observed).toMatch(/redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

describe('redis cluster', () => {
  it('a standalone Redis is not the seed cluster: warn for smoke, fail at seed scale', async () => {
    expect((await redisClusterCheck(targetFor(low.url), {}, smoke).run(signal())).status).toBe('warn');
    const r = await redisClusterCheck(targetFor(low.url), {}, full).run(signal());
    expect(r.status).toBe('fail');
    expect(r.observed).toMatch(/standalone/);
  });

  it('a healthy 3 + 3 cluster: state ok, observed as read, short of 6 + 6 (warn)', async () => {
    const r = await redisClusterCheck(targetFor(cluster.url), {}, smoke).run(signal());
    expect(r.observed).toBe('cluster_state ok, 3 masters serving slots, 6 known nodes, slots ok 16384/16384');
    expect(r.status).toBe('warn');
  });

  it('a cluster that lost a master and its replica fails: cluster_state fail', async () => {
    // Node i and i + masters are not necessarily a master/replica pair; stop a master and every replica
    // of it by asking the cluster which is which.
    const { Redis } = await import('ioredis');
    const c = new Redis(cluster.url);
    const nodes = String(await c.call('CLUSTER', 'NODES')).trim().split('\n').map((l) => l.split(' '));
    c.disconnect();
    const master = nodes.find((n) => n[2]!.includes('master') && !n[1]!.endsWith(`:${cluster.ports[0]}@${cluster.ports[0]! + 10000}`))!;
    const victims = nodes.filter((n) => n[0] === master[0] || n[3] === master[0]).map((n) => Number(n[1]!.split(':')[1]!.split('@')[0]));
    for (const port of victims) await cluster.stopNode(cluster.ports.indexOf(port));
    let r;
    for (let i = 0; i < 50; i++) {
      r = await redisClusterCheck(targetFor(cluster.url), {}, smoke).run(signal());
      if (r.status === 'fail') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(r!.status).toBe('fail');
    expect(r!.observed).toMatch(/^cluster_state fail/);
    expect(r!.fix).toMatch(/CLUSTER NODES/);
  });
});
