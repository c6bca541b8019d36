/**
 * What a subscriber shows, as subscriptions: which published tracks, at which video layer.
 * Pure, so the layout rules are unit-tested without a server.
 *
 *  - speaker:    the first video at the high layer (the active speaker's tile), the next five
 *                at the low layer (the filmstrip), and every audio track.
 *  - audio-only: every audio track, no video (a phone participant).
 *
 * "First" is publication order (the earliest publisher is the speaker), so every subscriber of a
 * room shows the same speaker — as a room following one active speaker does.
 */

export type LayoutName = 'speaker' | 'audio-only';
export const LAYOUT_NAMES: LayoutName[] = ['speaker', 'audio-only'];

export interface PublishedTrack {
  participantSid: string;
  trackSid: string;
  kind: 'audio' | 'video';
  /** Order of publication (lower = earlier); ties broken by trackSid. */
  order: number;
}

export type Layer = 'high' | 'low';

export interface PlannedSubscription {
  participantSid: string;
  trackSid: string;
  kind: 'audio' | 'video';
  /** Video layer asked for; absent for audio. */
  layer?: Layer;
}

/** Videos in the speaker layout's filmstrip, beside the one speaker tile. */
export const SPEAKER_FILMSTRIP = 5;

export function planSubscriptions(layout: LayoutName, tracks: readonly PublishedTrack[]): PlannedSubscription[] {
  const sorted = [...tracks].sort((a, b) => a.order - b.order || a.trackSid.localeCompare(b.trackSid));
  const audio = sorted.filter((t) => t.kind === 'audio').map(({ participantSid, trackSid, kind }) => ({ participantSid, trackSid, kind }));
  if (layout === 'audio-only') return audio;
  const video = sorted.filter((t) => t.kind === 'video').slice(0, 1 + SPEAKER_FILMSTRIP);
  return [
    ...video.map(({ participantSid, trackSid, kind }, i) => ({ participantSid, trackSid, kind, layer: (i === 0 ? 'high' : 'low') as Layer })),
    ...audio,
  ];
}

export function isLayoutName(name: string): name is LayoutName {
  return (LAYOUT_NAMES as string[]).includes(name);
}
