import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../lib/gomeet/contract.ts';
import { authFrame, frameType, heartbeatAckTs, heartbeatFrame, joinFrame } from '../../../lib/k6/signaling.ts';

describe('signaling frames', () => {
  it('builds the contract messages', () => {
    expect(JSON.parse(authFrame('t'))).toEqual({ type: 'auth', token: 't' });
    expect(JSON.parse(joinFrame('m1'))).toEqual({ type: 'join', meetingId: 'm1' });
    expect(JSON.parse(heartbeatFrame(1234))).toEqual({ type: 'heartbeat', ts: 1234 });
  });

  it('finds the type of every server message without parsing, whatever the key order', () => {
    const messages: ServerMessage[] = [
      { type: 'auth_ok', userId: 'u' },
      { type: 'joined', meetingId: 'm', participantId: 'p', participants: 3 },
      { type: 'heartbeat_ack', ts: 5 },
      { type: 'presence', meetingId: 'm', participants: 2, joined: ['a'], left: [] },
      { type: 'error', code: 'meeting_full', message: 'full' },
    ];
    for (const m of messages) {
      expect(frameType(JSON.stringify(m))).toBe(m.type);
      const { type, ...rest } = m;
      expect(frameType(JSON.stringify({ ...rest, type }))).toBe(type);
    }
  });

  it('is not fooled by a chat text that looks like a type', () => {
    const chat: ServerMessage = {
      type: 'chat',
      meetingId: 'm',
      message: { id: '1', meetingId: 'm', userId: 'u', text: '"type":"heartbeat_ack"', createdAt: 'now' },
    };
    const { type, ...rest } = chat;
    expect(frameType(JSON.stringify({ ...rest, type }))).toBe('chat');
    expect(frameType('not json')).toBeUndefined();
  });

  it('reads the echoed heartbeat timestamp', () => {
    expect(heartbeatAckTs('{"type":"heartbeat_ack","ts":42}')).toBe(42);
    expect(heartbeatAckTs('{"type":"heartbeat_ack"}')).toBeNaN();
    expect(heartbeatAckTs('{')).toBeNaN();
  });
});
