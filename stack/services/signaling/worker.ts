/**
 * One signaling worker: an HTTP server on its own 127.0.0.1 port carrying the WebSocket upgrade
 * (/ws), /health and /metrics. Sessions live in one Set; one sweep per second enforces auth and
 * heartbeat deadlines; one 100 ms tick sends coalesced presence. Per socket there is a small
 * object and the ws library's own state — no timers, no Redis subscription, no compression.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket, WebSocketServer } from 'ws';
import { CLOSE } from '../../../lib/gomeet/contract.ts';
import type { ServiceEnv } from '../config/env.ts';
import { createAccessTokens } from '../shared/access-token.ts';
import { createDatabase, createPool } from '../shared/database.ts';
import { checkHealth } from '../shared/health.ts';
import { createLogger } from '../shared/log.ts';
import { createServiceMetrics } from '../shared/metrics.ts';
import { createRedis } from '../shared/redis.ts';
import { createFrameHandler } from './frame-handler.ts';
import { MeetingDirectory } from './meeting-directory.ts';
import { MeetingHub } from './meeting-hub.ts';
import { Outbound } from './outbound.ts';
import { participantCounts } from './participant-counts.ts';
import { newSession, type Session } from './session.ts';
import { SWEEP_INTERVAL_MS, expiredSessions } from './sweeper.ts';

const HOST = '127.0.0.1';
export const WS_PATH = '/ws';
/** Pending-connection queue: a join storm opens thousands of sockets a second (the kernel caps
 *  this at net.core.somaxconn, 4096 here). */
const LISTEN_BACKLOG = 8192;
/** Largest client frame accepted; the biggest legitimate one is a 2,000-character chat. */
const MAX_FRAME_BYTES = 16 * 1024;
const PRESENCE_TICK_MS = 100;
const RSS_LOG_INTERVAL_MS = 30_000;
/** How long shutdown waits for clients to answer the close frame before cutting them off. */
const CLOSE_WAIT_MS = 2000;

export interface WorkerOptions {
  env: ServiceEnv;
  port: number;
  /** PostgreSQL connections of this worker (the primary's share of GOMEET_PG_POOL). */
  pgPool: number;
}

export async function runSignalingWorker({ env, port, pgPool }: WorkerOptions): Promise<void> {
  const log = createLogger(`signaling:${port}`, env.GOMEET_LOG_LEVEL);
  const metrics = createServiceMetrics('signaling');
  const pool = createPool(env.GOMEET_PG_URL, pgPool, `gomeet-signaling-${port}`);
  pool.on('error', (err) => log.warn('idle PostgreSQL connection lost', { err }));
  const publisher = createRedis(env.GOMEET_REDIS_URL, `gomeet-signaling-${port}`);
  const subscriber = createRedis(env.GOMEET_REDIS_URL, `gomeet-signaling-${port}-sub`);
  // Both reconnect by themselves; /health reports an outage.
  publisher.on('error', () => undefined);
  subscriber.on('error', () => undefined);

  const db = createDatabase(pool, 'signaling', metrics);
  const outbound = new Outbound(metrics);
  const hub = new MeetingHub(participantCounts(publisher), subscriber, outbound, log);
  const handleFrame = createFrameHandler({
    tokens: createAccessTokens(env.GOMEET_JWT_SECRET, env.GOMEET_ACCESS_TOKEN_TTL_SEC),
    directory: new MeetingDirectory(db),
    hub,
    outbound,
    db,
    publisher,
    metrics,
    log,
  });

  const sessions = new Set<Session>();
  const wsActive = metrics.wsActive.labels({ service: 'signaling' });
  wsActive.set(0);

  const server = createServer((req, res) => void serveHttp(req, res));
  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const report = await checkHealth('signaling', pool, publisher);
      res.writeHead(report.statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(report.body));
    } else if (req.method === 'GET' && path === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  }

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES, clientTracking: false });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    const session = newSession(ws, Date.now());
    sessions.add(session);
    wsActive.inc();
    ws.on('message', (data, isBinary) => {
      session.lastSeenAt = Date.now();
      // Text frames only (the contract); a binary frame still reaches the parser and is refused there.
      const raw = isBinary ? '' : data.toString();
      // The catch keeps the chain usable: a rejected link would silently skip every later frame.
      session.queue = session.queue.then(() => handleFrame(session, raw)).catch((err: unknown) => log.debug('frame failed', { err }));
    });
    ws.on('close', () => {
      session.closed = true;
      sessions.delete(session);
      wsActive.dec();
      session.queue = session.queue.then(() => hub.leave(session)).catch((err: unknown) => log.debug('leave on close failed', { err }));
    });
    // 'error' (e.g. a frame over maxPayload, a reset) is always followed by 'close'.
    ws.on('error', (err) => log.debug('socket error', { err }));
  }

  const sweep = setInterval(
    () =>
      // Judged after this loop turn's I/O (setImmediate runs after the poll phase): when the worker
      // has been busy, frames that arrived in time are still unread when the timer fires, and the
      // sweep must not close a session for our own lateness.
      setImmediate(() => {
        for (const { session, code, reason } of expiredSessions(sessions, Date.now(), env.GOMEET_HEARTBEAT_SEC)) {
          if (session.ws.readyState === WebSocket.OPEN) session.ws.close(code, reason);
        }
      }),
    SWEEP_INTERVAL_MS,
  );
  const presenceTick = setInterval(() => hub.flushPresence(Date.now()), PRESENCE_TICK_MS);
  const rssLog = setInterval(() => {
    if (!log.isEnabled('debug')) return;
    const rss = process.memoryUsage.rss();
    log.debug('memory', { rssMiB: Math.round(rss / 2 ** 20), sockets: sessions.size, meetings: hub.localMeetings });
  }, RSS_LOG_INTERVAL_MS);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // exclusive: this worker owns its port; without it node:cluster would have the primary accept
    // every connection and hand it over, making the primary the bottleneck.
    server.listen({ host: HOST, port, backlog: LISTEN_BACKLOG, exclusive: true }, () => resolve());
  });
  log.info(`signaling worker listening on ws://${HOST}:${port}${WS_PATH}`);

  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, sockets: sessions.size });
    server.close();
    clearInterval(sweep);
    clearInterval(presenceTick);
    clearInterval(rssLog);
    await hub.leaveAll();
    for (const s of sessions) s.ws.close(CLOSE.shuttingDown, 'server shutting down');
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while (sessions.size > 0 && Date.now() < deadline) await sleep(50);
    for (const s of sessions) s.ws.terminate();
    await Promise.allSettled([publisher.quit(), subscriber.quit(), pool.end()]);
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
