/**
 * Errors that are an HTTP answer (401, 404, 409...), and how any thrown error becomes a response.
 * Bodies are `{error: <one line>}`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CircuitOpenError } from '../shared/circuit-breaker.ts';
import { isInfrastructureError } from '../shared/database.ts';
import type { Logger } from '../shared/log.ts';
import pg from 'pg';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function makeErrorHandler(log: Logger) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.message });
    if ('validation' in err && err.validation) return reply.code(400).send({ error: err.message });
    if (err instanceof CircuitOpenError) return reply.code(503).send({ error: 'database unavailable (circuit open)' });
    // Errors fastify itself raises for a bad request (malformed JSON, wrong content type...).
    const status = 'statusCode' in err ? err.statusCode : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    if (err instanceof pg.DatabaseError && !isInfrastructureError(err)) {
      log.error('query refused', { route: request.routeOptions.url, sqlstate: err.code, err });
      return reply.code(500).send({ error: 'internal error' });
    }
    // PostgreSQL or Redis unreachable, slow or overloaded: a dependency outage, answered 503.
    // Not logged per request: during an outage that would be thousands of lines a second; the
    // breaker metrics and /health say it once.
    if (err instanceof pg.DatabaseError || isDependencyError(err)) return reply.code(503).send({ error: 'dependency unavailable' });
    log.error('request failed', { route: request.routeOptions.url, err });
    return reply.code(500).send({ error: 'internal error' });
  };
}

/** Errors pg and ioredis raise when the server is not there or does not answer in time. */
function isDependencyError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Command timed out|Connection is closed|timeout exceeded when trying to connect|Connection terminated/.test(err.message)
  );
}
