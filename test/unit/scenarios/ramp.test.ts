import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  holdEndOffsetMs,
  meetingOfSession,
  openOffsetMs,
  sessionsOfRunner,
  sessionsOfVU,
  signalingUrlOfSession,
  websocketVUs,
} from '../../../lib/k6/ramp.ts';
import { PROFILES } from '../../../lib/profiles.ts';

describe('websocket ramp', () => {
  it('the VUs hold exactly the planned sessions, each once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 300 }), (connections, perVU) => {
        const seen = new Set<number>();
        for (let vu = 0; vu < websocketVUs(connections, perVU); vu++) {
          const { first, count } = sessionsOfVU(vu, perVU, connections);
          expect(count).toBeGreaterThan(0);
          for (let k = first; k < first + count; k++) seen.add(k);
        }
        expect(seen.size).toBe(connections);
        expect(Math.max(...seen)).toBe(connections - 1);
        expect(sessionsOfVU(websocketVUs(connections, perVU), perVU, connections).count).toBe(0);
      }),
    );
  });

  it('opens session k at k/connections of the ramp: first at 0, evenly spaced, all before the ramp ends', () => {
    const { connections, rampSec } = PROFILES.smoke.websocket;
    expect(openOffsetMs(0, connections, rampSec)).toBe(0);
    expect(openOffsetMs(connections / 2, connections, rampSec)).toBe((rampSec * 1000) / 2);
    expect(openOffsetMs(connections - 1, connections, rampSec)).toBeLessThan(rampSec * 1000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 600 }), (n, ramp) => {
        let previous = -1;
        for (const k of [0, Math.floor(n / 3), n - 1]) {
          const at = openOffsetMs(k, n, ramp);
          expect(at).toBeGreaterThanOrEqual(previous);
          expect(at).toBeLessThanOrEqual(ramp * 1000);
          previous = at;
        }
      }),
    );
  });

  it('the hold window ends rampSec + holdSec after the start', () => {
    expect(holdEndOffsetMs(15, 45)).toBe(60_000);
  });

  it('spreads sessions evenly over meetings, and each meeting over every signaling URL', () => {
    const connections = 500;
    const meetings = 10;
    const urls = 4;
    const perMeeting = new Map<number, Set<number>>();
    const counts = new Array(meetings).fill(0);
    for (let k = 0; k < connections; k++) {
      const m = meetingOfSession(k, meetings);
      counts[m]++;
      const set = perMeeting.get(m) ?? new Set();
      set.add(signalingUrlOfSession(k, meetings, urls));
      perMeeting.set(m, set);
    }
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    for (const set of perMeeting.values()) expect(set.size).toBe(urls);
  });

  it("runners' shares add up to the plan, and one runner holds it all", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 8 }), (n, perVU, runners) => {
        let total = 0;
        for (let r = 0; r < runners; r++) total += sessionsOfRunner(r, runners, n, perVU);
        expect(total).toBe(n);
        expect(sessionsOfRunner(0, 1, n, perVU)).toBe(n);
      }),
    );
  });
});
