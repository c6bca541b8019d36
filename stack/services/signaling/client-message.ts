/**
 * Client frames → ClientMessage, validated. Anything else is a `bad_message` for the caller to
 * answer; parsing never throws.
 */
import type { ClientMessage } from '../../../lib/gomeet/contract.ts';
import { CHAT_TEXT_MAX } from '../shared/limits.ts';

export type Parsed = { ok: true; message: ClientMessage } | { ok: false; reason: string };

export function parseClientMessage(raw: string): Parsed {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'not a JSON object' };
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case 'auth':
      return typeof m.token === 'string' && m.token.length > 0
        ? { ok: true, message: { type: 'auth', token: m.token } }
        : { ok: false, reason: 'auth needs a token' };
    case 'join':
      return typeof m.meetingId === 'string' && m.meetingId.length > 0
        ? { ok: true, message: { type: 'join', meetingId: m.meetingId } }
        : { ok: false, reason: 'join needs a meetingId' };
    case 'heartbeat':
      return typeof m.ts === 'number' && Number.isFinite(m.ts)
        ? { ok: true, message: { type: 'heartbeat', ts: m.ts } }
        : { ok: false, reason: 'heartbeat needs a numeric ts' };
    case 'chat':
      return typeof m.text === 'string' && m.text.length > 0 && m.text.length <= CHAT_TEXT_MAX
        ? { ok: true, message: { type: 'chat', text: m.text } }
        : { ok: false, reason: `chat needs a text of 1..${CHAT_TEXT_MAX} characters` };
    case 'leave':
      return { ok: true, message: { type: 'leave' } };
    default:
      return { ok: false, reason: 'unknown message type' };
  }
}
