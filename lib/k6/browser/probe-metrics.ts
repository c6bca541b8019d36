/**
 * The browser probes' k6 metrics, `gomeet_<what>_<unit>`, each sample tagged with the probe's room,
 * role, identity (`probe`) and path ('direct' or an impaired path's label) — nothing secret.
 * Created in the init context, as k6 requires.
 */
import { Counter, Rate, Trend } from 'k6/metrics';

/** End-to-end video latency, ms: one sample per frame a subscriber read the sender's clock from. */
export const videoLatencyMs = new Trend('gomeet_video_latency_ms', true);
/** Frames per second: decoded (subscriber, getStats) or encoded on the top layer (publisher), per sampling interval. */
export const probeFps = new Trend('gomeet_probe_fps');
/** Video kbps a subscriber received, per sampling interval (getStats inbound-rtp). */
export const probeInboundKbps = new Trend('gomeet_probe_inbound_kbps');
/** Video kbps a publisher sent, all simulcast layers together, per sampling interval. */
export const probeOutboundKbps = new Trend('gomeet_probe_outbound_kbps');
/** Height of the video, px, per sampling interval: as received (subscriber: which simulcast layer
 *  the SFU forwards) or of the largest layer being sent (publisher: drops under CPU limitation). */
export const probeFrameHeight = new Trend('gomeet_probe_frame_height');
/** Video freezes a subscriber's receiver counted (getStats freezeCount). */
export const probeFreezes = new Counter('gomeet_probe_freezes');
/** RTP interarrival jitter of the inbound video at each sample, ms. */
export const probeJitterMs = new Trend('gomeet_probe_jitter_ms', true);
/** Mean time frames waited in the jitter buffer over each sampling interval, ms. */
export const probeJitterBufferMs = new Trend('gomeet_probe_jitter_buffer_ms', true);
/** Inbound video RTP packets received and lost (loss % = lost / (received + lost)). */
export const probePacketsReceived = new Counter('gomeet_probe_packets_received');
export const probePacketsLost = new Counter('gomeet_probe_packets_lost');
/** New frames a subscriber tried to read the clock from; and reads that gave no sample, tagged `reason`. */
export const probeFramesRead = new Counter('gomeet_probe_frames_read');
export const probeReadsDropped = new Counter('gomeet_probe_reads_dropped');
/** STUN round trip on the selected candidate pair, ms. */
export const probeRttMs = new Trend('gomeet_probe_rtt_ms', true);
/** ms from start() on the page to the room connection being up. */
export const probeConnectMs = new Trend('gomeet_probe_connect_ms', true);
/** Per sample with a selected pair: 1 when both ends are in 127.0.0.0/8. Tagged with the addresses,
 *  protocol and candidate types (no ports: they would multiply series). */
export const probeLoopbackPair = new Rate('gomeet_probe_loopback_pair');
/** Per probe: 1 when it ran its whole duration without a failure. */
export const probeOk = new Rate('gomeet_probe_ok');
/** Probe failures, tagged `reason` (connect, no_video, non_loopback_pair, disconnected, page_error). */
export const probeFailures = new Counter('gomeet_probe_failures');

export const PROBE_METRIC_NAMES = [
  'gomeet_video_latency_ms',
  'gomeet_probe_fps',
  'gomeet_probe_inbound_kbps',
  'gomeet_probe_outbound_kbps',
  'gomeet_probe_frame_height',
  'gomeet_probe_freezes',
  'gomeet_probe_jitter_ms',
  'gomeet_probe_jitter_buffer_ms',
  'gomeet_probe_packets_received',
  'gomeet_probe_packets_lost',
  'gomeet_probe_frames_read',
  'gomeet_probe_reads_dropped',
  'gomeet_probe_rtt_ms',
  'gomeet_probe_connect_ms',
  'gomeet_probe_loopback_pair',
  'gomeet_probe_ok',
  'gomeet_probe_failures',
] as const;
