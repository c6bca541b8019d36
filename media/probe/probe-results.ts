/**
 * Per-probe results from the samples k6 wrote (`k6 run --out json=<file>`, one JSON object per
 * line): end-to-end latency percentiles, frames read and reads dropped, fps, kbps, jitter, loss,
 * freezes, the candidate pairs media used, and whether the probe ran to the end.
 *
 * Missing data is never a pass: a probe without a `gomeet_probe_ok` sample counts as not ok, a
 * subscriber without latency samples has `latency: undefined`, and callers treat both as failures.
 *
 * Pure (strings in, numbers out): unit tests run it on a file recorded from a real run.
 */
import type { ProbeRole } from './page-api.ts';

interface K6Point {
  type: 'Point';
  metric: string;
  data: { time: string; value: number; tags?: Record<string, string> };
}

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PairSeen {
  localAddress: string;
  remoteAddress: string;
  protocol: string;
  localType: string;
  remoteType: string;
  samples: number;
}

export interface ProbeResult {
  identity: string;
  role: ProbeRole;
  room: string;
  path: string;
  /** Ran its whole duration without a failure (false also when no verdict sample exists). */
  ok: boolean;
  failures: Record<string, number>;
  connectMs: number | undefined;
  /** End-to-end video latency per frame after the warm-up, ms (subscribers). */
  latency: Distribution | undefined;
  /** Latency samples left out as warm-up. */
  latencyWarmupSamples: number;
  framesRead: number;
  readsDropped: Record<string, number>;
  /** Mean over sampling intervals. */
  fps: number | undefined;
  inboundKbps: number | undefined;
  outboundKbps: number | undefined;
  /** Frame height over the sampling intervals, px: the layer received, or the largest one sent. */
  frameHeight: Distribution | undefined;
  jitterMs: Distribution | undefined;
  jitterBufferMs: number | undefined;
  packetsReceived: number;
  packetsLost: number;
  /** lost / (received + lost) × 100; undefined without packets. */
  lossPct: number | undefined;
  freezes: number;
  rttMs: number | undefined;
  pairs: PairSeen[];
  /** Samples whose selected pair had an end outside 127.0.0.0/8. */
  nonLoopbackPairSamples: number;
}

/** Linear interpolation between closest ranks (what k6's trend percentiles do). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((x, y) => x - y);
  return {
    count: s.length,
    min: s[0] as number,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] as number,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

const mean = (v: readonly number[]): number | undefined => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined);

interface Acc {
  tags: Record<string, string>;
  ok: number[];
  failures: Record<string, number>;
  connectMs: number[];
  latency: { t: number; v: number }[];
  framesRead: number;
  readsDropped: Record<string, number>;
  fps: number[];
  inKbps: number[];
  outKbps: number[];
  height: number[];
  jitter: number[];
  jbuf: number[];
  pktRecv: number;
  pktLost: number;
  freezes: number;
  rtt: number[];
  pairs: Map<string, PairSeen>;
  nonLoopback: number;
}

export interface SummarizeOptions {
  /** Latency samples in the first warmupSec after a probe's first one are left out (default 0). */
  warmupSec?: number;
}

/** The probe metrics' points of k6 JSON-output lines, by probe (other lines are skipped). */
function accumulate(lines: Iterable<string>): Map<string, Acc> {
  const byProbe = new Map<string, Acc>();
  for (const line of lines) {
    if (!line.includes('"gomeet_')) continue;
    let p: K6Point;
    try {
      p = JSON.parse(line) as K6Point;
    } catch {
      continue;
    }
    if (p.type !== 'Point' || !p.metric.startsWith('gomeet_')) continue;
    const tags = p.data.tags ?? {};
    const id = tags.probe;
    if (!id) continue;
    let a = byProbe.get(id);
    if (!a) {
      a = { tags, ok: [], failures: {}, connectMs: [], latency: [], framesRead: 0, readsDropped: {}, fps: [], inKbps: [], outKbps: [], height: [], jitter: [], jbuf: [], pktRecv: 0, pktLost: 0, freezes: 0, rtt: [], pairs: new Map(), nonLoopback: 0 };
      byProbe.set(id, a);
    }
    const v = p.data.value;
    switch (p.metric) {
      case 'gomeet_video_latency_ms':
        a.latency.push({ t: Date.parse(p.data.time), v });
        break;
      case 'gomeet_probe_ok':
        a.ok.push(v);
        break;
      case 'gomeet_probe_failures':
        a.failures[tags.reason ?? 'unknown'] = (a.failures[tags.reason ?? 'unknown'] ?? 0) + v;
        break;
      case 'gomeet_probe_connect_ms':
        a.connectMs.push(v);
        break;
      case 'gomeet_probe_frames_read':
        a.framesRead += v;
        break;
      case 'gomeet_probe_reads_dropped':
        a.readsDropped[tags.reason ?? 'unknown'] = (a.readsDropped[tags.reason ?? 'unknown'] ?? 0) + v;
        break;
      case 'gomeet_probe_fps':
        a.fps.push(v);
        break;
      case 'gomeet_probe_inbound_kbps':
        a.inKbps.push(v);
        break;
      case 'gomeet_probe_outbound_kbps':
        a.outKbps.push(v);
        break;
      case 'gomeet_probe_frame_height':
        a.height.push(v);
        break;
      case 'gomeet_probe_jitter_ms':
        a.jitter.push(v);
        break;
      case 'gomeet_probe_jitter_buffer_ms':
        a.jbuf.push(v);
        break;
      case 'gomeet_probe_packets_received':
        a.pktRecv += v;
        break;
      case 'gomeet_probe_packets_lost':
        a.pktLost += v;
        break;
      case 'gomeet_probe_freezes':
        a.freezes += v;
        break;
      case 'gomeet_probe_rtt_ms':
        a.rtt.push(v);
        break;
      case 'gomeet_probe_loopback_pair': {
        const key = [tags.local_address, tags.remote_address, tags.protocol, tags.local_type, tags.remote_type].join('|');
        const seen = a.pairs.get(key) ?? {
          localAddress: tags.local_address ?? '',
          remoteAddress: tags.remote_address ?? '',
          protocol: tags.protocol ?? '',
          localType: tags.local_type ?? '',
          remoteType: tags.remote_type ?? '',
          samples: 0,
        };
        seen.samples++;
        a.pairs.set(key, seen);
        if (v !== 1) a.nonLoopback++;
        break;
      }
      default:
        break;
    }
  }
  return byProbe;
}

