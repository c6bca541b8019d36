import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../media/probe/redact.ts';

// Shaped like livekit-server's answer to a bad token (the token here is made up).
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoicHJvYmUiLCJ2aWRlbyI6eyJyb29tIjoiciJ9fQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ';

describe('redactSecrets', () => {
  it('removes the token livekit-server echoes in "invalid token"', () => {
    const out = redactSecrets(`ConnectionError: could not establish signal connection: invalid token: ${TOKEN}, error: go-jose`);
    expect(out).toBe('ConnectionError: could not establish signal connection: invalid token: ***, error: go-jose');
  });

  it('removes a token cut short by a length limit', () => {
    expect(redactSecrets(`invalid token: ${TOKEN.slice(0, 60)}`)).toBe('invalid token: ***');
  });

  it('removes given secrets that are not JWTs', () => {
    expect(redactSecrets('key=s3cr3t-value-123 and again s3cr3t-value-123', ['s3cr3t-value-123'])).toBe('key=*** and again ***');
  });

  it('leaves ordinary messages alone', () => {
    expect(redactSecrets('could not establish signal connection: Failed to fetch')).toBe('could not establish signal connection: Failed to fetch');
  });
});
