/**
 * Execution segments for N runners, exactly as k6-operator assigns them (grafana/k6-operator
 * pkg/segmentation, NewCommandFragments): runner i of n (1-based there) runs
 * `--execution-segment=(i-1)/n:i/n` with the ends written `0` and `1`, and every runner gets the
 * same `--execution-segment-sequence=0,1/n,2/n,…,(n-1)/n,1` (fractions not reduced: 2/4, not 1/2).
 * Local runners and cluster runners thus split a test identically, so a local `--runners 4` run
 * rehearses the cluster's split VU for VU.
 *
 * Pure: no Node or k6 imports.
 */

/** The two k6 flags of runner `index` (0-based) of `count`; a single runner needs none. */
export function executionSegmentArgs(index: number, count: number): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`runner count must be an integer >= 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`runner index ${index} is outside 0..${count - 1}`);
  // k6-operator adds no segment flags for parallelism 1: the whole test is one segment.
  if (count === 1) return [];
  return [`--execution-segment=${executionSegment(index, count)}`, `--execution-segment-sequence=${executionSegmentSequence(count)}`];
}

/** `0:1/4`, `1/4:2/4`, …, `3/4:1`. */
export function executionSegment(index: number, count: number): string {
  return `${boundary(index, count)}:${boundary(index + 1, count)}`;
}

/** `0,1/4,2/4,3/4,1`. */
export function executionSegmentSequence(count: number): string {
  return Array.from({ length: count + 1 }, (_, i) => boundary(i, count)).join(',');
}

function boundary(i: number, count: number): string {
  if (i === 0) return '0';
  if (i === count) return '1';
  return `${i}/${count}`;
}
