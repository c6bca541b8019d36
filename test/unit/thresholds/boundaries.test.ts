import { describe, expect, it } from 'vitest';
import { judge } from '../../../thresholds/boundaries.ts';

// The seed: target "<200ms", critical ">500ms"; connections 50,000 / 45,000.
const latency = { direction: 'lower', target: 200, critical: 500 } as const;
const connections = { direction: 'higher', target: 50_000, critical: 45_000 } as const;

describe('judge', () => {
  it.each([
    [199.9, 'pass'],
    [200, 'warn'], // "<200" is not met by 200
    [500, 'warn'], // ">500" is not crossed by 500
    [500.01, 'fail'],
    [0, 'pass'],
  ] as const)('lower-is-better row: %s ms → %s', (observed, status) => {
    expect(judge(latency, observed)).toBe(status);
  });

  it.each([
    [50_000, 'pass'],
    [49_999, 'warn'],
    [45_000, 'warn'], // reaching the critical is not falling below it
    [44_999, 'fail'],
    [0, 'fail'],
  ] as const)('higher-is-better row: %s held → %s', (observed, status) => {
    expect(judge(connections, observed)).toBe(status);
  });

  it('refuses to judge a value that is not a number', () => {
    expect(() => judge(latency, Number.NaN)).toThrow(/non-finite/);
  });
});
