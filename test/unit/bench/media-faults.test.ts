/**
 * The media fault table is consistent (the matrix's own checks) and every impairment in it is one
 * the relay accepts; the results render every run and name a mismatch.
 */
import { describe, expect, it } from 'vitest';
import { checkImpairment } from '../../../media/impair/udp-delay-relay.ts';
import { checkMediaFaultTable, MEDIA_FAULTS } from '../../../bench/verdict-matrix/media-faults.ts';
import { renderMediaMarkdown, type MediaFaultRun } from '../../../bench/verdict-matrix/media-results.ts';

describe('media fault table', () => {
  it('passes the matrix checks, with a healthy run and a fault for each verdict', () => {
    expect(checkMediaFaultTable(MEDIA_FAULTS)).toEqual([]);
    expect(new Set(MEDIA_FAULTS.map((f) => f.expected.verdict))).toEqual(new Set(['GO', 'WARN', 'NO_GO']));
    expect(MEDIA_FAULTS.find((f) => !f.path)?.expected.verdict).toBe('GO');
  });

  it('catches an expectation on a row the media matrix does not gate', () => {
    const bad = { ...MEDIA_FAULTS[2]!, expected: { verdict: 'WARN' as const, rows: { api_p95_ms: { status: ['warn' as const] } } } };
    expect(checkMediaFaultTable([bad]).join()).toMatch(/api_p95_ms is not gated/);
  });

  it('asks the relay only for impairments it accepts', () => {
    for (const f of MEDIA_FAULTS) if (f.path) expect(() => checkImpairment(f.path!), f.id).not.toThrow();
  });

  it('renders each run and names a mismatch', () => {
    const run: MediaFaultRun = {
      repeat: 1, faultId: 'media-loss', title: 't', path: 'relay+40ms/5%loss', expectedVerdict: 'WARN', gotVerdict: 'GO', matched: false,
      mismatches: ['verdict GO, expected WARN'], rows: [{ id: 'video_latency_ms', status: 'pass', observed: 120, expected: 'warn', ok: false }], reasons: [],
      subscribers: [{ p50Ms: 90, p95Ms: 120, fps: 29.5, lossPct: 4.8, freezes: 0 }], joinP95Ms: 900,
      relay: { toUpstream: 10, toClient: 2000, dropped: 0, lost: 100, clients: 1 }, loopback: 'all 20 candidate pairs 127.0.0.1', loopbackViolations: 0,
      outDir: '/x', wallSec: 100, load1Before: 1, load1After: 2,
    };
    const md = renderMediaMarkdown({ command: 'c', date: 'd', machine: { cpus: 2, loadBefore: [1], loadAfter: [2] }, gates: ['video_latency_ms'], repeats: 1, summary: { runs: 1, matched: 0, errors: 0 }, faults: [], runs: [run] });
    expect(md).toContain('**0/1 runs gave the expected verdict**');
    expect(md).toContain('| 1 | media-loss | relay+40ms/5%loss | WARN | GO ✗ | 120 ms pass | 90 / 120 ms, 29.5 fps, 4.8 %, 0 | 2,000, 100 |');
    expect(md).toContain('- media-loss (repeat 1): verdict GO, expected WARN');
  });
});
