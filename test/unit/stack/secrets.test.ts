// secrets.env: generated once with random values, reused as is, completed when a name is missing,
// and always mode 0600.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets } from '../../../scripts/stack/secrets.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadOrCreateSecrets', () => {
  it('creates every secret once, then returns the same values', async () => {
    const file = join(dir, 'secrets.env');
    const first = await loadOrCreateSecrets(file);
    expect(Object.keys(first).sort()).toEqual(['GOMEET_JWT_SECRET', 'GOMEET_LIVEKIT_API_KEY', 'GOMEET_LIVEKIT_API_SECRET', 'GOMEET_LOADTEST_PASSWORD', 'GOMEET_PG_PASSWORD', 'GOMEET_TURN_SECRET']);
    expect(first.GOMEET_LIVEKIT_API_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(first.GOMEET_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecrets(file)).toEqual(first);
    // Another stack dir gets other secrets.
    const other = await loadOrCreateSecrets(join(dir, 'other.env'));
    for (const k of Object.keys(first) as (keyof typeof first)[]) expect(other[k]).not.toBe(first[k]);
  });

  it('keeps what the file has, adds what it lacks, and tightens its mode', async () => {
    const file = join(dir, 'secrets.env');
    await writeFile(file, 'GOMEET_LOADTEST_PASSWORD=kept-password-123\n');
    await chmod(file, 0o644);
    const secrets = await loadOrCreateSecrets(file);
    expect(secrets.GOMEET_LOADTEST_PASSWORD).toBe('kept-password-123');
    expect(secrets.GOMEET_JWT_SECRET.length).toBeGreaterThan(0);
    expect((await readFile(file, 'utf8'))).toContain(`GOMEET_JWT_SECRET=${secrets.GOMEET_JWT_SECRET}`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
