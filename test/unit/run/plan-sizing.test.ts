import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { CPU_HEADROOM, MEMORY_HEADROOM, formatSizing, readSizingBasis, sizeRunners, type SizingBasis } from '../../../scripts/run/plan-sizing.ts';

const basis: SizingBasis = {
  connectionsPerProcess: 12_000,
  baseMiBPerProcess: 60,
  marginalKibPerConnection: 55,
  rampCpuMsPerConnection: 9,
  holdCpuMsPerConnectionMinute: 2.5,
  source: 'test',
};

describe('runner sizing from the bench figures', () => {
  it("full: enough runners for its connections at the bench's sessions per process, never fewer than the profile's", () => {
    const s = sizeRunners(PROFILES.full, basis);
    expect(s.runners).toBe(Math.max(PROFILES.full.runners, Math.ceil(50_000 / 12_000)));
    expect(s.connectionsPerRunner * s.runners).toBeGreaterThanOrEqual(50_000);
    expect(s.memoryRequestMiB).toBeGreaterThanOrEqual((60 + (s.connectionsPerRunner * 55) / 1024) * MEMORY_HEADROOM);
    expect(s.memoryLimitMiB).toBeGreaterThan(s.memoryRequestMiB);
    const rampCores = ((s.connectionsPerRunner / PROFILES.full.websocket.rampSec) * 9) / 1000;
    expect(s.cpuRequestCores).toBeGreaterThanOrEqual(rampCores * CPU_HEADROOM);
    expect(s.cpuRequestCores % 0.25).toBe(0);
    expect(s.totalCores).toBe(s.cpuRequestCores * s.runners);
  });

  it('more memory per session means more memory per runner; fewer sessions per process means more runners', () => {
    const heavier = sizeRunners(PROFILES.full, { ...basis, marginalKibPerConnection: 110 });
    expect(heavier.memoryRequestMiB).toBeGreaterThan(sizeRunners(PROFILES.full, basis).memoryRequestMiB);
    expect(sizeRunners(PROFILES.full, { ...basis, connectionsPerProcess: 5_000 }).runners).toBe(10);
  });

  it('prints runners, cores and memory with where the figures come from', () => {
    const text = formatSizing(sizeRunners(PROFILES.full, basis));
    expect(text).toMatch(/runners\s+\d+/);
    expect(text).toMatch(/cpu per runner\s+[\d.]+ cores/);
    expect(text).toMatch(/memory per runner\s+\d+ MiB request, \d+ MiB limit/);
    expect(text).toContain('from test');
  });

  it('reads its figures from the results file, and refuses a missing file or a run that held nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sizing-'));
    await expect(readSizingBasis(join(dir, 'none.json'))).rejects.toBeInstanceOf(UsageError);
    const suite = { held: 24_000, processes: 2, k6RssMiB: { base: 120 }, marginalKibPerConnection: 50, rampCpuMsPerConnection: 8, holdCpuMsPerConnectionMinute: 2 };
    await writeFile(join(dir, 'ok.json'), JSON.stringify({ date: '2026-11-30T00:00:00Z', suite }));
    expect(await readSizingBasis(join(dir, 'ok.json'))).toMatchObject({ connectionsPerProcess: 12_000, baseMiBPerProcess: 60, marginalKibPerConnection: 50 });
    await writeFile(join(dir, 'empty.json'), JSON.stringify({ date: '2026-11-30T00:00:00Z', suite: { ...suite, marginalKibPerConnection: null } }));
    await expect(readSizingBasis(join(dir, 'empty.json'))).rejects.toThrow(/held nothing/);
  });
});
