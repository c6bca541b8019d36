// Without Go on PATH, a needed build fails with one line saying what to install — not a stack trace.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { buildGoTool, goVersion } from '../../../scripts/tools/go-build.ts';
import { K6_PIN } from '../../../scripts/tools/pins.ts';

describe('buildGoTool without Go', () => {
  it('names what to install', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await goVersion()).toBeNull();
      const err = await buildGoTool(K6_PIN, '/nonexistent/k6', () => {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^k6 v2\.2\.0 is not installed and Go is missing to build it: install Go 1\.26\+/);
      expect((err as Error).message).not.toContain('\n');
    } finally {
      process.env.PATH = path;
    }
  });
});
