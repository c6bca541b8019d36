/**
 * What a probe keeps from WebRTC `getStats()`: the selected candidate pair (to prove media stayed on
 * 127.0.0.1), inbound video counters of a subscriber, outbound simulcast layers of a publisher, and
 * the per-interval figures between two snapshots (kbps, loss, jitter, fps, freezes).
 *
 * Pure: the page hands in `[...report.values()]` as plain objects, so unit tests run on stats
 * recorded from a real Chromium.
 */

/** One entry of an RTCStatsReport, as a plain object (only the fields read here are typed). */
export type StatsEntry = { id: string; type: string; timestamp: number } & Record<string, unknown>;

export interface CandidateEnd {
  address: string;
  port: number;
  /** 'udp' | 'tcp'. */
  protocol: string;
  /** 'host' | 'srflx' | 'prflx' | 'relay'. */
  candidateType: string;
}

export interface SelectedPair {
  local: CandidateEnd;
  remote: CandidateEnd;
  /** Latest STUN round trip on the pair, ms (undefined until one was measured). */
  currentRttMs: number | undefined;
  /** Both ends in 127.0.0.0/8: the only pair a probe may use here. */
  loopbackOnly: boolean;
}

export interface InboundVideoCounters {
  timestampMs: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  framesDropped: number;
  freezeCount: number;
  totalFreezesDurationSec: number;
  /** RTP interarrival jitter as the receiver last computed it, seconds. */
  jitterSec: number;
  jitterBufferDelaySec: number;
  jitterBufferEmittedCount: number;
  nackCount: number;
  pliCount: number;
  frameWidth: number | undefined;
  frameHeight: number | undefined;
  decoderImplementation: string | undefined;
}

export interface OutboundLayerCounters {
  /** Simulcast layer id ('q' | 'h' | 'f' with livekit-client), '' without simulcast. */
  rid: string;
  timestampMs: number;
  bytesSent: number;
  framesEncoded: number;
  frameWidth: number | undefined;
  frameHeight: number | undefined;
  /** 'none' | 'cpu' | 'bandwidth' | 'other'. */
  qualityLimitationReason: string | undefined;
  encoderImplementation: string | undefined;
}

/** Figures over the interval between two snapshots of one subscriber. */
export interface InboundInterval {
  seconds: number;
  kbps: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  framesDropped: number;
  fps: number;
  freezes: number;
  freezeSec: number;
  /** Jitter at the end of the interval, ms. */
  jitterMs: number;
  /** Mean time a frame spent in the jitter buffer during the interval, ms (undefined: no frame). */
  jitterBufferMs: number | undefined;
  nacks: number;
  plis: number;
  frameWidth: number | undefined;
  frameHeight: number | undefined;
}

