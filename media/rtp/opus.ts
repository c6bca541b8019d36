/** Opus packet duration from its TOC byte (RFC 6716 §3.1), so audio is paced by what it holds. */

/** Frame size in ms for each of the 32 TOC configurations (SILK, hybrid, CELT). */
const FRAME_MS = [10, 20, 40, 60, 10, 20, 40, 60, 10, 20, 40, 60, 10, 20, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20, 2.5, 5, 10, 20];

export function opusPacketDurationMs(packet: Buffer): number {
  if (packet.length === 0) return 0;
  const toc = packet[0]!;
  const frameMs = FRAME_MS[toc >> 3]!;
  const code = toc & 0x03;
  if (code === 0) return frameMs;
  if (code === 1 || code === 2) return 2 * frameMs;
  // code 3: frame count in the low 6 bits of the second byte
  return packet.length > 1 ? (packet[1]! & 0x3f) * frameMs : frameMs;
}
