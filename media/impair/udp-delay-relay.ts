/**
 * A UDP relay that adds a fixed delay to every packet, in both directions, in front of the SFU's
 * UDP port: clients send to the relay; each client address gets its own upstream socket, so the SFU
 * sees one distinct peer per client and its replies find their way back.
 *
 * Bounded in every way: it binds 127.0.0.1 only and relays only to a 127.x upstream; it stops by
 * itself after `maxLifetimeSec`, after `maxPackets` packets, and drops (counts) packets beyond
 * `maxInFlight` waiting ones or from more than `maxClients` client addresses.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isLoopbackV4 } from '../probe/stats-digest.ts';

export interface UdpDelayRelayOptions {
  /** The SFU's UDP address (a 127.x address). */
  upstreamHost: string;
  upstreamPort: number;
  /** Port clients send to, on 127.0.0.1 (0 = any free port). */
  listenPort: number;
  /** Added to each packet in each direction, ms (so the round trip grows by twice this). */
  delayMs: number;
  /** The relay closes after this many seconds. */
  maxLifetimeSec: number;
  /** The relay closes after relaying this many packets, both directions together (default 5,000,000). */
  maxPackets?: number;
  /** Packets waiting out their delay at once; more are dropped (default 50,000). */
  maxInFlight?: number;
  /** Distinct client addresses served; packets from more are dropped (default 64). */
  maxClients?: number;
}

export interface RelayCounts {
  toUpstream: number;
  toClient: number;
  dropped: number;
  clients: number;
}

export interface UdpDelayRelay {
  port: number;
  counts: RelayCounts;
  /** Resolves once the relay closed (by close(), its lifetime or its packet budget). */
  closed: Promise<void>;
  close(): Promise<void>;
}

const bindLoopback = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, '127.0.0.1', () => {
      s.off('error', reject);
      resolve(s);
    });
  });

export async function startUdpDelayRelay(opts: UdpDelayRelayOptions): Promise<UdpDelayRelay> {
  if (!isLoopbackV4(opts.upstreamHost)) throw new Error(`relay upstream must be a 127.x address, got ${opts.upstreamHost}`);
  if (!(opts.delayMs >= 0 && opts.delayMs <= 10_000)) throw new RangeError(`delayMs must be within 0..10000, got ${opts.delayMs}`);
  const maxPackets = opts.maxPackets ?? 5_000_000;
  const maxInFlight = opts.maxInFlight ?? 50_000;
  const maxClients = opts.maxClients ?? 64;
  const counts: RelayCounts = { toUpstream: 0, toClient: 0, dropped: 0, clients: 0 };
  const front = await bindLoopback(opts.listenPort);
  const upstreamOf = new Map<string, Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closing = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  // Same delay for every packet of a direction, and Node runs equal-duration timers in the order they
  // were set: packets leave in the order they came.
  function later(send: () => void): void {
    if (timers.size >= maxInFlight) {
      counts.dropped++;
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closing) send();
    }, opts.delayMs);
    timers.add(t);
  }

  function budgetSpent(): boolean {
    if (counts.toUpstream + counts.toClient < maxPackets) return false;
    void close();
    return true;
  }

  front.on('message', (msg: Buffer, from: RemoteInfo) => {
    if (closing || budgetSpent()) return;
    const key = `${from.address}:${from.port}`;
    let up = upstreamOf.get(key);
    if (!up) {
      if (upstreamOf.size >= maxClients) {
        counts.dropped++;
        return;
      }
      const socket = createSocket('udp4');
      up = socket;
      upstreamOf.set(key, socket);
      counts.clients++;
      socket.bind(0, '127.0.0.1');
      socket.on('message', (reply: Buffer) => {
        if (closing || budgetSpent()) return;
        later(() => {
          counts.toClient++;
          front.send(reply, from.port, from.address);
        });
      });
      socket.on('error', () => counts.dropped++);
    }
    const target = up;
    later(() => {
      counts.toUpstream++;
      target.send(msg, opts.upstreamPort, opts.upstreamHost);
    });
  });
  front.on('error', () => counts.dropped++);

  async function close(): Promise<void> {
    if (closing) return closed;
    closing = true;
    clearTimeout(lifetime);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    const all = [front, ...upstreamOf.values()];
    await Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
    resolveClosed();
    return closed;
  }
  const lifetime = setTimeout(() => void close(), opts.maxLifetimeSec * 1000);
  const address = front.address();
  return { port: address.port, counts, closed, close };
}