/** Figures over the interval between two snapshots of one publisher. */
export interface OutboundInterval {
  seconds: number;
  /** All layers together. */
  kbps: number;
  layers: { rid: string; kbps: number; fps: number; frameWidth: number | undefined; frameHeight: number | undefined; qualityLimitationReason: string | undefined }[];
  /** Frames per second of the largest layer that sent anything. */
  fps: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** True for 127.0.0.0/8 (IPv4 loopback). ::1 would be loopback too, but nothing here should use v6. */
export function isLoopbackV4(address: string): boolean {
  return /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(address);
}

function candidateEnd(entry: StatsEntry | undefined): CandidateEnd | undefined {
  if (!entry) return undefined;
  // `address` is the spec's name; older Chromium called it `ip`.
  const address = optStr(entry.address) ?? optStr(entry.ip);
  if (address === undefined) return undefined;
  return { address, port: num(entry.port), protocol: optStr(entry.protocol) ?? '', candidateType: optStr(entry.candidateType) ?? '' };
}

/**
 * The pair media flows on: the transport's `selectedCandidatePairId`, or (when a report has no
 * transport entry) the nominated, succeeded pair. Undefined while ICE has not selected one.
 */
export function selectedPair(stats: readonly StatsEntry[]): SelectedPair | undefined {
  const byId = new Map(stats.map((s) => [s.id, s]));
  const selectedId = stats.find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')?.selectedCandidatePairId as string | undefined;
  const pair =
    (selectedId !== undefined ? byId.get(selectedId) : undefined) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  if (!pair) return undefined;
  const local = candidateEnd(byId.get(String(pair.localCandidateId)));
  const remote = candidateEnd(byId.get(String(pair.remoteCandidateId)));
  if (!local || !remote) return undefined;
  const rtt = optNum(pair.currentRoundTripTime);
  return {
    local,
    remote,
    currentRttMs: rtt === undefined ? undefined : rtt * 1000,
    loopbackOnly: isLoopbackV4(local.address) && isLoopbackV4(remote.address),
  };
}

/** The inbound video stream's counters (the first one: a probe subscribes to one video track). */
export function inboundVideo(stats: readonly StatsEntry[]): InboundVideoCounters | undefined {
  const s = stats.find((e) => e.type === 'inbound-rtp' && e.kind === 'video');
  if (!s) return undefined;
  return {
    timestampMs: s.timestamp,
    bytesReceived: num(s.bytesReceived),
    packetsReceived: num(s.packetsReceived),
    packetsLost: num(s.packetsLost),
    framesDecoded: num(s.framesDecoded),
    framesDropped: num(s.framesDropped),
    freezeCount: num(s.freezeCount),
    totalFreezesDurationSec: num(s.totalFreezesDuration),
    jitterSec: num(s.jitter),
    jitterBufferDelaySec: num(s.jitterBufferDelay),
    jitterBufferEmittedCount: num(s.jitterBufferEmittedCount),
    nackCount: num(s.nackCount),
    pliCount: num(s.pliCount),
    frameWidth: optNum(s.frameWidth),
    frameHeight: optNum(s.frameHeight),
    decoderImplementation: optStr(s.decoderImplementation),
  };
}

/** Every outbound video layer (one per simulcast rid), largest first. */
export function outboundVideo(stats: readonly StatsEntry[]): OutboundLayerCounters[] {
  return stats
    .filter((e) => e.type === 'outbound-rtp' && e.kind === 'video')
    .map((s) => ({
      rid: optStr(s.rid) ?? '',
      timestampMs: s.timestamp,
      bytesSent: num(s.bytesSent),
      framesEncoded: num(s.framesEncoded),
      frameWidth: optNum(s.frameWidth),
      frameHeight: optNum(s.frameHeight),
      qualityLimitationReason: optStr(s.qualityLimitationReason),
      encoderImplementation: optStr(s.encoderImplementation),
    }))
    .sort((a, b) => (b.frameWidth ?? 0) - (a.frameWidth ?? 0));
}

/** Counters never go down; a reset (new receiver) restarts from zero rather than going negative. */
const delta = (cur: number, prev: number): number => (cur >= prev ? cur - prev : cur);

/** The interval between two snapshots of a subscriber; `prev` undefined means "since the start". */
export function inboundInterval(prev: InboundVideoCounters | undefined, cur: InboundVideoCounters, startMs: number): InboundInterval {
  const base: InboundVideoCounters = prev ?? {
    ...cur,
    timestampMs: startMs,
    bytesReceived: 0,
    packetsReceived: 0,
    packetsLost: 0,
    framesDecoded: 0,
    framesDropped: 0,
    freezeCount: 0,
    totalFreezesDurationSec: 0,
    jitterBufferDelaySec: 0,
    jitterBufferEmittedCount: 0,
    nackCount: 0,
    pliCount: 0,
  };
  const seconds = Math.max(0.001, (cur.timestampMs - base.timestampMs) / 1000);
  const emitted = delta(cur.jitterBufferEmittedCount, base.jitterBufferEmittedCount);
  const framesDecoded = delta(cur.framesDecoded, base.framesDecoded);
  return {
    seconds,
    kbps: (delta(cur.bytesReceived, base.bytesReceived) * 8) / 1000 / seconds,
    packetsReceived: delta(cur.packetsReceived, base.packetsReceived),
    // packetsLost may go down when late packets arrive (RFC 3550 cumulative loss); never below 0 here.
    packetsLost: Math.max(0, cur.packetsLost - base.packetsLost),
    framesDecoded,
    framesDropped: delta(cur.framesDropped, base.framesDropped),
    fps: framesDecoded / seconds,
    freezes: delta(cur.freezeCount, base.freezeCount),
    freezeSec: delta(cur.totalFreezesDurationSec, base.totalFreezesDurationSec),
    jitterMs: cur.jitterSec * 1000,
    jitterBufferMs: emitted > 0 ? (delta(cur.jitterBufferDelaySec, base.jitterBufferDelaySec) / emitted) * 1000 : undefined,
    nacks: delta(cur.nackCount, base.nackCount),
    plis: delta(cur.pliCount, base.pliCount),
    frameWidth: cur.frameWidth,
    frameHeight: cur.frameHeight,
  };
}

/** The interval between two snapshots of a publisher's layers (matched by rid). */
export function outboundInterval(prev: readonly OutboundLayerCounters[], cur: readonly OutboundLayerCounters[], startMs: number): OutboundInterval {
  const layers = cur.map((c) => {
    const p = prev.find((x) => x.rid === c.rid);
    const seconds = Math.max(0.001, (c.timestampMs - (p?.timestampMs ?? startMs)) / 1000);
    return {
      rid: c.rid,
      kbps: (delta(c.bytesSent, p?.bytesSent ?? 0) * 8) / 1000 / seconds,
      fps: delta(c.framesEncoded, p?.framesEncoded ?? 0) / seconds,
      frameWidth: c.frameWidth,
      frameHeight: c.frameHeight,
      qualityLimitationReason: c.qualityLimitationReason,
      seconds,
    };
  });
  const seconds = layers.reduce((m, l) => Math.max(m, l.seconds), 0.001);
  const top = layers.find((l) => l.kbps > 0);
  return {
    seconds,
    kbps: layers.reduce((sum, l) => sum + l.kbps, 0),
    layers: layers.map(({ seconds: _s, ...rest }) => rest),
    fps: top?.fps ?? 0,
  };
}
