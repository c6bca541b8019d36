/**
 * Where a k6 process's memory goes, from Go's own accounting: with --profiling-enabled the k6 REST
 * API serves /debug/pprof; the heap profile in text form (`?debug=1`) ends with runtime.MemStats,
 * and the goroutine profile's first line is the goroutine count. RSS (from /proc) says how much;
 * this says what: live heap, goroutine stacks, and what the runtime holds beyond them.
 */

export interface GoMemory {
  goroutines: number;
  /** Bytes in spans holding live or not-yet-swept heap objects. */
  heapInuse: number;
  /** Bytes in goroutine stacks. */
  stackInuse: number;
  /** Everything the runtime obtained from the OS. */
  sys: number;
  /** Heap bytes returned to the OS (counted in sys, not in RSS). */
  heapReleased: number;
  numGC: number;
}

/** Parses `/debug/pprof/heap?debug=1` (its `# Name = value` MemStats lines, as Go 1.26 writes them) and the first line of
 *  `/debug/pprof/goroutine?debug=1` (`goroutine profile: total N`). Undefined when either lacks them. */
export function parseGoMemory(heapText: string, goroutineText: string): GoMemory | undefined {
  const stat = (name: string): number | undefined => {
    const m = new RegExp(`^# ${name} = (\\d+)`, 'm').exec(heapText);
    return m ? Number(m[1]) : undefined;
  };
  const g = /goroutine profile: total (\d+)/.exec(goroutineText);
  const heapInuse = stat('HeapInuse');
  // Go writes the stack figure as `# Stack = <in use> / <from the OS>` (not StackInuse).
  const stackM = /^# Stack = (\d+) \/ \d+/m.exec(heapText);
  const stackInuse = stackM ? Number(stackM[1]) : undefined;
  const sys = stat('Sys');
  const heapReleased = stat('HeapReleased');
  const numGC = stat('NumGC');
  if (!g || heapInuse === undefined || stackInuse === undefined || sys === undefined || heapReleased === undefined || numGC === undefined) return undefined;
  return { goroutines: Number(g[1]), heapInuse, stackInuse, sys, heapReleased, numGC };
}

/** Reads both profiles from a k6 REST API address (127.0.0.1:<port>); undefined if it does not answer. */
export async function readGoMemory(restAddress: string): Promise<{ figures?: GoMemory; heapText: string; goroutineText: string } | undefined> {
  if (!/^127\.\d+\.\d+\.\d+:\d+$/.test(restAddress)) throw new Error(`k6 REST address must be on 127.0.0.0/8, got ${restAddress}`);
  try {
    const get = async (path: string) => (await fetch(`http://${restAddress}${path}`, { signal: AbortSignal.timeout(30_000) })).text();
    const heapText = await get('/debug/pprof/heap?debug=1');
    const goroutineText = await get('/debug/pprof/goroutine?debug=1');
    return { figures: parseGoMemory(heapText, goroutineText), heapText, goroutineText };
  } catch {
    return undefined;
  }
}
