/**
 * The UDP delay relay with real sockets on 127.0.0.1: an echo server stands in for the SFU's UDP
 * port. Round trips through the relay grow by twice the delay, packets keep their order, each
 * client gets its own upstream socket, and the relay stops by itself (lifetime, packet budget).
 * Jitter spreads the round trips without reordering; loss drops the share it should.
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

/** Sends `count` numbered datagrams `intervalMs` apart (0: all at once); resolves with [seq, rtt ms]
 *  in arrival order once all came back or `timeoutMs` after the last was sent. */
async function pingThrough(client: Socket, port: number, count: number, timeoutMs: number, intervalMs = 5): Promise<[number, number][]> {
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
    if (intervalMs > 0) await new Promise((r) => setTimeout(r, intervalMs));
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
    expect(relay.counts).toMatchObject({ toUpstream: 40, toClient: 40, dropped: 0, lost: 0, clients: 1 });
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

  it('refuses an upstream outside 127.0.0.0/8, an absurd delay or jitter, and a loss outside 0..100 %', async () => {
    const base = { upstreamHost: '127.0.0.1', upstreamPort: 9, listenPort: 0, delayMs: 10, maxLifetimeSec: 1 };
    await expect(startUdpDelayRelay({ ...base, upstreamHost: '192.0.2.2' })).rejects.toThrow(/127\.x/);
    await expect(startUdpDelayRelay({ ...base, delayMs: 60_000 })).rejects.toThrow(RangeError);
    await expect(startUdpDelayRelay({ ...base, jitterMs: -1 })).rejects.toThrow(/jitterMs must be within 0\.\.10000, got -1/);
    await expect(startUdpDelayRelay({ ...base, jitterMs: Number.NaN })).rejects.toThrow(RangeError);
    await expect(startUdpDelayRelay({ ...base, lossPct: 101 })).rejects.toThrow(/lossPct must be within 0\.\.100 \(a percentage\), got 101/);
    await expect(startUdpDelayRelay({ ...base, lossPct: 0.3, seed: 1.5 })).rejects.toThrow(/seed must be an integer/);
  });

  it('with jitter, spreads the round trips above twice the delay and keeps packet order', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 20, { jitterMs: 40 });
    // 20 ms apart, so a packet is rarely held back behind the one before and its own draw shows.
    const got = await pingThrough(await udp(), relay.port, 60, 3000, 20);
    expect(got).toHaveLength(60);
    expect(got.map(([seq]) => seq)).toEqual([...Array(60).keys()]);
    const rtts = got.map(([, rtt]) => rtt).sort((a, b) => a - b);
    // Each direction adds 20 ms + U(0, 40): round trips lie in [40, 120) ms plus the machine's own
    // delay, which only adds. Two uniform draws summed: a spread under 20 ms over 60 round trips
    // would need all 60 sums inside one 20 ms window — vanishingly unlikely (< 1e-15).
    expect(rtts[0]).toBeGreaterThanOrEqual(2 * 20);
    expect((rtts[59] as number) - (rtts[0] as number)).toBeGreaterThan(20);
    expect(relay.counts).toMatchObject({ toUpstream: 60, toClient: 60, dropped: 0, lost: 0 });
  });

  it('with jitter, keeps the order of a burst whose packets are held to the same departure', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 20, { jitterMs: 40 });
    // All at once: most packets are held behind an earlier one's departure, many to the very same
    // time — the case where one timer per packet would let a later packet overtake. 150, not more:
    // a socket's default receive buffer (212,992 bytes) holds only ~256 small datagrams (each is
    // charged ~830 bytes): a burst of 300 came back as 256 here, lost in socket buffers, not by the relay.
    const got = await pingThrough(await udp(), relay.port, 150, 3000, 0);
    expect(relay.counts).toMatchObject({ toUpstream: 150, toClient: 150, dropped: 0, lost: 0 });
    expect(got).toHaveLength(150);
    expect(got.map(([seq]) => seq)).toEqual([...Array(150).keys()]);
    expect(Math.min(...got.map(([, rtt]) => rtt))).toBeGreaterThanOrEqual(2 * 20);
  });

  it('with lossPct 30, loses each packet in each direction with that chance — counted as lost, not dropped', async () => {
    const n = 400;
    const p = 0.3;
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 0, { lossPct: 30 });
    const got = await pingThrough(await udp(), relay.port, n, 1000, 2);
    const c = relay.counts;
    // The bands are ±4σ of the binomial each count follows (two-sided chance of falling outside
    // ≈ 6e-5 per check), so this does not flake; a relay losing 25 % or 35 % instead would fail.
    const band = (trials: number, q: number) => 4 * Math.sqrt(trials * q * (1 - q));
    // Upstream: Binomial(400, 0.7) arrive — 280 ± 37.
    expect(Math.abs(c.toUpstream - n * (1 - p))).toBeLessThan(band(n, 1 - p));
    // A round trip survives both directions: 0.7² = 0.49 — 196 ± 40 of 400 come back.
    expect(Math.abs(got.length - n * (1 - p) ** 2)).toBeLessThan(band(n, (1 - p) ** 2));
    // Every loss is the relay's choice: what did not come back is exactly what it counted lost
    // (loopback itself loses nothing, and the echo answers everything that reaches it).
    expect(got.length).toBe(c.toClient);
    expect(c.lost).toBe(n - got.length);
    expect(c.dropped).toBe(0);
    // Per packet offered to the relay (400 up, one reply per arrival down), 30 % lost.
    const offered = n + c.toUpstream;
    expect(Math.abs(c.lost - p * offered)).toBeLessThan(band(offered, p));
    // Losing never reorders what is left.
    const seqs = got.map(([seq]) => seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('with lossPct 0, loses nothing', async () => {
    const echo = await echoServer();
    const relay = await relayTo(echo.port, 0, { lossPct: 0, jitterMs: 0 });
    const got = await pingThrough(await udp(), relay.port, 200, 2000, 2);
    expect(got).toHaveLength(200);
    expect(relay.counts).toMatchObject({ toUpstream: 200, toClient: 200, lost: 0, dropped: 0 });
  });
});
