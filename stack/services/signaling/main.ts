/**
 * The signaling process: a primary that forks one worker per port of GOMEET_SIGNALING_PORTS.
 *
 *   node --import tsx stack/services/signaling/main.ts        (configured by GOMEET_* env; see README.md)
 *
 * Why several processes: one Node process may hold at most 20,000 open files here and uses one core;
 * 50,000 sockets need at least three. Separate ports (not one shared port) also multiply the
 * ~28,000 ephemeral ports a load generator has per source/destination pair.
 *
 * Primary: 1. read the environment (missing required variable → one-line error, exit 2)
 *          2. reset the live participant counts in Redis (no session survives a restart)
 *          3. fork the workers (each gets its port and its share of the PostgreSQL pool)
 *          4. SIGTERM/SIGINT → forward to the workers, wait for them, exit 0;
 *             a worker dying on its own → stop the others and exit 1 (fail loudly, not half-up)
 */
import cluster, { type Worker } from 'node:cluster';
import { serviceEnvOrExit } from '../config/env.ts';
import { createLogger } from '../shared/log.ts';
import { PARTICIPANT_COUNTS_KEY } from '../shared/meeting-channel.ts';
import { createRedis } from '../shared/redis.ts';
import { runSignalingWorker } from './worker.ts';

/** Worker env: the one port it serves and its PostgreSQL pool size (set by the primary only). */
const WORKER_PORT_VAR = 'GOMEET_SIGNALING_WORKER_PORT';
const WORKER_POOL_VAR = 'GOMEET_SIGNALING_WORKER_PG_POOL';
const SHUTDOWN_GRACE_MS = 15_000;

const env = serviceEnvOrExit();

if (cluster.isPrimary) {
  await runPrimary();
} else {
  await runSignalingWorker({ env, port: Number(process.env[WORKER_PORT_VAR]), pgPool: Number(process.env[WORKER_POOL_VAR]) });
}

async function runPrimary(): Promise<void> {
  const log = createLogger('signaling', env.GOMEET_LOG_LEVEL);
  await resetParticipantCounts(log);

  const ports = env.GOMEET_SIGNALING_PORTS;
  // Signaling rarely queries (meetings are cached, chat is rare), so the pool is split, not
  // multiplied: 4 workers × GOMEET_PG_POOL would exceed PostgreSQL's default 100 connections.
  const poolPerWorker = Math.max(2, Math.ceil(env.GOMEET_PG_POOL / ports.length));
  const workers = new Map<Worker, number>();
  let stopping = false;

  for (const port of ports) {
    const worker = cluster.fork({ [WORKER_PORT_VAR]: String(port), [WORKER_POOL_VAR]: String(poolPerWorker) });
    workers.set(worker, port);
  }

  cluster.on('exit', (worker, code, signal) => {
    const port = workers.get(worker);
    workers.delete(worker);
    if (!stopping) {
      log.error('worker died; stopping signaling', { port, code, signal });
      process.exitCode = 1;
      stopAll('worker exit');
    }
    if (workers.size === 0) process.exit();
  });

  function stopAll(reason: string): void {
    if (stopping) return;
    stopping = true;
    log.info('stopping workers', { reason });
    for (const worker of workers.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log.warn('workers did not stop in time; killing them');
      for (const worker of workers.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  }
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  // Ctrl-C also reaches the workers directly (same process group); forwarding again is harmless.
  process.on('SIGINT', () => stopAll('SIGINT'));
}

/** Live counts belong to live sockets; after a (re)start there are none. */
async function resetParticipantCounts(log: ReturnType<typeof createLogger>): Promise<void> {
  const redis = createRedis(env.GOMEET_REDIS_URL, 'gomeet-signaling-primary');
  redis.on('error', () => undefined);
  try {
    await redis.del(PARTICIPANT_COUNTS_KEY);
  } catch (err) {
    log.warn('could not reset participant counts in Redis', { err });
  } finally {
    redis.disconnect();
  }
}