/** A probe's latency samples after its warm-up (the first warmupMs after its first sample). */
function steadyLatency(a: Acc, warmupMs: number): number[] {
  const first = a.latency.reduce((m, s) => Math.min(m, s.t), Number.POSITIVE_INFINITY);
  return a.latency.filter((s) => s.t - first >= warmupMs).map((s) => s.v);
}

/**
 * Every subscriber's latency samples pooled — one per frame, all probes together, each after its
 * warm-up: the distribution the video_latency_ms row judges (its p95). Undefined without samples.
 */
export function pooledLatency(lines: Iterable<string>, opts: SummarizeOptions = {}): Distribution | undefined {
  const warmupMs = (opts.warmupSec ?? 0) * 1000;
  return distribution([...accumulate(lines).values()].flatMap((a) => steadyLatency(a, warmupMs)));
}

/**
 * pooledLatency for each path (the `path` tag: 'direct', 'relay+200ms', …): what video_latency_ms
 * would be if every subscriber took that path — the paths of one room run side by side.
 */
export function pooledLatencyByPath(lines: Iterable<string>, opts: SummarizeOptions = {}): Map<string, Distribution> {
  const warmupMs = (opts.warmupSec ?? 0) * 1000;
  const byPath = new Map<string, number[]>();
  for (const a of accumulate(lines).values()) {
    const path = a.tags.path ?? 'direct';
    byPath.set(path, [...(byPath.get(path) ?? []), ...steadyLatency(a, warmupMs)]);
  }
  return new Map([...byPath].flatMap(([path, values]) => {
    const d = distribution(values);
    return d ? [[path, d] as const] : [];
  }));
}

/** Per-probe results from k6 JSON-output lines (other metrics and non-Point lines are skipped). */
export function summarizeProbeSamples(lines: Iterable<string>, opts: SummarizeOptions = {}): ProbeResult[] {
  const byProbe = accumulate(lines);
  const warmupMs = (opts.warmupSec ?? 0) * 1000;
  return [...byProbe.entries()]
    .map(([identity, a]): ProbeResult => {
      const steady = steadyLatency(a, warmupMs);
      const total = a.pktRecv + a.pktLost;
      return {
        identity,
        role: (a.tags.role as ProbeRole) ?? 'subscriber',
        room: a.tags.room ?? '',
        path: a.tags.path ?? 'direct',
        ok: a.ok.length > 0 && a.ok.every((x) => x === 1),
        failures: a.failures,
        connectMs: a.connectMs[0],
        latency: distribution(steady),
        latencyWarmupSamples: a.latency.length - steady.length,
        framesRead: a.framesRead,
        readsDropped: a.readsDropped,
        fps: mean(a.fps),
        inboundKbps: mean(a.inKbps),
        outboundKbps: mean(a.outKbps),
        frameHeight: distribution(a.height),
        jitterMs: distribution(a.jitter),
        jitterBufferMs: mean(a.jbuf),
        packetsReceived: a.pktRecv,
        packetsLost: a.pktLost,
        lossPct: total > 0 ? (a.pktLost / total) * 100 : undefined,
        freezes: a.freezes,
        rttMs: mean(a.rtt),
        pairs: [...a.pairs.values()],
        nonLoopbackPairSamples: a.nonLoopback,
      };
    })
    .sort((x, y) => x.identity.localeCompare(y.identity));
}
