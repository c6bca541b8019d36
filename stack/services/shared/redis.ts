/**
 * Redis connections. Commands fail after a bounded wait instead of queueing forever while Redis is
 * down, so /health answers 503 promptly and requests fail fast rather than hang.
 */
import { Redis } from 'ioredis';

/** Longest one Redis command may take before it is failed. Generous on purpose: the timer runs on
 *  the event loop, so a worker stalled for a moment (a GC pause, a busy shared machine) would
 *  otherwise fail commands whose answers had already arrived. */
const COMMAND_TIMEOUT_MS = 5000;

/** `connectionName` shows in CLIENT LIST, which tells the stack's connections apart. */
export function createRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
    // Reconnect forever, at most every 2 s: Redis coming back must heal the service by itself.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
}
