/**
 * The contract between the probe page (running in Chromium) and whoever drives it (the k6 browser
 * helper in lib/k6/browser/): the page installs `window[PROBE_GLOBAL]` with `start`, `drain` and
 * `stop`. The token travels only as an argument of `start` (page.evaluate), never in the page URL,
 * so it never lands in a URL that k6 or a server logs.
 *
 * Pure types and constants: imported by the page bundle, the k6 helper and Node tests.
 */
import type { InboundInterval, OutboundInterval, SelectedPair } from './stats-digest.ts';
import type { ReadFailure } from './clock-pattern.ts';

export const PROBE_GLOBAL = 'gomeetProbe';

export type ProbeRole = 'publisher' | 'subscriber';

/** Which simulcast layer a subscriber asks the SFU for. */
export type ProbeLayer = 'high' | 'medium' | 'low';

/** The video a publisher draws and sends. */
export interface ProbeVideo {
  /** Canvas width, px (default 640). */
  width: number;
  /** Canvas height, px (default 360). */
  height: number;
  /** Frames drawn per second (default 30). */
  fps: number;
  /** Bitrate cap of the top simulcast layer, kbps (default 800). */
  maxBitrateKbps: number;
  /** Publish with simulcast (default true). livekit-client makes two layers (¼ size, full) below
   *  960 px on the long side, three (¼, ½, full) from 960 px; false sends one layer. */
  simulcast: boolean;
}

export interface ProbeStartConfig {
  role: ProbeRole;
  /** LiveKit signaling URL, ws://127.0.0.1:port (inside the media namespace). */
  livekitUrl: string;
  /** LiveKit access token (secret): only ever passed here. */
  token: string;
  /** Publisher only. */
  video: ProbeVideo;
  /** Subscriber only: layer asked for (default 'high'). */
  layer: ProbeLayer;
  /** Subscriber only: identities of the publishers whose camera it may read, in preference order
   *  (the probe publishers of its room: bots' video carries no clock); empty = anyone's. */
  watch: string[];
  /** ms to wait for the room connection before start() rejects. */
  connectTimeoutMs: number;
}

export interface ProbeStarted {
  /** Date.now() when the room connection was up. */
  connectedAtMs: number;
  /** ms from start() to connected, media permission included. */
  connectMs: number;
  /** ms of that spent checking media permission. */
  permissionMs: number;
  /** Participant identity the token carried. */
  identity: string;
  room: string;
}

/** Everything observed since the previous drain. */
export interface ProbeDrain {
  role: ProbeRole;
  /** Date.now() of this drain. */
  atMs: number;
  /** livekit-client's connection state ('connected', 'reconnecting', 'disconnected', ...). */
  connectionState: string;
  /** The pair media flows on, once ICE selected one. */
  pair: SelectedPair | undefined;
  /** Identities of the other participants in the room now. */
  participants: string[];
  /** Subscriber: a video track is subscribed and attached. */
  subscribed: boolean;
  /** Subscriber: one end-to-end latency per frame read, ms. */
  latencyMs: number[];
  /** Subscriber: frames the reader looked at (new frames only). */
  framesRead: number;
  /** Subscriber: reads that gave no sample, by reason. */
  readFailures: Record<ReadFailure, number>;
  /** Subscriber: getStats of the inbound video over the interval. */
  inbound: InboundInterval | undefined;
  /** Publisher: frames drawn into the canvas over the interval. */
  framesDrawn: number;
  /** Publisher: getStats of the outbound layers over the interval. */
  outbound: OutboundInterval | undefined;
  /** Errors the page caught since the last drain (messages only, never a token). */
  errors: string[];
}

export interface ProbePageApi {
  start(config: ProbeStartConfig): Promise<ProbeStarted>;
  drain(): Promise<ProbeDrain>;
  /** Leaves the room and stops drawing; resolves when disconnected. */
  stop(): Promise<void>;
  /** The probe track's getStats entries as plain objects, unprocessed: for recording test fixtures. */
  rawStats(): Promise<Record<string, unknown>[]>;
}

export const DEFAULT_VIDEO: ProbeVideo = { width: 640, height: 360, fps: 30, maxBitrateKbps: 800, simulcast: true };
