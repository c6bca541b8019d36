/**
 * IVF reader: the container ffmpeg writes raw VP8 frames into (a 32-byte file header, then per frame
 * a 12-byte header — size, 64-bit pts — and the frame). Pure; input is the whole file.
 */

export interface IvfStream {
  /** 'VP80' for VP8. */
  fourcc: string;
  width: number;
  height: number;
  /** Frames per second = rate / scale. */
  rate: number;
  scale: number;
  frames: IvfFrame[];
}

export interface IvfFrame {
  /** Presentation time in units of scale/rate seconds (frame index for a fixed-rate stream). */
  pts: number;
  data: Buffer;
  /** VP8 key frame (bit 0 of the first byte is 0 for key frames, RFC 6386 §9.1). */
  keyframe: boolean;
}

const FILE_HEADER = 32;
const FRAME_HEADER = 12;

export function readIvf(buf: Buffer): IvfStream {
  if (buf.length < FILE_HEADER || buf.toString('latin1', 0, 4) !== 'DKIF') throw new Error('not an IVF file (no DKIF signature)');
  const headerLen = buf.readUInt16LE(6);
  const stream: IvfStream = {
    fourcc: buf.toString('latin1', 8, 12),
    width: buf.readUInt16LE(12),
    height: buf.readUInt16LE(14),
    rate: buf.readUInt32LE(16),
    scale: buf.readUInt32LE(20),
    frames: [],
  };
  let at = headerLen || FILE_HEADER;
  while (at + FRAME_HEADER <= buf.length) {
    const size = buf.readUInt32LE(at);
    const pts = Number(buf.readBigUInt64LE(at + 4));
    const start = at + FRAME_HEADER;
    if (start + size > buf.length) throw new Error(`IVF frame at byte ${at} runs past the end of the file`);
    const data = buf.subarray(start, start + size);
    stream.frames.push({ pts, data, keyframe: size > 0 && (data[0]! & 0x01) === 0 });
    at = start + size;
  }
  if (stream.frames.length === 0) throw new Error('IVF file has no frames');
  return stream;
}
