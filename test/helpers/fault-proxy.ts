/**
 * A TCP proxy on 127.0.0.1 in front of one upstream (a throwaway PostgreSQL) that a test can cut
 * and restore: cut() drops every open connection and closes each new one as it is accepted — the
 * dependency failing as the service sees it, without killing the server whose data the test still
 * needs after restore(). Bytes are piped untouched; stop() closes everything.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface FaultProxy {
  port: number;
  /** The upstream fails from now on: open connections are destroyed, new ones closed at once. */
  cut(): void;
  restore(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  let down = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no port');
  return {
    port: address.port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
