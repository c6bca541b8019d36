/**
 * A LiveKit signaling proxy that puts a relay on a client's media path: clients connect to it
 * instead of livekit-server, and it forwards every WebSocket frame and HTTP request, rewriting ICE
 * candidates on the way (signal-rewrite.ts). It binds 127.0.0.1 only, talks only to a loopback
 * upstream, and stops by itself after `maxLifetimeSec`.
 *
 * URLs carry access tokens: nothing here logs a URL.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { isLoopbackV4 } from '../probe/stats-digest.ts';
import type { PortRewrite } from './candidate-rewrite.ts';
import { rewriteClientMessage, rewriteConnectPath, rewriteServerMessage } from './signal-rewrite.ts';

export interface SignalRewriteProxyOptions {
  /** livekit-server's HTTP/WebSocket listener (a 127.x address). */
  upstreamHost: string;
  upstreamPort: number;
  /** Port the proxy listens on, on 127.0.0.1 (0 = any free port). */
  listenPort: number;
  rewrite: PortRewrite;
  /** The proxy closes everything after this many seconds. */
  maxLifetimeSec: number;
}

export interface SignalRewriteProxy {
  port: number;
  counts: { connections: number; serverFramesRewritten: number; clientFramesDropped: number; errors: number };
  close(): Promise<void>;
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;

export async function startSignalRewriteProxy(opts: SignalRewriteProxyOptions): Promise<SignalRewriteProxy> {
  if (!isLoopbackV4(opts.upstreamHost)) throw new Error(`signaling proxy upstream must be a 127.x address, got ${opts.upstreamHost}`);
  const counts = { connections: 0, serverFramesRewritten: 0, clientFramesDropped: 0, errors: 0 };
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });

  // Plain HTTP (e.g. livekit-client's /rtc/validate after a failed connect) is forwarded as is.
  const server = createServer((req, res) => {
    const up = httpRequest(
      { host: opts.upstreamHost, port: opts.upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      counts.errors++;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let path: string;
    try {
      path = rewriteConnectPath(req.url ?? '/');
    } catch {
      counts.errors++;
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => bridge(client, path));
  });

  function bridge(client: WebSocket, path: string): void {
    counts.connections++;
    const upstream = new WebSocket(`ws://${opts.upstreamHost}:${opts.upstreamPort}${path}`);
    sockets.add(client);
    sockets.add(upstream);
    const pending: Uint8Array[] = [];
    upstream.on('open', () => {
      for (const frame of pending.splice(0)) upstream.send(frame);
    });
    upstream.on('message', (data, isBinary) => {
      if (!isBinary) return client.send(data, { binary: false });
      const out = rewriteServerMessage(toBytes(data), opts.rewrite);
      counts.serverFramesRewritten++;
      if (out !== null) client.send(out);
    });
    client.on('message', (data, isBinary) => {
      const out = isBinary ? rewriteClientMessage(toBytes(data)) : toBytes(data);
      if (out === null) {
        counts.clientFramesDropped++;
        return;
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(out, { binary: isBinary });
      else pending.push(out);
    });
    // Close codes 1005/1006 may not be sent; anything else is passed on to the other side.
    const closeOther = (other: WebSocket) => (code: number) => {
      if (other.readyState === WebSocket.OPEN || other.readyState === WebSocket.CONNECTING) {
        if (code >= 1000 && code < 5000 && code !== 1005 && code !== 1006) other.close(code);
        else other.terminate();
      }
    };
    upstream.on('close', closeOther(client));
    client.on('close', closeOther(upstream));
    const onError = () => {
      counts.errors++;
    };
    upstream.on('error', onError);
    client.on('error', onError);
    upstream.on('close', () => sockets.delete(upstream));
    client.on('close', () => sockets.delete(client));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.listenPort;

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(lifetime);
    for (const s of sockets) s.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const lifetime = setTimeout(() => void close(), opts.maxLifetimeSec * 1000);
  return { port, counts, close };
}
