/**
 * VP8 RTP payload format (RFC 7741) for sending: a frame is cut into chunks that fit one packet;
 * each packet gets a payload descriptor with a 15-bit PictureID (as browsers send it, so the SFU's
 * VP8 handling sees what it sees from Chrome). werift has VP8 depacketizing only, so this side is ours.
 */

/** Payload bytes per packet after the descriptor; leaves room for RTP header, extensions and SRTP. */
export const VP8_MAX_CHUNK = 1100;

/** Descriptor length used here: X|S byte, I byte, two PictureID bytes. */
export const VP8_DESCRIPTOR_BYTES = 4;

/** Splits a frame into chunks of at most maxChunk bytes (equal-ish sizes, as libwebrtc does). */
export function chunkVp8Frame(frame: Buffer, maxChunk = VP8_MAX_CHUNK): Buffer[] {
  if (frame.length === 0) return [];
  const count = Math.ceil(frame.length / maxChunk);
  const size = Math.ceil(frame.length / count);
  const chunks: Buffer[] = [];
  for (let at = 0; at < frame.length; at += size) chunks.push(frame.subarray(at, at + size));
  return chunks;
}

/** One RTP payload: descriptor (start-of-partition flag on the frame's first chunk) + chunk. */
export function vp8Payload(chunk: Buffer, firstOfFrame: boolean, pictureId: number): Buffer {
  const out = Buffer.allocUnsafe(VP8_DESCRIPTOR_BYTES + chunk.length);
  out[0] = 0x80 | (firstOfFrame ? 0x10 : 0); // X=1 (extensions present), S=start of partition, PID=0
  out[1] = 0x80; // I=1: PictureID present
  out[2] = 0x80 | ((pictureId >> 8) & 0x7f); // M=1: 15-bit PictureID
  out[3] = pictureId & 0xff;
  chunk.copy(out, VP8_DESCRIPTOR_BYTES);
  return out;
}
