import { describe, expect, it } from 'vitest';
import { readIvf } from '../../../media/containers/ivf.ts';
import { readOggOpus } from '../../../media/containers/ogg.ts';
import { audioClip, videoClip } from '../../../media/rtp/clip.ts';
import { opusPacketDurationMs } from '../../../media/rtp/opus.ts';
import { ClipPlayer } from '../../../media/rtp/player.ts';
import { chunkVp8Frame, VP8_DESCRIPTOR_BYTES, vp8Payload } from '../../../media/rtp/vp8.ts';

/** An IVF file of `sizes` frames at 30 fps; the first is a key frame (bit 0 = 0). */
function ivf(sizes: number[]): Buffer {
  const head = Buffer.alloc(32);
  head.write('DKIF', 0, 'latin1');
  head.writeUInt16LE(32, 6);
  head.write('VP80', 8, 'latin1');
  head.writeUInt16LE(640, 12);
  head.writeUInt16LE(360, 14);
  head.writeUInt32LE(30, 16);
  head.writeUInt32LE(1, 20);
  const frames = sizes.map((size, i) => {
    const h = Buffer.alloc(12);
    h.writeUInt32LE(size, 0);
    h.writeBigUInt64LE(BigInt(i), 4);
    const data = Buffer.alloc(size, 0xab);
    data[0] = i === 0 ? 0x10 : 0x11;
    return Buffer.concat([h, data]);
  });
  return Buffer.concat([head, ...frames]);
}

/** One Ogg page holding `packets` (lacing per RFC 3533). */
function oggPage(packets: Buffer[], seq: number): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
  }
  const h = Buffer.alloc(27);
  h.write('OggS', 0, 'latin1');
  h.writeUInt32LE(1234, 14);
  h.writeUInt32LE(seq, 18);
  h[26] = lacing.length;
  return Buffer.concat([h, Buffer.from(lacing), ...packets]);
}

describe('containers', () => {
  it('reads IVF frames, sizes and key frames', () => {
    const s = readIvf(ivf([3000, 500, 700]));
    expect(s).toMatchObject({ fourcc: 'VP80', width: 640, height: 360, rate: 30, scale: 1 });
    expect(s.frames.map((f) => [f.data.length, f.keyframe, f.pts])).toEqual([
      [3000, true, 0],
      [500, false, 1],
      [700, false, 2],
    ]);
    expect(() => readIvf(ivf([10]).subarray(0, 50))).toThrow(/past the end/);
    expect(() => readIvf(Buffer.from('RIFF....'))).toThrow(/DKIF/);
  });

  it('reassembles Ogg Opus packets across 255-byte lacing, skipping the two header packets', () => {
    const head = Buffer.concat([Buffer.from('OpusHead', 'latin1'), Buffer.from([1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0])]);
    const tags = Buffer.from('OpusTags\0\0\0\0\0\0\0\0', 'latin1');
    const big = Buffer.alloc(600, 7); // spans three lacing values: 255, 255, 90
    const small = Buffer.alloc(80, 9);
    const s = readOggOpus(Buffer.concat([oggPage([head], 0), oggPage([tags], 1), oggPage([big, small], 2)]));
    expect(s.channels).toBe(2);
    expect(s.packets.map((p) => p.length)).toEqual([600, 80]);
    expect(() => readOggOpus(oggPage([tags], 0))).toThrow(/OpusHead/);
  });
});

describe('RTP payloads and clips', () => {
  it('cuts a VP8 frame into chunks under the limit that join back to the frame', () => {
    const frame = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
    const chunks = chunkVp8Frame(frame, 1100);
    expect(chunks).toHaveLength(3);
    expect(chunks.every((c) => c.length <= 1100)).toBe(true);
    expect(Buffer.concat(chunks).equals(frame)).toBe(true);
  });

  it('writes the RFC 7741 descriptor: S bit on the first chunk, 15-bit PictureID', () => {
    const p = vp8Payload(Buffer.from([1, 2, 3]), true, 0x1234);
    expect([...p.subarray(0, VP8_DESCRIPTOR_BYTES)]).toEqual([0x90, 0x80, 0x80 | 0x12, 0x34]);
    expect([...p.subarray(VP8_DESCRIPTOR_BYTES)]).toEqual([1, 2, 3]);
    expect(vp8Payload(Buffer.from([1]), false, 5)[0]).toBe(0x80);
  });

  it('Opus durations come from the TOC byte', () => {
    expect(opusPacketDurationMs(Buffer.from([0xfc]))).toBe(20); // CELT FB 20 ms, one frame
    expect(opusPacketDurationMs(Buffer.from([(1 << 3) | 1]))).toBe(40); // SILK 20 ms, two frames
    expect(opusPacketDurationMs(Buffer.from([(19 << 3) | 3, 3]))).toBe(60); // CELT 20 ms × 3
  });

  it('a video clip marks the last packet of each frame and spaces frames by 1/30 s in 90 kHz', () => {
    const clip = videoClip(readIvf(ivf([2500, 400])), 1100);
    expect(clip.units.map((u) => [u.frameStart, u.marker, u.rtpTs])).toEqual([
      [true, false, 0],
      [false, false, 0],
      [false, true, 0],
      [true, true, 3000],
    ]);
    expect(clip.durationTicks).toBe(6000);
    expect(clip.payloadBitrate).toBeCloseTo(((2900 * 8) / 2) * 30, 0);
    expect(() => videoClip(readIvf(ivf([10, 10]).fill(0x11, 44, 45)))).toThrow(/key frame/);
  });

  it('the player paces units in real time and continues timestamps across loops', () => {
    const clip = audioClip({ packets: [Buffer.from([0xfc, 1]), Buffer.from([0xfc, 2])], channels: 2, preSkip: 0 });
    expect(clip.durationMs).toBe(40);
    const player = new ClipPlayer(clip, 1000);
    expect(player.due(1000).map((d) => d.rtpTs)).toEqual([0]);
    expect(player.due(1019)).toEqual([]);
    expect(player.due(1020).map((d) => d.rtpTs)).toEqual([960]);
    expect(player.due(1060).map((d) => d.rtpTs)).toEqual([1920, 2880]); // second loop
    // A stalled loop skips what is more than half a second late instead of bursting it.
    expect(player.due(3000).length).toBeLessThan(30);
    expect(player.skipped).toBeGreaterThan(0);
  });
});
