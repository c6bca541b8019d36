// `setup` on a machine that already has everything: it only looks, says what it found, and is fast.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { setupCommand } from '../../../scripts/setup.ts';
import { missingDebianPackages } from '../../../scripts/tools/debian-packages.ts';

describe('setupCommand', () => {
  it('is a quick no-op when the packages and pinned tools are present', async (t) => {
    const missing = await missingDebianPackages();
    if (missing.length > 0) t.skip(`this machine lacks ${missing.map((p) => p.name).join(', ')}; setup would install them`);
    const lines: string[] = [];
    const started = Date.now();
    expect(await setupCommand({ onProgress: (l) => lines.push(l) })).toBe(0);
    const ms = Date.now() - started;
    expect(lines).toContain('setup: Debian packages present');
    expect(lines).toContain('setup: npm packages present');
    expect(lines.some((l) => /^setup: k6 v2\.2\.0 with k6\/x\/gomeet at \//.test(l))).toBe(true);
    expect(lines.some((l) => /^setup: livekit-server v1\.13\.5 at \//.test(l))).toBe(true);
    expect(lines.some((l) => /building|installing/.test(l))).toBe(false);
    // The brief's bar is 2 s on a quiet machine; allow for a busy shared one.
    expect(ms).toBeLessThan(5000);
  });

  it('rejects an unknown --only part as a usage error', async () => {
    await expect(setupCommand({ only: 'everything', onProgress: () => {} })).rejects.toThrow(UsageError);
  });
});
