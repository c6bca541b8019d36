import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../../stack/services/shared/access-token.ts';

const SECRET = 'unit-test-secret-0123456789abcdef';
const user = { id: 'u-1', email: 'a@gomeet.local', name: 'A' };

describe('access tokens', () => {
  it('verifies what it signed, and refuses tampering, other secrets and other issuers', async () => {
    const tokens = createAccessTokens(SECRET, 60);
    const token = await tokens.sign(user);
    await expect(tokens.verify(token)).resolves.toEqual(user);
    const [h, p, s] = token.split('.');
    const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    await expect(tokens.verify(flipped)).rejects.toThrow();
    await expect(createAccessTokens(`${SECRET}x`, 60).verify(token)).rejects.toThrow();
    const foreign = await new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('someone-else')
      .setAudience('gomeet')
      .setExpirationTime('60s')
      .sign(new TextEncoder().encode(SECRET));
    await expect(tokens.verify(foreign)).rejects.toThrow();
  });

  it('a remembered token still expires on time', async () => {
    let nowMs = Date.now();
    const tokens = createAccessTokens(SECRET, 60, () => nowMs);
    const token = await tokens.sign(user);
    await expect(tokens.verify(token)).resolves.toEqual(user); // now remembered
    nowMs += 59_000;
    await expect(tokens.verify(token)).resolves.toEqual(user);
    nowMs += 2_000;
    await expect(tokens.verify(token)).rejects.toThrow();
  });
});
