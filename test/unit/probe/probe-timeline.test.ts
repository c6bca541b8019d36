import { describe, expect, it } from 'vitest';
import { nextStep, type ProbeProgress } from '../../../media/probe/probe-timeline.ts';

const plan = { durationSec: 20, connectTimeoutSec: 30, publisherLingerSec: 3 };
const s = 1000;
const sub = (firstVideoAtMs?: number): ProbeProgress => ({ role: 'subscriber', connectedAtMs: 0, firstVideoAtMs, watchersExpected: 0, watchersSeen: 0, watchersPresent: 0 });
const pub = (seen: number, present: number, expected = 2): ProbeProgress => ({ role: 'publisher', connectedAtMs: 0, firstVideoAtMs: 1 * s, watchersExpected: expected, watchersSeen: seen, watchersPresent: present });

describe('nextStep', () => {
  it('gives a subscriber durationSec from its first frame, however late that came', () => {
    expect(nextStep(sub(25 * s), 44 * s, plan)).toBe('continue');
    expect(nextStep(sub(25 * s), 45 * s, plan)).toBe('done');
  });

  it('fails a probe without video connectTimeoutSec after it joined, not before', () => {
    expect(nextStep(sub(), 30 * s, plan)).toBe('continue');
    expect(nextStep(sub(), 30 * s + 1, plan)).toBe('no_video');
    expect(nextStep({ ...pub(0, 0), firstVideoAtMs: undefined }, 31 * s, plan)).toBe('no_video');
  });

  it('keeps a publisher at least durationSec + linger', () => {
    expect(nextStep(pub(2, 0), 22 * s, plan)).toBe('continue');
    expect(nextStep(pub(2, 0), 23 * s, plan)).toBe('done');
  });

  it('keeps a publisher while its subscribers are in the room, or before all of them came', () => {
    expect(nextStep(pub(2, 1), 40 * s, plan)).toBe('continue');
    expect(nextStep(pub(1, 0), 40 * s, plan)).toBe('continue');
    expect(nextStep(pub(0, 0, 0), 23 * s, plan)).toBe('done');
  });

  it('never keeps a publisher past connectTimeoutSec beyond its soft end', () => {
    expect(nextStep(pub(1, 1), 53 * s - 1, plan)).toBe('continue');
    expect(nextStep(pub(1, 1), 53 * s, plan)).toBe('done');
  });
});
