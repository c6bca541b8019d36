/**
 * Redis capacity as the seed sets it: `maxclients` ≥ 50,000 ("support untuk 50,000 concurrent
 * connections") and a healthy cluster of 6 masters + 6 replicas. Judged by infra-smoke/capacity.ts
 * against the seed and the planned load. A Redis below the seed because of its open-file limit
 * (Redis silently lowers maxclients to that limit − 32, as on the local stack) is said to be so.
 */
import { readFile } from 'node:fs/promises';
import type { Target } from '../../lib/config/target.ts';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { formatCount, judgeCapacity, type PlannedLoad } from '../capacity.ts';
import { describeError, type Check } from '../check.ts';
import { openFileLimit, readRedisFacts, type RedisFacts } from './redis-info.ts';

/** Redis keeps 32 descriptors for itself: maxclients is lowered to (open-file limit − 32). */
const REDIS_RESERVED_FDS = 32;

const isLoopback = (url: string): boolean => /^(127\.|localhost$|\[::1\]$)/.test(new URL(url).hostname);

async function isLocalRedis(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('redis-server');
  } catch {
    return false;
  }
}

/** Why maxclients is what it is, when the evidence is on this machine. */
async function capReason(url: string, facts: RedisFacts): Promise<string | undefined> {
  if (!isLoopback(url) || !facts.processId || !(await isLocalRedis(facts.processId))) return undefined;
  const limit = await openFileLimit(facts.processId);
  if (limit === undefined || facts.maxClients !== limit - REDIS_RESERVED_FDS) return undefined;
  return `capped by redis-server's open-file limit ${formatCount(limit)} (maxclients = limit − ${REDIS_RESERVED_FDS})`;
}

function unreadable(target: Target, err: unknown) {
  return {
    status: 'fail' as const,
    observed: `${target.redis?.url}: ${describeError(err)}`,
    expected: 'INFO answers',
    fix: 'is Redis up, redis.url right and its password in redis.passwordEnv?',
  };
}

const notConfigured = { status: 'skip' as const, observed: 'no redis in the target', expected: 'redis: { url } to read its capacity', fix: 'add redis: { url: redis://host:6379 } to check maxclients and cluster state' };

export function redisMaxClientsCheck(target: Target, env: NodeJS.ProcessEnv, load?: PlannedLoad): Check {
  const redis = target.redis;
  return {
    name: 'redis maxclients',
    required: redis !== undefined,
    async run(signal) {
      if (!redis) return notConfigured;
      let facts: RedisFacts;
      try {
        facts = await readRedisFacts(redis.url, redis.passwordEnv ? env[redis.passwordEnv] : undefined, signal);
      } catch (err) {
        return unreadable(target, err);
      }
      const judged = judgeCapacity({
        observed: facts.maxClients,
        seedMin: SEED_SIZING.redis.maxClients,
        need: load?.connections,
        load,
        seedText: `≥ ${formatCount(SEED_SIZING.redis.maxClients)} (seed)`,
      });
      const reason = judged.status === 'pass' ? undefined : await capReason(redis.url, facts);
      return {
        ...judged,
        observed: `maxclients ${formatCount(facts.maxClients)}${reason ? `, ${reason}` : ''} (${formatCount(facts.connectedClients)} connected, Redis ${facts.version})`,
        fix: reason
          ? 'raise the open-file hard limit of redis-server (ulimit -Hn / LimitNOFILE / the container runtime’s nofile) above 50,032, then maxclients 50000'
          : `set maxclients ${SEED_SIZING.redis.maxClients} (and an open-file limit above it)`,
      };
    },
  };
}

export function redisClusterCheck(target: Target, env: NodeJS.ProcessEnv, load?: PlannedLoad): Check {
  const redis = target.redis;
  const seed = SEED_SIZING.redis;
  const seedText = `cluster_state ok, ${seed.masters} masters + ${seed.masters * seed.replicasPerMaster} replicas (seed)`;
  return {
    name: 'redis cluster',
    required: redis !== undefined,
    async run(signal) {
      if (!redis) return notConfigured;
      let facts: RedisFacts;
      try {
        facts = await readRedisFacts(redis.url, redis.passwordEnv ? env[redis.passwordEnv] : undefined, signal);
      } catch (err) {
        return unreadable(target, err);
      }
      if (!facts.clusterEnabled || !facts.cluster) {
        const judged = judgeCapacity({ observed: 1, seedMin: seed.masters, load, seedText });
        return { ...judged, observed: 'standalone Redis (cluster_enabled:0): one node, no replicas', fix: 'the seed runs Redis Cluster: 6 masters, one replica each' };
      }
      const c = facts.cluster;
      const masters = Number(c.cluster_size);
      const nodes = Number(c.cluster_known_nodes);
      const observed = `cluster_state ${c.cluster_state}, ${masters} masters serving slots, ${nodes} known nodes, slots ok ${c.cluster_slots_ok}/16384`;
      if (c.cluster_state !== 'ok') {
        return { status: 'fail', observed, expected: seedText, fix: 'the cluster does not serve every slot: check CLUSTER NODES for failed or missing masters' };
      }
      // A master counts toward the seed's 6 only with its replica: 6 masters and no replicas is not 6 + 6.
      const replicated = Math.min(masters, Math.floor((nodes - masters) / seed.replicasPerMaster));
      const judged = judgeCapacity({ observed: replicated, seedMin: seed.masters, load, seedText });
      return { ...judged, observed, fix: `scale to ${seed.masters} masters with ${seed.replicasPerMaster} replica each` };
    },
  };
}
