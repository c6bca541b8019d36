/**
 * The clock pattern on real pixels: the publisher paints it into its canvas, the subscriber reads it
 * back from the video element. The reader scales the frame down to a small canvas first (8 px per
 * cell is plenty for blocks this large, and getImageData on 64 × 48 px costs next to nothing).
 */
import { cellLumas, decodeClock, encodeClock, PATTERN_COLS, PATTERN_ROWS, type ClockRead, type ClockStamp } from '../clock-pattern.ts';

export function paintClock(ctx: CanvasRenderingContext2D, width: number, height: number, stamp: ClockStamp): void {
  const cells = encodeClock(stamp);
  for (let row = 0; row < PATTERN_ROWS; row++) {
    for (let col = 0; col < PATTERN_COLS; col++) {
      ctx.fillStyle = cells[row * PATTERN_COLS + col] ? '#ffffff' : '#000000';
      // Integer edges: no anti-aliased grey seam between cells.
      const x0 = Math.round((col * width) / PATTERN_COLS);
      const x1 = Math.round(((col + 1) * width) / PATTERN_COLS);
      const y0 = Math.round((row * height) / PATTERN_ROWS);
      const y1 = Math.round(((row + 1) * height) / PATTERN_ROWS);
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
  }
}

/** Pixels per cell on the reader's scratch canvas. */
const READ_PX_PER_CELL = 8;

export class ClockReader {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly width = PATTERN_COLS * READ_PX_PER_CELL;
  private readonly height = PATTERN_ROWS * READ_PX_PER_CELL;

  constructor() {
    const canvas = document.createElement('canvas');
    canvas.width = this.width;
    canvas.height = this.height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2d context for the clock reader');
    this.ctx = ctx;
  }

  /** Reads the frame the video element shows now. */
  read(video: HTMLVideoElement): ClockRead {
    this.ctx.drawImage(video, 0, 0, this.width, this.height);
    const { data } = this.ctx.getImageData(0, 0, this.width, this.height);
    return decodeClock(cellLumas(data, this.width, this.height));
  }
}
