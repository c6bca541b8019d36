/**
 * `run --plan`, media part: the figures come from the committed bench results, and the sizing of a
 * profile follows them (more bots per core → fewer cores; probes scale with their frame rate; one
 * bot runner per 5,000 bots).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import { MAX_BOTS } from '../../../media/runner/plan.ts';
import { BOT_BENCH_FILE, formatMediaSizing, mediaBasisFrom, PROBE_BENCH_FILE, readMediaSizingBasis, sizeMedia } from '../../../scripts/run/media/sizing.ts';
import { CPU_HEADROOM } from '../../../scripts/run/plan-sizing.ts';

const bots = JSON.parse(readFileSync(BOT_BENCH_FILE, 'utf8'));
const probes = JSON.parse(readFileSync(PROBE_BENCH_FILE, 'utf8'));

describe('media sizing', () => {
  it('reads its basis from the bench results: the least lossy bot point, the probes’ CPU at full fps', async () => {
    const basis = await readMediaSizingBasis();
    const least = [...bots.points].sort((a: { lossPct: number }, b: { lossPct: number }) => a.lossPct - b.lossPct)[0];
    expect(basis.botSubscribersPerCore).toBe(least.projectedSubscribersPerCore);
    const meanPct = probes.probes.reduce((s: number, p: { cpuPctAtFullFps: number }) => s + p.cpuPctAtFullFps, 0) / probes.probes.length;
    expect(basis.probeCoresAt30Fps).toBeCloseTo((meanPct / 100) * (30 / probes.video.fps), 10);
    expect(basis.source).toContain('bench/media-bots');
  });

  it('sizes full from the figures: bots / per-core × headroom, probes × core each × headroom', async () => {
    const basis = await readMediaSizingBasis();
    const s = sizeMedia(PROFILES.full, basis);
    const sfu = PROFILES.full.sfu;
    expect(s.bots).toBe(sfu.rooms * (sfu.botPublishersPerRoom + sfu.botSubscribersPerRoom));
    expect(s.probes).toBe(sfu.rooms * (sfu.probePublishersPerRoom + sfu.probeSubscribersPerRoom));
    expect(s.participants).toBe(50_000);
    expect(s.botCores).toBeCloseTo(Math.ceil(((s.bots / basis.botSubscribersPerCore) * CPU_HEADROOM) * 4) / 4, 10);
    expect(s.probeCores).toBeCloseTo(Math.ceil(s.probes * basis.probeCoresAt30Fps * (sfu.probeFps / 30) * CPU_HEADROOM * 4) / 4, 10);
    expect(s.totalCores).toBe(s.botCores + s.probeCores);
    expect(s.botRunners).toBe(Math.ceil(s.bots / MAX_BOTS));
    expect(formatMediaSizing(s)).toMatch(/media sizing for profile 'full' \(100 room\(s\), 50,000 participants\)/);
  });

  it('a faster bot halves the bot cores; a probe at 15 fps costs half of one at 30', async () => {
    const basis = await readMediaSizingBasis();
    const base = sizeMedia(PROFILES.full, basis);
    const faster = sizeMedia(PROFILES.full, { ...basis, botSubscribersPerCore: basis.botSubscribersPerCore * 2 });
    expect(faster.botCores).toBeCloseTo(base.botCores / 2, 0);
    const slowFps = sizeMedia({ ...PROFILES.full, sfu: { ...PROFILES.full.sfu, probeFps: 15 } }, basis);
    expect(slowFps.probeCores).toBeCloseTo(base.probeCores / 2, 0);
  });

  it('memory: a worker base plus a per-bot slope from two points; the one point’s RSS per worker otherwise', () => {
    const two = mediaBasisFrom(
      { date: '2026-11-30', points: [{ subscribers: 10, rssMB: 160, lossPct: 1, projectedSubscribersPerCore: 40 }, { subscribers: 40, rssMB: 181, lossPct: 2, projectedSubscribersPerCore: 38 }] },
      probes,
    );
    expect(two.botMiBPerBot).toBeCloseTo(0.7, 10);
    expect(two.botWorkerBaseMiB).toBeCloseTo(153, 10);
    expect(two.botSubscribersPerCore).toBe(40);
    const one = mediaBasisFrom({ date: '2026-11-30', points: [{ subscribers: 4, rssMB: 160, lossPct: 16, projectedSubscribersPerCore: 30 }] }, probes);
    expect(one).toMatchObject({ botMiBPerBot: 0, botWorkerBaseMiB: 160 });
  });

  it('refuses a bench without figures instead of sizing from nothing', () => {
    expect(() => mediaBasisFrom({ date: '2026-11-30', points: [] }, probes)).toThrow(/no point/);
    expect(() => mediaBasisFrom(bots, { ...probes, probes: [] })).toThrow(/no probe/);
  });
});
