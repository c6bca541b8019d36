/** Go's own memory figures from k6's /debug/pprof text, and their split per session. */
import { describe, expect, it } from 'vitest';
import { parseGoMemory } from '../../../bench/ws-capacity/go-memory.ts';
import { goMemoryReading } from '../../../bench/ws-capacity/results.ts';

// The tail of a heap profile in text form (`/debug/pprof/heap?debug=1`), in the shape k6 v2.2.0
// (Go 1.26) served it to bench/ws-capacity (its `# Stack = in use / sys` line included).
const heap = (heapInuse: number, stackInuse: number) => `heap profile: 3: 4096 [10: 40960] @ heap/1048576
1: 4096 [1: 4096] @ 0x1 0x2

# runtime.MemStats
# Alloc = 1000
# TotalAlloc = 9000
# Sys = ${heapInuse + stackInuse + 3 * 1024 * 1024 + 2 * 1024 * 1024}
# HeapReleased = ${2 * 1024 * 1024}
# HeapInuse = ${heapInuse}
# Stack = ${stackInuse} / ${stackInuse}
# NumGC = 42
`;

describe('go memory', () => {
  it('reads the MemStats lines and the goroutine count', () => {
    const g = parseGoMemory(heap(500 * 1024 * 1024, 300 * 1024 * 1024), 'goroutine profile: total 24017\n1 @ 0x1\n');
    expect(g).toEqual({ goroutines: 24017, heapInuse: 500 * 1024 * 1024, stackInuse: 300 * 1024 * 1024, sys: 805 * 1024 * 1024, heapReleased: 2 * 1024 * 1024, numGC: 42 });
  });

  it('is undefined when the API answered something else (profiling off)', () => {
    expect(parseGoMemory('To enable profiling, please run k6 with the --profiling-enabled flag', '')).toBeUndefined();
  });

  it('sums the runners and splits per session: stacks, heap, the rest the runtime holds', () => {
    const one = parseGoMemory(heap(50 * 1024 * 1024, 30 * 1024 * 1024), 'goroutine profile: total 4000\n')!;
    const r = goMemoryReading(90, 2000, [one, one], 2 * 100 * 1024);
    expect(r.total.goroutines).toBe(8000);
    expect(r.perSession).toEqual({ goroutines: 4, stackKiB: 30.7, heapKiB: 51.2, otherKiB: 3.1, rssKiB: 102.4 });
  });
});
