// The k6 extension's own Go tests (xk6/signaling: frame scanning, the heartbeat wheel) run with the
// rest of the suite, so `npm test` covers the Go side too.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../scripts/tools/paths.ts';

describe('xk6 (go test ./...)', () => {
  it('passes', async () => {
    const { stdout } = await promisify(execFile)('go', ['test', '-count=1', './...'], { cwd: join(PROJECT_ROOT, 'xk6'), timeout: 240_000 });
    expect(stdout).toMatch(/^ok\s+gomeet-capacity\/xk6\/signaling/m);
  }, 250_000);
});
