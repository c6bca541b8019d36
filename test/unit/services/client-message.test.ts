import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '../../../stack/services/signaling/client-message.ts';
import { CHAT_TEXT_MAX } from '../../../stack/services/shared/limits.ts';

describe('parseClientMessage', () => {
  it.each([
    ['{"type":"auth","token":"t"}', { type: 'auth', token: 't' }],
    ['{"type":"join","meetingId":"m"}', { type: 'join', meetingId: 'm' }],
    ['{"type":"heartbeat","ts":17.5}', { type: 'heartbeat', ts: 17.5 }],
    ['{"type":"chat","text":"hi"}', { type: 'chat', text: 'hi' }],
    ['{"type":"leave"}', { type: 'leave' }],
  ])('accepts %s', (raw, message) => {
    expect(parseClientMessage(raw)).toEqual({ ok: true, message });
  });

  it('keeps only the contract fields', () => {
    expect(parseClientMessage('{"type":"auth","token":"t","admin":true}')).toEqual({ ok: true, message: { type: 'auth', token: 't' } });
  });

  it.each([
    '',
    'not json',
    '[]',
    'null',
    '{"type":"auth"}',
    '{"type":"auth","token":""}',
    '{"type":"join","meetingId":5}',
    '{"type":"heartbeat","ts":"now"}',
    '{"type":"chat","text":""}',
    JSON.stringify({ type: 'chat', text: 'x'.repeat(CHAT_TEXT_MAX + 1) }),
    '{"type":"shout"}',
  ])('refuses %j with a reason', (raw) => {
    const parsed = parseClientMessage(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });
});
