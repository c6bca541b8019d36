/** Fixtures: getStats of a real probe pair (Chromium 156, livekit-server 1.13.5, in a lo-only
 *  namespace), recorded by fixtures/record-stats.mts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  inboundInterval,
  inboundVideo,
  isLoopbackV4,
  outboundInterval,
  outboundVideo,
  selectedPair,
  type StatsEntry,
} from '../../../media/probe/stats-digest.ts';

const load = (name: string): StatsEntry[] => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as StatsEntry[];
const publisher = load('getstats-publisher.json');
const subscriber = load('getstats-subscriber.json');

/** A copy of `stats` with `patch` applied to the entries of `type`. */
function patched(stats: StatsEntry[], type: string, patch: Record<string, unknown>): StatsEntry[] {
  return stats.map((s) => (s.type === type ? ({ ...s, ...patch } as StatsEntry) : s));
}

describe('selectedPair', () => {
  it('finds the transport’s selected pair: 127.0.0.1 on both ends, UDP to the SFU port', () => {
    for (const stats of [publisher, subscriber]) {
      const pair = selectedPair(stats);
      expect(pair?.local.address).toBe('127.0.0.1');
      expect(pair?.remote).toMatchObject({ address: '127.0.0.1', protocol: 'udp', candidateType: 'host' });
      expect(pair?.loopbackOnly).toBe(true);
      expect(pair?.currentRttMs).toBeGreaterThan(0);
    }
  });

  it('flags a pair with an end outside 127.0.0.0/8', () => {
    const leaked = patched(subscriber, 'local-candidate', { address: '192.0.2.2' });
    expect(selectedPair(leaked)).toMatchObject({ loopbackOnly: false, local: { address: '192.0.2.2' } });
  });

  it('falls back to the nominated succeeded pair when the report has no transport entry', () => {
    const noTransport = subscriber.filter((s) => s.type !== 'transport');
    expect(selectedPair(noTransport)?.remote.port).toBe(selectedPair(subscriber)?.remote.port);
  });

  it('is undefined while ICE has not selected a pair', () => {
    const checking = patched(
      subscriber.filter((s) => s.type !== 'transport'),
      'candidate-pair',
      { nominated: false, state: 'in-progress' },
    );
    expect(selectedPair(checking)).toBeUndefined();
  });
});

describe('isLoopbackV4', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['192.0.2.2', false],
    ['::1', false],
    ['1127.0.0.1', false],
    ['abcd.local', false],
  ])('%s → %s', (addr, expected) => expect(isLoopbackV4(addr)).toBe(expected));
});

describe('publisher layers', () => {
  it('lists the simulcast layers largest first', () => {
    const layers = outboundVideo(publisher);
    expect(layers.map((l) => [l.rid, l.frameWidth, l.frameHeight])).toEqual([
      ['h', 640, 360],
      ['q', 160, 90],
    ]);
    expect(layers.every((l) => l.bytesSent > 0 && l.framesEncoded > 0)).toBe(true);
  });

  it('turns two snapshots into kbps and fps per layer', () => {
    const before = outboundVideo(publisher);
    const after = before.map((l) => ({ ...l, timestampMs: l.timestampMs + 2000, bytesSent: l.bytesSent + (l.rid === 'h' ? 100_000 : 25_000), framesEncoded: l.framesEncoded + 60 }));
    const interval = outboundInterval(before, after, 0);
    expect(interval.kbps).toBeCloseTo(500, 6);
    expect(interval.layers.find((l) => l.rid === 'h')).toMatchObject({ kbps: 400, fps: 30 });
    expect(interval.fps).toBe(30);
  });
});

describe('subscriber inbound video', () => {
  it('reads the counters of the inbound video stream', () => {
    const v = inboundVideo(subscriber);
    expect(v).toBeDefined();
    expect(v?.framesDecoded).toBeGreaterThan(0);
    expect(v?.bytesReceived).toBeGreaterThan(0);
    expect(v?.frameHeight).toBeGreaterThan(0);
  });

  it('turns two snapshots into kbps, loss, fps, freezes and jitter-buffer time', () => {
    const before = inboundVideo(subscriber)!;
    const after = {
      ...before,
      timestampMs: before.timestampMs + 1000,
      bytesReceived: before.bytesReceived + 62_500,
      packetsReceived: before.packetsReceived + 95,
      packetsLost: before.packetsLost + 5,
      framesDecoded: before.framesDecoded + 30,
      freezeCount: before.freezeCount + 1,
      jitterBufferDelaySec: before.jitterBufferDelaySec + 1.5,
      jitterBufferEmittedCount: before.jitterBufferEmittedCount + 30,
    };
    const interval = inboundInterval(before, after, 0);
    expect(interval).toMatchObject({ kbps: 500, packetsReceived: 95, packetsLost: 5, fps: 30, freezes: 1 });
    expect(interval.jitterBufferMs).toBeCloseTo(50, 6);
  });

  it('measures the first interval from the start, and never reports negative loss', () => {
    const cur = inboundVideo(subscriber)!;
    const first = inboundInterval(undefined, cur, cur.timestampMs - 2000);
    expect(first.seconds).toBeCloseTo(2, 6);
    expect(first.kbps).toBeCloseTo((cur.bytesReceived * 8) / 1000 / 2, 6);
    const recovered = inboundInterval({ ...cur, packetsLost: cur.packetsLost + 3 }, { ...cur, timestampMs: cur.timestampMs + 1000 }, 0);
    expect(recovered.packetsLost).toBe(0);
  });

  it('is undefined without an inbound video entry', () => {
    expect(inboundVideo(publisher)).toBeUndefined();
  });
});
