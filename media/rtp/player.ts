/**
 * Plays a clip in real time: `due(now)` hands back the units whose send time has come, with the RTP
 * timestamp continued across loops. Driven by the publisher's timer; the player keeps no timer of its
 * own, so one process can pace many publishers from one clock.
 */
import type { Clip, ClipUnit } from './clip.ts';

export interface DueUnit {
  unit: ClipUnit;
  /** RTP timestamp (from 0 at the first loop; the sender adds its random offset). */
  rtpTs: number;
}

/** A player that falls this far behind (a stalled event loop) skips ahead instead of bursting. */
const MAX_LAG_MS = 500;

export class ClipPlayer {
  private loop = 0;
  private next = 0;
  private loopStartMs: number;
  /** Units skipped because the process could not keep up (a saturated generator, reported). */
  skipped = 0;

  constructor(
    readonly clip: Clip,
    startMs: number,
  ) {
    this.loopStartMs = startMs;
  }

  due(nowMs: number): DueUnit[] {
    const out: DueUnit[] = [];
    const { units } = this.clip;
    for (;;) {
      if (this.next >= units.length) {
        this.loop += 1;
        this.next = 0;
        this.loopStartMs += this.clip.durationMs;
      }
      const unit = units[this.next]!;
      const at = this.loopStartMs + unit.atMs;
      if (at > nowMs) break;
      if (nowMs - at > MAX_LAG_MS) {
        this.skipped += 1;
      } else {
        out.push({ unit, rtpTs: this.loop * this.clip.durationTicks + unit.rtpTs });
      }
      this.next += 1;
    }
    return out;
  }
}
