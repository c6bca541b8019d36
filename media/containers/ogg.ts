/**
 * Ogg Opus reader: the packets of the first logical stream, reassembled from Ogg's segment lacing
 * (a 255 lacing value means the packet continues), without the OpusHead/OpusTags header packets.
 * Pure; input is the whole file.
 */

export interface OpusStream {
  /** Audio packets in order; each is one RTP payload (RFC 7587). */
  packets: Buffer[];
  /** Channels from OpusHead. */
  channels: number;
  /** Samples of padding at the start (OpusHead pre-skip); kept for completeness. */
  preSkip: number;
}

export function readOggOpus(buf: Buffer): OpusStream {
  const packets: Buffer[] = [];
  let partial: Buffer[] = [];
  let at = 0;
  let serial: number | null = null;
  while (at + 27 <= buf.length) {
    if (buf.toString('latin1', at, at + 4) !== 'OggS') throw new Error(`Ogg page sync lost at byte ${at}`);
    const pageSerial = buf.readUInt32LE(at + 14);
    const count = buf[at + 26]!;
    const table = buf.subarray(at + 27, at + 27 + count);
    let data = at + 27 + count;
    serial ??= pageSerial;
    for (const lacing of table) {
      if (pageSerial === serial) partial.push(buf.subarray(data, data + lacing));
      data += lacing;
      if (lacing < 255 && pageSerial === serial) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    if (data > buf.length) throw new Error('Ogg page runs past the end of the file');
    at = data;
  }
  const head = packets[0];
  if (!head || head.toString('latin1', 0, 8) !== 'OpusHead') throw new Error('not an Ogg Opus file (no OpusHead)');
  const tags = packets[1];
  if (!tags || tags.toString('latin1', 0, 8) !== 'OpusTags') throw new Error('Ogg Opus file without OpusTags');
  const audio = packets.slice(2).filter((p) => p.length > 0);
  if (audio.length === 0) throw new Error('Ogg Opus file has no audio packets');
  return { packets: audio, channels: head[9]!, preSkip: head.readUInt16LE(10) };
}
