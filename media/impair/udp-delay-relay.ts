/**
 * A UDP relay that impairs every packet, in both directions, in front of the SFU's UDP port: a
 * fixed delay, optional jitter on top of it, optional random loss. Clients send to the relay; each
 * client address gets its own upstream socket, so the SFU sees one distinct peer per client and its
 * replies find their way back.
 *
 * Jitter delays, it never reorders: each direction of each client is a queue (departure-queue.ts),
 * and a packet leaves at max(the previous packet's departure, arrival + delay + jitter draw).
 * WebRTC copes with both, but a reordered packet looks like a gap to the receiver first — NACKs,
 * retransmissions, counted loss — so reordering would turn jitter into apparent loss and the two
 * faults could no longer be told apart in a run that sets only one of them.
 *
 * Loss and jitter draw from a seeded PRNG (seeded-random.ts): the same seed and the same packets
 * arriving in the same order give the same drops and delays, so a lossy run can be repeated (one
 * stream serves all clients and both directions, so a different interleaving draws differently).
 *
 * Bounded in every way: it binds 127.0.0.1 only and relays only to a 127.x upstream; it stops by
 * itself after `maxLifetimeSec`, after `maxPackets` packets, and drops (counts) packets beyond
 * `maxInFlight` waiting ones or from more than `maxClients` client addresses.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isLoopbackV4 } from '../probe/stats-digest.ts';
import { DepartureQueue } from './departure-queue.ts';
import { mulberry32 } from './seeded-random.ts';

export interface UdpDelayRelayOptions {
  /** The SFU's UDP address (a 127.x address). */
  upstreamHost: string;
  upstreamPort: number;
  /** Port clients send to, on 127.0.0.1 (0 = any free port). */
  listenPort: number;
  /** Added to each packet in each direction, ms (so the round trip grows by twice this). */
  delayMs: number;
  /** Each packet waits a further uniform random 0..jitterMs ms, without overtaking an earlier one
   *  of its direction (default 0). */
  jitterMs?: number;
  /** Chance that a packet is lost, % (0..100), each packet and each direction on its own (default 0). */
  lossPct?: number;
  /** Seed of the loss and jitter draws (default 1): same seed, same packets → same impairment. */
  seed?: number;
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
  /** Dropped by the relay's own limits (in-flight, clients, socket errors) — not impairment. */
  dropped: number;
  /** Dropped on purpose, by lossPct. */
  lost: number;
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

/** Throws a RangeError naming the first impairment setting out of range. Exported so a caller that
 *  starts the relay in a child process can refuse a bad setting before starting anything. */
export function checkImpairment(o: Pick<UdpDelayRelayOptions, 'delayMs' | 'jitterMs' | 'lossPct' | 'seed'>): void {
  if (!(o.delayMs >= 0 && o.delayMs <= 10_000)) throw new RangeError(`delayMs must be within 0..10000, got ${o.delayMs}`);
  const jitterMs = o.jitterMs ?? 0;
  const lossPct = o.lossPct ?? 0;
  if (!(jitterMs >= 0 && jitterMs <= 10_000)) throw new RangeError(`jitterMs must be within 0..10000, got ${jitterMs}`);
  if (!(lossPct >= 0 && lossPct <= 100)) throw new RangeError(`lossPct must be within 0..100 (a percentage), got ${lossPct}`);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
}

export async function startUdpDelayRelay(opts: UdpDelayRelayOptions): Promise<UdpDelayRelay> {
  if (!isLoopbackV4(opts.upstreamHost)) throw new Error(`relay upstream must be a 127.x address, got ${opts.upstreamHost}`);
  checkImpairment(opts);
  const jitterMs = opts.jitterMs ?? 0;
  const lossPct = opts.lossPct ?? 0;
  const seed = opts.seed ?? 1;
  // Two streams, so which packets are lost does not depend on whether jitter is on, and vice versa.
  const lossDraw = mulberry32(seed);
  const jitterDraw = mulberry32(seed ^ 0x9e3779b9);
  const maxPackets = opts.maxPackets ?? 5_000_000;
  const maxInFlight = opts.maxInFlight ?? 50_000;
  const maxClients = opts.maxClients ?? 64;
  const counts: RelayCounts = { toUpstream: 0, toClient: 0, dropped: 0, lost: 0, clients: 0 };
  const front = await bindLoopback(opts.listenPort);
  /** Per client address: its upstream socket and one queue per direction (a client's path is its own link). */
  const upstreamOf = new Map<string, { socket: Socket; up: DepartureQueue; down: DepartureQueue }>();
  let waiting = 0;
  let closing = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  function later(queue: DepartureQueue, send: () => void): void {
    if (lossPct > 0 && lossDraw() * 100 < lossPct) {
      counts.lost++;
      return;
    }
    if (waiting >= maxInFlight) {
      counts.dropped++;
      return;
    }
    waiting++;
    const extra = jitterMs > 0 ? jitterDraw() * jitterMs : 0;
    queue.push(opts.delayMs + extra, () => {
      waiting--;
      if (!closing) send();
    });
  }

  function budgetSpent(): boolean {
    if (counts.toUpstream + counts.toClient < maxPackets) return false;
    void close();
    return true;
  }

  front.on('message', (msg: Buffer, from: RemoteInfo) => {
    if (closing || budgetSpent()) return;
    const key = `${from.address}:${from.port}`;
    let path = upstreamOf.get(key);
    if (!path) {
      if (upstreamOf.size >= maxClients) {
        counts.dropped++;
        return;
      }
      const socket = createSocket('udp4');
      const down = new DepartureQueue();
      path = { socket, up: new DepartureQueue(), down };
      upstreamOf.set(key, path);
      counts.clients++;
      socket.bind(0, '127.0.0.1');
      socket.on('message', (reply: Buffer) => {
        if (closing || budgetSpent()) return;
        later(down, () => {
          counts.toClient++;
          front.send(reply, from.port, from.address);
        });
      });
      socket.on('error', () => counts.dropped++);
    }
    const target = path.socket;
    later(path.up, () => {
      counts.toUpstream++;
      target.send(msg, opts.upstreamPort, opts.upstreamHost);
    });
  });
  front.on('error', () => counts.dropped++);

  async function close(): Promise<void> {
    if (closing) return closed;
    closing = true;
    clearTimeout(lifetime);
    for (const p of upstreamOf.values()) {
      p.up.clear();
      p.down.clear();
    }
    const all = [front, ...[...upstreamOf.values()].map((p) => p.socket)];
    await Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
    resolveClosed();
    return closed;
  }
  const lifetime = setTimeout(() => void close(), opts.maxLifetimeSec * 1000);
  const address = front.address();
  return { port: address.port, counts, closed, close };
}
