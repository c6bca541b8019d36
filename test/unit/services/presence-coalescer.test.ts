import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PresenceCoalescer, type PresenceUpdate } from '../../../stack/services/signaling/presence-coalescer.ts';

const join = (id: string, participants: number) => ({ joined: [id], left: [], participants });
const leave = (id: string, participants: number) => ({ joined: [], left: [id], participants });

describe('PresenceCoalescer', () => {
  it('sends the first change at once and merges the rest of the second', () => {
    const c = new PresenceCoalescer(1000);
    expect(c.add('m', join('a', 1), 0)).toEqual({ meetingId: 'm', participants: 1, joined: ['a'], left: [] });
    expect(c.add('m', join('b', 2), 100)).toBeUndefined();
    expect(c.add('m', join('c', 3), 500)).toBeUndefined();
    expect(c.takeDue(999)).toEqual([]);
    expect(c.takeDue(1000)).toEqual([{ meetingId: 'm', participants: 3, joined: ['b', 'c'], left: [] }]);
    expect(c.takeDue(5000)).toEqual([]); // nothing new
  });

  it('never announces someone who joined and left inside one window', () => {
    const c = new PresenceCoalescer(1000);
    c.add('m', join('a', 1), 0);
    c.add('m', join('b', 2), 10);
    c.add('m', leave('b', 1), 20);
    c.add('m', leave('a', 0), 30);
    expect(c.takeDue(1000)).toEqual([{ meetingId: 'm', participants: 0, joined: [], left: ['a'] }]);
  });

  it('keeps meetings apart and forgets a meeting on request', () => {
    const c = new PresenceCoalescer(1000);
    c.add('m1', join('a', 1), 0);
    expect(c.add('m2', join('b', 1), 0)).toBeDefined(); // m2 has its own window
    c.add('m1', join('c', 2), 10);
    c.forget('m1');
    expect(c.takeDue(2000)).toEqual([]);
  });

  it('property: updates of a meeting are at least the interval apart, and the net joins all get announced', () => {
    const event = fc.record({
      dt: fc.integer({ min: 0, max: 700 }),
      meeting: fc.constantFrom('m1', 'm2'),
      who: fc.integer({ min: 0, max: 20 }),
      leaves: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), (events) => {
        const c = new PresenceCoalescer(1000);
        const sent: Array<PresenceUpdate & { at: number }> = [];
        const present = new Map<string, Set<string>>([['m1', new Set()], ['m2', new Set()]]);
        let now = 0;
        let serial = 0;
        for (const e of events) {
          now += e.dt;
          const room = present.get(e.meeting)!;
          // A participant id is used once: a rejoin gets a fresh id, as in the real service.
          const current = [...room].find((id) => id.startsWith(`${e.who}:`));
          let change;
          if (e.leaves && current) {
            room.delete(current);
            change = leave(current, room.size);
          } else if (!current) {
            const id = `${e.who}:${serial++}`;
            room.add(id);
            change = join(id, room.size);
          } else continue;
          const u = c.add(e.meeting, change, now);
          if (u) sent.push({ ...u, at: now });
          for (const due of c.takeDue(now)) sent.push({ ...due, at: now });
        }
        for (const due of c.takeDue(now + 1000)) sent.push({ ...due, at: now + 1000 });
        for (const meeting of ['m1', 'm2']) {
          const mine = sent.filter((u) => u.meetingId === meeting);
          for (let i = 1; i < mine.length; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(1000);
          // Replaying the announcements gives exactly who is present, and the last count is right.
          const seen = new Set<string>();
          for (const u of mine) {
            for (const id of u.joined) seen.add(id);
            for (const id of u.left) seen.delete(id);
          }
          expect([...seen].sort()).toEqual([...present.get(meeting)!].sort());
          if (mine.length > 0) expect(mine.at(-1)!.participants).toBe(present.get(meeting)!.size);
        }
      }),
    );
  });
});
