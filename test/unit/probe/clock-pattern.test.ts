import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellLumas,
  crc8,
  decodeClock,
  encodeClock,
  latencyMs,
  LUMA_BLACK_MAX,
  LUMA_WHITE_MIN,
  MAX_PLAUSIBLE_LATENCY_MS,
  PATTERN_CELLS,
  PATTERN_COLS,
  PATTERN_ROWS,
} from '../../../media/probe/clock-pattern.ts';

/** Paints cells into an RGBA buffer the way the page's canvas does (integer cell edges). */
function paint(cells: boolean[], width: number, height: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) {
    const row = Math.min(PATTERN_ROWS - 1, Math.floor((y * PATTERN_ROWS) / height));
    for (let x = 0; x < width; x++) {
      const col = Math.min(PATTERN_COLS - 1, Math.floor((x * PATTERN_COLS) / width));
      if (!cells[row * PATTERN_COLS + col]) rgba.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
    }
  }
  return rgba;
}

const low32 = (ms: number): number => ms % 2 ** 32;

describe('crc8', () => {
  it('matches the CRC-8/SMBUS check value (poly 0x07, init 0)', () => {
    expect(crc8([...'123456789'].map((c) => c.charCodeAt(0)))).toBe(0xf4);
  });
});

describe('clock pattern', () => {
  it('round-trips any timestamp and sequence at the sizes a subscriber can receive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom([640, 360], [320, 180], [160, 90], [64, 48]), (ms, seq, [w, h]) => {
        const lumas = cellLumas(paint(encodeClock({ sentAtMs: ms, seq }), w as number, h as number), w as number, h as number);
        expect(decodeClock(lumas)).toEqual({ ok: true, sentLow32: low32(ms), seq8: seq % 256 });
      }),
      { numRuns: 60 },
    );
  });

  it('tolerates codec noise below the black/white margins', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.array(fc.integer({ min: -LUMA_BLACK_MAX, max: LUMA_BLACK_MAX }), { minLength: PATTERN_CELLS, maxLength: PATTERN_CELLS }), (ms, noise) => {
        const cells = encodeClock({ sentAtMs: ms, seq: 7 });
        const lumas = cells.map((white, i) => (white ? 255 - Math.abs(noise[i] as number) : Math.abs(noise[i] as number)));
        expect(decodeClock(lumas)).toMatchObject({ ok: true, sentLow32: low32(ms) });
      }),
    );
  });

  it('ignores the smeared edges of every cell (only the central half is read)', () => {
    const w = 640;
    const h = 360;
    const rgba = paint(encodeClock({ sentAtMs: 1_700_000_123_456, seq: 3 }), w, h);
    // Grey out a band 10 px wide along every cell border, as a blurry codec would.
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const nearX = Math.min(x % (w / PATTERN_COLS), w / PATTERN_COLS - (x % (w / PATTERN_COLS))) < 10;
        const nearY = Math.min(y % (h / PATTERN_ROWS), h / PATTERN_ROWS - (y % (h / PATTERN_ROWS))) < 10;
        if (nearX || nearY) rgba.set([128, 128, 128], (y * w + x) * 4);
      }
    }
    expect(decodeClock(cellLumas(rgba, w, h))).toMatchObject({ ok: true, sentLow32: low32(1_700_000_123_456), seq8: 3 });
  });

  it('drops a read with a grey cell instead of guessing', () => {
    const lumas: number[] = encodeClock({ sentAtMs: 12345, seq: 1 }).map((w) => (w ? 255 : 0));
    lumas[17] = (LUMA_BLACK_MAX + LUMA_WHITE_MIN) / 2;
    expect(decodeClock(lumas)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it('catches every one- and two-cell corruption with the checksum', () => {
    const base: number[] = encodeClock({ sentAtMs: 1_764_000_000_000, seq: 200 }).map((w) => (w ? 255 : 0));
    for (let i = 0; i < PATTERN_CELLS; i++) {
      for (let j = i; j < PATTERN_CELLS; j++) {
        const lumas = [...base];
        lumas[i] = 255 - (lumas[i] as number);
        if (j !== i) lumas[j] = 255 - (lumas[j] as number);
        expect(decodeClock(lumas), `flipped cells ${i},${j}`).toEqual({ ok: false, reason: 'checksum' });
      }
    }
  });

  it('refuses a wrong number of cells', () => {
    expect(() => decodeClock([0, 255])).toThrow(RangeError);
  });
});

describe('latencyMs', () => {
  it('is now minus the stamp, across the 2^32 ms wrap of the low bits', () => {
    const sent = 2 ** 32 * 400 - 30; // 30 ms before a wrap of the low 32 bits
    expect(latencyMs(low32(sent), sent + 120)).toBe(120);
    expect(latencyMs(low32(1_764_000_000_000), 1_764_000_000_087)).toBe(87);
  });

  it('rejects a stamp from the future and one older than the plausible bound', () => {
    expect(latencyMs(low32(1_000_050), 1_000_000)).toBeUndefined();
    expect(latencyMs(low32(1_000_000), 1_000_000 + MAX_PLAUSIBLE_LATENCY_MS + 1)).toBeUndefined();
    expect(latencyMs(low32(1_000_000), 1_000_000 + MAX_PLAUSIBLE_LATENCY_MS)).toBe(MAX_PLAUSIBLE_LATENCY_MS);
  });
});
