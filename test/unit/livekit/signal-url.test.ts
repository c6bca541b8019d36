import { describe, expect, it } from 'vitest';
import { redactSignalUrl, SIGNAL_PROTOCOL_VERSION, signalUrl } from '../../../lib/livekit/signal-url.ts';

describe('signalUrl', () => {
  it('maps http(s)/ws(s) to ws(s) and appends /rtc after any path', () => {
    expect(signalUrl('http://127.0.0.1:17880', 't')).toMatch(/^ws:\/\/127\.0\.0\.1:17880\/rtc\?/);
    expect(signalUrl('https://sfu.example/lk/', 't')).toMatch(/^wss:\/\/sfu\.example\/lk\/rtc\?/);
    expect(signalUrl('wss://h', 't')).toMatch(/^wss:\/\/h\/rtc\?/);
  });

  it('carries the token, subscription mode and protocol version livekit-server reads', () => {
    const url = signalUrl('ws://h:1', 'a.b+c/d=', { autoSubscribe: false });
    const q = new URL(url).searchParams;
    expect(q.get('access_token')).toBe('a.b+c/d=');
    expect(q.get('auto_subscribe')).toBe('0');
    expect(q.get('protocol')).toBe(String(SIGNAL_PROTOCOL_VERSION));
    expect(new URL(signalUrl('ws://h:1', 't')).searchParams.get('auto_subscribe')).toBe('1');
  });

  it('rejects what is not a URL, and redacts the token for logs', () => {
    expect(() => signalUrl('127.0.0.1:7880', 't')).toThrow(/ws:\/\//);
    const url = signalUrl('ws://h', 'secret-token');
    expect(redactSignalUrl(url)).not.toContain('secret-token');
    expect(redactSignalUrl(url)).toContain('access_token=***');
  });
});
