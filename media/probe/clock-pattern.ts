/**
 * The sender's clock, drawn into every video frame as a grid of large black/white blocks, and read
 * back on the receiving side. Blocks are big (a 8 × 6 grid over the whole frame) so the pattern
 * survives VP8 at low bitrates and the smallest simulcast layer; a CRC-8 and a "no grey cells" rule
 * turn a corrupted or half-blended read into a dropped read, never a wrong latency.
 *
 * Cell order is row-major from the top-left. Bits: 32 of the sender's wall clock (Date.now() mod
 * 2^32, ms), 8 of a frame sequence number, 8 of CRC-8 over those five bytes.
 *
 * Pure: imported by the probe page (bundled for Chromium) and by unit tests in Node.
 */

export const PATTERN_COLS = 8;
export const PATTERN_ROWS = 6;
export const PATTERN_CELLS = PATTERN_COLS * PATTERN_ROWS;

/** A cell whose mean luma (0..255) lies strictly between these is neither black nor white. */
export const LUMA_BLACK_MAX = 70;
export const LUMA_WHITE_MIN = 185;

const TWO_32 = 2 ** 32;

/** What the sender encodes into one frame. */
export interface ClockStamp {
  /** Sender's Date.now() in ms (only its low 32 bits travel). */
  sentAtMs: number;
  /** Frame counter; only its low 8 bits travel (lets the reader tell a repeated frame from a new one). */
  seq: number;
}

/** Why a read gave no sample. */
export type ReadFailure = 'ambiguous' | 'checksum' | 'implausible';

export type ClockRead =
  | { ok: true; sentLow32: number; seq8: number }
  | { ok: false; reason: Exclude<ReadFailure, 'implausible'> };

/** CRC-8, polynomial 0x07 (ATM HEC without the xor-out): enough to catch flipped cells. */
export function crc8(bytes: readonly number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b & 0xff;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function payloadBytes(low32: number, seq8: number): number[] {
  return [(low32 >>> 24) & 0xff, (low32 >>> 16) & 0xff, (low32 >>> 8) & 0xff, low32 & 0xff, seq8 & 0xff];
}

/** The 48 cell values (true = white) for a stamp, row-major. */
export function encodeClock(stamp: ClockStamp): boolean[] {
  const low32 = (((Math.floor(stamp.sentAtMs) % TWO_32) + TWO_32) % TWO_32) >>> 0;
  const seq8 = ((stamp.seq % 256) + 256) % 256;
  const bytes = payloadBytes(low32, seq8);
  bytes.push(crc8(bytes));
  const cells: boolean[] = [];
  for (const byte of bytes) for (let bit = 7; bit >= 0; bit--) cells.push(((byte >>> bit) & 1) === 1);
  return cells;
}

/**
 * Cells from their mean luma. A single grey cell voids the read (a frame caught mid-blend, a
 * smeared block): guessing would report a wrong time; dropping only costs one sample.
 */
export function decodeClock(lumas: ArrayLike<number>): ClockRead {
  if (lumas.length !== PATTERN_CELLS) throw new RangeError(`expected ${PATTERN_CELLS} cells, got ${lumas.length}`);
  const bytes: number[] = [];
  for (let byte = 0; byte < 6; byte++) {
    let value = 0;
    for (let bit = 0; bit < 8; bit++) {
      const luma = lumas[byte * 8 + bit] as number;
      if (luma > LUMA_BLACK_MAX && luma < LUMA_WHITE_MIN) return { ok: false, reason: 'ambiguous' };
      value = (value << 1) | (luma >= LUMA_WHITE_MIN ? 1 : 0);
    }
    bytes.push(value);
  }
  const payload = bytes.slice(0, 5);
  if (crc8(payload) !== bytes[5]) return { ok: false, reason: 'checksum' };
  const [b0, b1, b2, b3, seq8] = payload as [number, number, number, number, number];
  return { ok: true, sentLow32: ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0, seq8 };
}

/** Latencies above this are not a slow network but a mis-read or a stale frame: dropped. */
export const MAX_PLAUSIBLE_LATENCY_MS = 30_000;

/**
 * ms from the sender's stamp to `nowMs` (the reader's Date.now(); same machine clock). The stamp's
 * high bits are those of the latest time ≤ now that has its low 32 bits. Undefined when the result is
 * negative (the stamp is from the future) or above MAX_PLAUSIBLE_LATENCY_MS.
 */
export function latencyMs(sentLow32: number, nowMs: number): number | undefined {
  const nowLow = ((Math.floor(nowMs) % TWO_32) + TWO_32) % TWO_32;
  const diff = (nowLow - sentLow32 + TWO_32) % TWO_32;
  // A stamp a little ahead of now wraps to ~2^32: that is a negative latency, not a 49-day one.
  if (diff > MAX_PLAUSIBLE_LATENCY_MS) return undefined;
  return diff;
}

/**
 * Mean luma (BT.601) of the central half of every cell of an RGBA image that holds the whole frame
 * (any size: the grid scales with it). Edges are left out: that is where the codec's blocks blur
 * one cell into its neighbour.
 */
export function cellLumas(rgba: ArrayLike<number>, width: number, height: number): number[] {
  if (rgba.length < width * height * 4) throw new RangeError(`RGBA buffer of ${rgba.length} bytes is smaller than ${width}×${height}×4`);
  const out: number[] = [];
  for (let row = 0; row < PATTERN_ROWS; row++) {
    for (let col = 0; col < PATTERN_COLS; col++) {
      const x0 = Math.floor(((col + 0.25) * width) / PATTERN_COLS);
      const x1 = Math.max(x0 + 1, Math.floor(((col + 0.75) * width) / PATTERN_COLS));
      const y0 = Math.floor(((row + 0.25) * height) / PATTERN_ROWS);
      const y1 = Math.max(y0 + 1, Math.floor(((row + 0.75) * height) / PATTERN_ROWS));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * 4;
          sum += 0.299 * (rgba[i] as number) + 0.587 * (rgba[i + 1] as number) + 0.114 * (rgba[i + 2] as number);
        }
      }
      out.push(sum / ((x1 - x0) * (y1 - y0)));
    }
  }
  return out;
}
