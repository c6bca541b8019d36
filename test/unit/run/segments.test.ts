import { describe, expect, it } from 'vitest';
import { executionSegment, executionSegmentArgs, executionSegmentSequence } from '../../../scripts/run/load/segments.ts';

/** k6-operator's own test case (pkg/segmentation suite_test.go): index 1 of 4, 1-based there. */
describe("execution segments as k6-operator assigns them", () => {
  it("runner 0 of 4 gets exactly the operator's fragments for its runner 1", () => {
    expect(executionSegmentArgs(0, 4)).toEqual(['--execution-segment=0:1/4', '--execution-segment-sequence=0,1/4,2/4,3/4,1']);
  });

  it('writes the ends as 0 and 1 and does not reduce fractions', () => {
    expect([0, 1, 2, 3].map((i) => executionSegment(i, 4))).toEqual(['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1']);
    expect(executionSegmentSequence(2)).toBe('0,1/2,1');
  });

  it('segments tile 0..1 with no gap or overlap for any N', () => {
    for (let n = 1; n <= 50; n++) {
      const bounds = Array.from({ length: n }, (_, i) => executionSegment(i, n).split(':'));
      expect(bounds[0]![0]).toBe('0');
      expect(bounds[n - 1]![1]).toBe('1');
      for (let i = 1; i < n; i++) expect(bounds[i]![0]).toBe(bounds[i - 1]![1]);
      expect(executionSegmentSequence(n).split(',')).toHaveLength(n + 1);
    }
  });

  it('one runner gets no segment flags (the operator adds none for parallelism 1)', () => {
    expect(executionSegmentArgs(0, 1)).toEqual([]);
  });

  it('refuses an index outside the runners', () => {
    expect(() => executionSegmentArgs(4, 4)).toThrow(/outside 0\.\.3/);
    expect(() => executionSegmentArgs(0, 0)).toThrow(/>= 1/);
  });
});
