import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../stack/services/shared/password.ts';

describe('password hashes', () => {
  it('verifies the right password only, and salts every hash', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse', b)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('correct horse', 'scrypt$1024$8$1$')).toBe(false);
  });

  it('keeps a login cheap: a verification takes a few ms, not hundreds', async () => {
    const stored = await hashPassword('pw');
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await verifyPassword('pw', stored);
      times.push(performance.now() - t);
    }
    // Best of five, so a busy shared machine does not decide the result.
    expect(Math.min(...times)).toBeLessThan(25);
  });
});
