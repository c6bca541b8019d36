import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import type { Observation } from '../../../reports/observation.ts';
import { dropCountsOfCutShortRun, holdWindowEndSec, k6RunDurationMs } from '../../../scripts/run/cut-short.ts';
import type { RowId } from '../../../thresholds/table.ts';

const smoke = PROFILES.smoke;
const observed = new Map<RowId, Observation>([
  ['ws_connections', { observed: 0 }],
  ['api_p95_ms', { observed: 663 }],
]);

describe('dropCountsOfCutShortRun', () => {
  it('turns sessions held into no data when k6 stopped before the hold window ended', () => {
    const out = dropCountsOfCutShortRun(observed, smoke, 23_000);
    expect(out.get('ws_connections')?.observed).toBeNull();
    expect(out.get('ws_connections')?.note).toMatch(/stopped at 23 s, before the hold window ended at 60 s/);
    expect(out.get('api_p95_ms')?.observed).toBe(663);
  });

  it('keeps the count of a run that reached the end of the hold window', () => {
    const out = dropCountsOfCutShortRun(observed, smoke, holdWindowEndSec(smoke) * 1000 + 5_000);
    expect(out.get('ws_connections')?.observed).toBe(0);
  });

  it('keeps the count when the run duration is unknown', () => {
    expect(dropCountsOfCutShortRun(observed, smoke, undefined)).toBe(observed);
  });

  it('reads testRunDurationMs from a k6 summary, and nothing from garbage', () => {
    expect(k6RunDurationMs({ state: { testRunDurationMs: 61_234.5 } })).toBe(61_234.5);
    expect(k6RunDurationMs({ state: {} })).toBeUndefined();
    expect(k6RunDurationMs('nope')).toBeUndefined();
  });
});
