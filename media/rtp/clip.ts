/**
 * A clip: pre-encoded media turned once into a schedule of RTP payload units, so publishing is a
 * table walk — no encoding and no parsing in the send loop. A publisher loops the clip; each loop
 * continues the RTP timestamps (clip duration in clock ticks) so receivers see one endless stream.
 */
import type { IvfStream } from '../containers/ivf.ts';
import type { OpusStream } from '../containers/ogg.ts';
import { opusPacketDurationMs } from './opus.ts';
import { chunkVp8Frame, VP8_MAX_CHUNK } from './vp8.ts';

export interface ClipUnit {
  /** Send time, ms from the loop's start. */
  atMs: number;
  /** RTP timestamp offset from the loop's start, in clock ticks. */
  rtpTs: number;
  /** Last packet of a video frame (RTP marker bit); false for audio (one endless talkspurt). */
  marker: boolean;
  /** First packet of a video frame (VP8 S bit); a new PictureID starts here. */
  frameStart: boolean;
  /** Video: the VP8 chunk (descriptor added at send time). Audio: the whole Opus packet. */
  payload: Buffer;
}

export interface Clip {
  kind: 'video' | 'audio';
  clockRate: number;
  units: ClipUnit[];
  /** Loop length, ms. */
  durationMs: number;
  /** Loop length in clock ticks (timestamp advance per loop). */
  durationTicks: number;
  /** Average payload bitrate of the clip, bits per second (what a publisher sends, before headers). */
  payloadBitrate: number;
}

export function videoClip(ivf: IvfStream, maxChunk = VP8_MAX_CHUNK): Clip {
  const clockRate = 90_000;
  const frameSec = ivf.scale / ivf.rate;
  const units: ClipUnit[] = [];
  let bytes = 0;
  if (!ivf.frames[0]?.keyframe) throw new Error('video clip must start with a key frame (loops restart there)');
  for (const frame of ivf.frames) {
    const sec = (frame.pts - ivf.frames[0].pts) * frameSec;
    const chunks = chunkVp8Frame(frame.data, maxChunk);
    chunks.forEach((payload, i) => {
      units.push({ atMs: sec * 1000, rtpTs: Math.round(sec * clockRate), marker: i === chunks.length - 1, frameStart: i === 0, payload });
      bytes += payload.length;
    });
  }
  const durationSec = ivf.frames.length * frameSec;
  return { kind: 'video', clockRate, units, durationMs: durationSec * 1000, durationTicks: Math.round(durationSec * clockRate), payloadBitrate: (bytes * 8) / durationSec };
}

export function audioClip(opus: OpusStream): Clip {
  const clockRate = 48_000;
  const units: ClipUnit[] = [];
  let ms = 0;
  let bytes = 0;
  for (const packet of opus.packets) {
    // Marker stays off: for audio it flags the start of a talkspurt, and this clip never pauses.
    units.push({ atMs: ms, rtpTs: Math.round((ms * clockRate) / 1000), marker: false, frameStart: true, payload: packet });
    ms += opusPacketDurationMs(packet);
    bytes += packet.length;
  }
  return { kind: 'audio', clockRate, units, durationMs: ms, durationTicks: Math.round((ms * clockRate) / 1000), payloadBitrate: (bytes * 8 * 1000) / ms };
}
