import { describe, expect, it } from 'vitest';
import { planSubscriptions, SPEAKER_FILMSTRIP, type PublishedTrack } from '../../../media/bots/layout.ts';

function room(publishers: number): PublishedTrack[] {
  const tracks: PublishedTrack[] = [];
  for (let i = 0; i < publishers; i++) {
    tracks.push({ participantSid: `PA_${i}`, trackSid: `TR_v${i}`, kind: 'video', order: i * 10 });
    tracks.push({ participantSid: `PA_${i}`, trackSid: `TR_a${i}`, kind: 'audio', order: i * 10 + 1 });
  }
  return tracks;
}

describe('planSubscriptions', () => {
  it('speaker: the earliest video high, the next five low, every audio', () => {
    const plan = planSubscriptions('speaker', room(9).reverse());
    const video = plan.filter((s) => s.kind === 'video');
    expect(video.map((s) => [s.trackSid, s.layer])).toEqual([
      ['TR_v0', 'high'],
      ...[1, 2, 3, 4, 5].map((i) => [`TR_v${i}`, 'low']),
    ]);
    expect(video).toHaveLength(1 + SPEAKER_FILMSTRIP);
    expect(plan.filter((s) => s.kind === 'audio')).toHaveLength(9);
    expect(plan.every((s) => s.kind === 'video' || s.layer === undefined)).toBe(true);
  });

  it('speaker with fewer publishers takes what there is', () => {
    const plan = planSubscriptions('speaker', room(1));
    expect(plan).toEqual([
      { participantSid: 'PA_0', trackSid: 'TR_v0', kind: 'video', layer: 'high' },
      { participantSid: 'PA_0', trackSid: 'TR_a0', kind: 'audio' },
    ]);
    expect(planSubscriptions('speaker', [])).toEqual([]);
  });

  it('audio-only subscribes to no video', () => {
    const plan = planSubscriptions('audio-only', room(4));
    expect(plan.map((s) => s.kind)).toEqual(['audio', 'audio', 'audio', 'audio']);
  });
});
