/** Fixture: the probe metrics' samples of a real run (k6 --out json): a publisher, a direct
 *  subscriber and one behind the 200 ms delay relay, in one room, 20 s (recorded on a busy machine). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { distribution, percentile, pooledLatency, pooledLatencyByPath, summarizeProbeSamples } from '../../../media/probe/probe-results.ts';

const lines = gunzipSync(readFileSync(new URL('./fixtures/relay-run.samples.jsonl.gz', import.meta.url))).toString('utf8').split('\n').filter(Boolean);
type Point = { metric: string; data: { time: string; value: number; tags: Record<string, string> } };
const points = lines.map((l) => JSON.parse(l) as Point);
const valuesOf = (metric: string, probe: string): number[] => points.filter((p) => p.metric === metric && p.data.tags.probe === probe).map((p) => p.data.value);

describe('percentile', () => {
  it('interpolates between closest ranks like k6', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 50)).toBeCloseTo(50.5, 10);
    expect(percentile(s, 95)).toBeCloseTo(95.05, 10);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it('gives no distribution for no values', () => {
    expect(distribution([])).toBeUndefined();
  });
});

describe('summarizeProbeSamples on a recorded run', () => {
  const results = summarizeProbeSamples(lines);
  const get = (id: string) => results.find((r) => r.identity === id)!;

  it('has one result per probe, with role, room and path from the tags', () => {
    expect(results.map((r) => [r.identity, r.role, r.path])).toEqual([
      ['pub-0', 'publisher', 'direct'],
      ['sub-direct', 'subscriber', 'direct'],
      ['sub-relay', 'subscriber', 'relay+200ms'],
    ]);
    expect(new Set(results.map((r) => r.room)).size).toBe(1);
    expect(results.every((r) => r.ok && Object.keys(r.failures).length === 0)).toBe(true);
  });

  it('summarizes every latency sample of a subscriber', () => {
    for (const id of ['sub-direct', 'sub-relay']) {
      const raw = valuesOf('gomeet_video_latency_ms', id);
      const l = get(id).latency!;
      expect(l.count).toBe(raw.length);
      expect(l.min).toBe(Math.min(...raw));
      expect(l.max).toBe(Math.max(...raw));
      expect(l.mean).toBeCloseTo(raw.reduce((a, b) => a + b, 0) / raw.length, 9);
      expect(l.min <= l.p50 && l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max).toBe(true);
      expect(get(id).framesRead).toBe(valuesOf('gomeet_probe_frames_read', id).reduce((a, b) => a + b, 0));
    }
    expect(get('pub-0').latency).toBeUndefined();
  });

  it('shows the relayed subscriber’s extra delay, in latency and in STUN round trip', () => {
    expect(get('sub-relay').latency!.p50 - get('sub-direct').latency!.p50).toBeGreaterThan(100);
    expect(get('sub-relay').rttMs! - get('sub-direct').rttMs!).toBeGreaterThan(300);
  });

  it('adds up packets and freezes, and derives loss', () => {
    const sub = get('sub-direct');
    const recv = valuesOf('gomeet_probe_packets_received', 'sub-direct').reduce((a, b) => a + b, 0);
    const lost = valuesOf('gomeet_probe_packets_lost', 'sub-direct').reduce((a, b) => a + b, 0);
    expect(sub.packetsReceived).toBe(recv);
    expect(sub.lossPct).toBeCloseTo((lost / (recv + lost)) * 100, 9);
    expect(sub.freezes).toBe(valuesOf('gomeet_probe_freezes', 'sub-direct').reduce((a, b) => a + b, 0));
    expect(get('pub-0').lossPct).toBeUndefined();
  });

  it('lists the candidate pairs seen: 127.0.0.1 only', () => {
    for (const r of results) {
      expect(r.nonLoopbackPairSamples).toBe(0);
      expect(r.pairs.every((p) => p.localAddress === '127.0.0.1' && p.remoteAddress === '127.0.0.1')).toBe(true);
      expect(r.pairs.reduce((a, p) => a + p.samples, 0)).toBe(valuesOf('gomeet_probe_loopback_pair', r.identity).length);
    }
  });

  it('leaves out the warm-up: the earliest samples of each probe', () => {
    const warm = summarizeProbeSamples(lines, { warmupSec: 5 });
    const direct = warm.find((r) => r.identity === 'sub-direct')!;
    expect(direct.latencyWarmupSamples).toBeGreaterThan(0);
    expect(direct.latency!.count + direct.latencyWarmupSamples).toBe(get('sub-direct').latency!.count);
  });
});

describe('summarizeProbeSamples on edge cases', () => {
  const point = (metric: string, value: number, tags: Record<string, string>, time = '2026-11-30T10:00:00Z') =>
    JSON.stringify({ type: 'Point', metric, data: { time, value, tags: { role: 'subscriber', room: 'r', ...tags } } });

  it('treats a probe without a verdict sample as not ok (missing data is never a pass)', () => {
    const [r] = summarizeProbeSamples([point('gomeet_video_latency_ms', 40, { probe: 'p' })]);
    expect(r!.ok).toBe(false);
  });

  it('counts failures by reason and pairs outside loopback', () => {
    const [r] = summarizeProbeSamples([
      point('gomeet_probe_ok', 0, { probe: 'p' }),
      point('gomeet_probe_failures', 1, { probe: 'p', reason: 'non_loopback_pair' }),
      point('gomeet_probe_loopback_pair', 0, { probe: 'p', local_address: '192.0.2.2', remote_address: '127.0.0.1', protocol: 'udp', local_type: 'host', remote_type: 'host' }),
      '{"type":"Metric","metric":"gomeet_probe_ok"}',
      'not json at all "gomeet_',
    ]);
    expect(r).toMatchObject({ ok: false, failures: { non_loopback_pair: 1 }, nonLoopbackPairSamples: 1, latency: undefined });
    expect(r!.pairs[0]).toMatchObject({ localAddress: '192.0.2.2', samples: 1 });
  });
});

describe('pooledLatency', () => {
  it('pools every subscriber’s frames (after each one’s warm-up) into one distribution', () => {
    const all = pooledLatency(lines)!;
    const raw = [...valuesOf('gomeet_video_latency_ms', 'sub-direct'), ...valuesOf('gomeet_video_latency_ms', 'sub-relay')];
    expect(all.count).toBe(raw.length);
    expect(all.max).toBe(Math.max(...raw));
    const warm = summarizeProbeSamples(lines, { warmupSec: 5 });
    expect(pooledLatency(lines, { warmupSec: 5 })!.count).toBe(warm.reduce((n, r) => n + (r.latency?.count ?? 0), 0));
  });
  it('is undefined without latency samples (no data is not a pass)', () => {
    expect(pooledLatency([])).toBeUndefined();
  });
});

describe('pooledLatencyByPath', () => {
  it('gives each path the pooled latency of its subscribers only, after the warm-up', () => {
    const byPath = pooledLatencyByPath(lines, { warmupSec: 5 });
    expect([...byPath.keys()].sort()).toEqual(['direct', 'relay+200ms']);
    const warm = summarizeProbeSamples(lines, { warmupSec: 5 });
    // One subscriber per path in the fixture: its path's distribution is its own.
    expect(byPath.get('direct')).toEqual(warm.find((r) => r.identity === 'sub-direct')!.latency);
    expect(byPath.get('relay+200ms')).toEqual(warm.find((r) => r.identity === 'sub-relay')!.latency);
    // The median shows the relay; the p95 need not — in this fixture (a busy machine) the direct
    // path's spikes put its p95 above the relayed one's.
    expect(byPath.get('relay+200ms')!.p50 - byPath.get('direct')!.p50).toBeGreaterThan(100);
  });
  it('has no entry for a path without latency samples (a publisher-only path is absent, not zero)', () => {
    expect(pooledLatencyByPath([]).size).toBe(0);
  });
});
