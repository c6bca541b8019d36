/**
 * A TCP proxy on 127.0.0.1 that keeps at most `limit` connections open at once, over all its
 * listeners together, and closes every connection beyond that the moment it is accepted: a
 * signaling tier with a known session limit, for the capacity search's "finds N" test. One listener
 * per upstream port (the reference signaling has one per worker); bytes are piped untouched.
 *
 * Why a proxy rather than a cap inside the signaling service: the limit is then a fact of the test
 * (what it injected), not a feature of the service under test. Bounded: it holds ≤ limit pairs of
 * sockets, never dials anything but its loopback upstreams, and stop() closes everything.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ConnectionCapProxy {
  /** Listening ports, in the order of the upstream ports they forward to. */
  ports: number[];
  /** Connections let through, refused (closed at once), open right now, and the most open at once. */
  stats(): { accepted: number; refused: number; open: number; peak: number };
  stop(): Promise<void>;
}

export async function startConnectionCapProxy(opts: { upstreamPorts: number[]; limit: number }): Promise<ConnectionCapProxy> {
  const { limit } = opts;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be an integer ≥ 0, got ${limit}`);
  let accepted = 0;
  let refused = 0;
  let open = 0;
  let peak = 0;
  const sockets = new Set<Socket>();
  const servers: Server[] = [];

  const forward = (upstreamPort: number) => (client: Socket) => {
    if (open >= limit) {
      refused++;
      client.destroy();
      return;
    }
    open++;
    accepted++;
    peak = Math.max(peak, open);
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client);
    sockets.add(upstream);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open--;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  try {
    for (const port of opts.upstreamPorts) {
      const server = createServer(forward(port));
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => resolve());
      });
    }
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }
  return {
    ports: servers.map((s) => {
      const address = s.address();
      if (!address || typeof address !== 'object') throw new Error('proxy listener has no address');
      return address.port;
    }),
    stats: () => ({ accepted, refused, open, peak }),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
