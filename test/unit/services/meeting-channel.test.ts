import { describe, expect, it } from 'vitest';
import { isMeetingId, meetingChannel, parseMeetingEvent } from '../../../stack/services/shared/meeting-channel.ts';

describe('meeting channel', () => {
  it('names the channel as the contract does', () => {
    expect(meetingChannel('abc')).toBe('meeting:abc');
  });

  it('reads chat and presence events and nothing else', () => {
    expect(parseMeetingEvent('{"kind":"presence","joined":["a"],"left":[],"participants":1}')).toEqual({
      kind: 'presence',
      joined: ['a'],
      left: [],
      participants: 1,
    });
    expect(parseMeetingEvent('{"kind":"chat","message":{"id":"1"}}')?.kind).toBe('chat');
    for (const bad of ['', 'nope', 'null', '{"kind":"presence","joined":"a","left":[],"participants":1}', '{"kind":"other"}']) {
      expect(parseMeetingEvent(bad)).toBeUndefined();
    }
  });

  it('takes UUIDs as meeting ids only', () => {
    expect(isMeetingId('0b7c9a2e-3f0a-4c1e-9a4b-2f6d8e1c0a11')).toBe(true);
    expect(isMeetingId("1' OR '1'='1")).toBe(false);
    expect(isMeetingId('')).toBe(false);
  });
});
