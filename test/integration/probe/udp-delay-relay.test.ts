/**
 * The UDP delay relay with real sockets on 127.0.0.1: an echo server stands in for the SFU's UDP
 * port. Round trips through the relay grow by twice the delay, packets keep their order, each
 * client gets its own upstream socket, and the relay stops by itself (lifetime, packet budget).
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startUdpDelayRelay, type UdpDelayRelay } from '../../../media/impair/udp-delay-relay.ts';

const open: (Socket | UdpDelayRelay)[] = [];

async function udp(port = 0): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(port, '127.0.0.1', () => resolve()));
  open.push(s);
  return s;
}

/** Echoes every datagram back to its sender; remembers which source ports it saw. */
async function echoServer(): Promise<{ port: number; sources: Set<number> }> {
  const s = await udp();
  const sources = new Set<number>();
  s.on('message', (msg, from) => {
    sources.add(from.port);
    s.send(msg, from.port, from.address);
  });
  return { port: s.address().port, sources };
}

async function relayTo(port: number, delayMs: number, extra: Partial<Parameters<typeof startUdpDelayRelay>[0]> = {}): Promise<UdpDelayRelay> {
  const relay = await startUdpDelayRelay({ upstreamHost: '127.0.0.1', upstreamPort: port, listenPort: 0, delayMs, maxLifetimeSec: 30, ...extra });
  open.push(relay);
  return relay;
}

/** Sends `count` numbered datagrams 5 ms apart; resolves with [seq, rtt ms] in arrival order. */
async function pingThrough(client: Socket, port: number, count: number, timeoutMs: number): Promise<[number, number][]> {
  const sentAt = new Map<number, number>();
  const got: [number, number][] = [];
  client.on('message', (msg) => {
    const seq = msg.readUInt32BE(0);
    got.push([seq, performance.now() - (sentAt.get(seq) as number)]);
  });
  for (let i = 0; i < count; i++) {
    const b = Buffer.alloc(64);
    b.writeUInt32BE(i, 0);
    sentAt.set(i, performance.now());
    client.send(b, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 5));
  }
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return got;
}

afterEach(async () => {
  for (const x of open.splice(0)) {
    if ('close' in x && 'counts' in x) await x.close();
    else (x as Socket).close();
  }
});

describe('UDP delay relay', () => {
  it('adds the delay in each direction and keeps packet order', async () => {
    const echo = await echoServer();
    const direct = await pingThrough(await udp(), echo.port, 20, 2000);
    const relay = await relayTo(echo.port, 100);
    const relayed = await pingThrough(await udp(), relay.port, 40, 3000);

    expect(direct).toHaveLength(20);
    expect(relayed).toHaveLength(40);
    expect(relayed.map(([seq]) => seq)).toEqual([...Array(40).keys()]);
    const rtts = relayed.map(([, rtt]) => rtt).sort((a, b) => a - b);
    const median = rtts[20] as number;
    // 2 × 100 ms; a busy machine adds some on top, never takes any away.
    expect(rtts[0]).toBeGreaterThanOrEqual(199);
    expect(median).toBeLessThan(260);
    expect(relay.counts).toMatchObject({ toUpstream: 40, toClient: 40, dropped: 0, clients: 1 });
  });

  it('gives each client its own upstream socket, so replies find the right client', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 0);
    const [a, b] = [await udp(), await udp()];
    const [ra, rb] = await Promise.all([pingThrough(a, relay.port, 5, 2000), pingThrough(b, relay.port, 5, 2000)]);
    expect(ra).toHaveLength(5);
    expect(rb).toHaveLength(5);
    expect(echo.sources.size).toBe(2);
    expect(relay.counts.clients).toBe(2);
  });

  it('stops by itself when its packet budget is spent', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 0, { maxPackets: 10 });
    const got = await pingThrough(await udp(), relay.port, 20, 1000);
    await relay.closed;
    expect(got.length).toBeLessThanOrEqual(10);
    expect(relay.counts.toUpstream + relay.counts.toClient).toBeLessThanOrEqual(10);
  });

  it('stops by itself when its lifetime is up', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 0, { maxLifetimeSec: 0.3 });
    const t0 = Date.now();
    await relay.closed;
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses an upstream outside 127.0.0.0/8 and an absurd delay', async () => {
    await expect(startUdpDelayRelay({ upstreamHost: '192.0.2.2', upstreamPort: 9, listenPort: 0, delayMs: 10, maxLifetimeSec: 1 })).rejects.toThrow(/127\.x/);
    await expect(startUdpDelayRelay({ upstreamHost: '127.0.0.1', upstreamPort: 9, listenPort: 0, delayMs: 60_000, maxLifetimeSec: 1 })).rejects.toThrow(RangeError);
  });
});
