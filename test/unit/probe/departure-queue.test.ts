/**
 * The relay's departure queue with real timers: packets given random delays leave in arrival order
 * and never before their departure time. The same pattern scheduled as one setTimeout per packet
 * (departure − now) reorders on Node 20 — 142 of 3,000 out of order when measured while writing
 * this — which is why the queue exists.
 */
import { describe, expect, it } from 'vitest';
import { DepartureQueue } from '../../../media/impair/departure-queue.ts';
import { mulberry32 } from '../../../media/impair/seeded-random.ts';

describe('DepartureQueue', () => {
  it('keeps arrival order under jitter, ties included, and sends nothing early', async () => {
    const q = new DepartureQueue();
    const draw = mulberry32(7);
    const sent: number[] = [];
    const early: string[] = [];
    const departures: number[] = [];
    const total = 3000;
    await new Promise<void>((done) => {
      let queued = 0;
      // 10 packets a millisecond with 20 ms + up to 40 ms each: most departures are held back to
      // an earlier packet's, so many are exactly equal.
      const iv = setInterval(() => {
        for (let k = 0; k < 10 && queued < total; k++, queued++) {
          const i = queued;
          const at = q.push(20 + draw() * 40, () => {
            if (performance.now() < at) early.push(`${i}: ${(at - performance.now()).toFixed(3)} ms early`);
            sent.push(i);
            if (sent.length === total) done();
          });
          departures.push(at);
        }
        if (queued >= total) clearInterval(iv);
      }, 1);
    });
    expect(sent).toEqual([...Array(total).keys()]);
    expect(early).toEqual([]);
    const ties = departures.filter((at, i) => i > 0 && at === departures[i - 1]).length;
    expect(ties).toBeGreaterThan(total / 10);
    expect(q.size).toBe(0);
  });

  it('clear() drops what waits: nothing queued before it is sent', async () => {
    const q = new DepartureQueue();
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) q.push(10, () => sent.push(i));
    q.clear();
    q.push(5, () => sent.push(99));
    await new Promise((r) => setTimeout(r, 40));
    expect(sent).toEqual([99]);
  });
});
