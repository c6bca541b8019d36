/**
 * Kernel settings that decide how many sockets one machine can hold: the ephemeral port range
 * (default 32768–60999 = ~28k outgoing connections per destination) widened to 1024–65535, with the
 * stack's own listening ports reserved so an outgoing connection never takes one of them first.
 * Only root may change them; when we cannot, we say so plainly rather than fail.
 */
import { readFile, writeFile } from 'node:fs/promises';

const PORT_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const RESERVED_PORTS_FILE = '/proc/sys/net/ipv4/ip_local_reserved_ports';

/** The range the stack asks for. */
export const WIDE_PORT_RANGE: [number, number] = [1024, 65535];

export async function readPortRange(): Promise<[number, number]> {
  const [lo, hi] = (await readFile(PORT_RANGE_FILE, 'utf8')).trim().split(/\s+/).map(Number);
  return [lo ?? 0, hi ?? 0];
}

/** `1,3-5` style list → the ports in it. */
export function parseReservedPorts(text: string): Set<number> {
  const ports = new Set<number>();
  for (const part of text.trim().split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let p = a; p <= (b ?? a); p++) ports.add(p);
  }
  return ports;
}

/** The kernel list format back, with runs collapsed (`9000-9002`) so the write stays short. */
export function formatReservedPorts(ports: Iterable<number>): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Widens the ephemeral range and reserves `listenPorts`; returns one line saying what happened. */
export async function widenEphemeralPorts(listenPorts: number[]): Promise<string> {
  const [lo, hi] = await readPortRange();
  const [wantLo, wantHi] = WIDE_PORT_RANGE;
  try {
    const reserved = parseReservedPorts(await readFile(RESERVED_PORTS_FILE, 'utf8'));
    const missing = listenPorts.filter((p) => !reserved.has(p));
    if (missing.length > 0) await writeFile(RESERVED_PORTS_FILE, formatReservedPorts([...reserved, ...missing]));
    if (lo > wantLo || hi < wantHi) {
      await writeFile(PORT_RANGE_FILE, `${Math.min(lo, wantLo)} ${Math.max(hi, wantHi)}`);
      return `kernel: ephemeral ports widened from ${lo}-${hi} to ${wantLo}-${wantHi}; the stack's ${listenPorts.length} listening ports reserved`;
    }
    return `kernel: ephemeral ports ${lo}-${hi}; the stack's listening ports reserved`;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    return `kernel: could not widen the ephemeral port range (${why}; needs root and a writable /proc/sys): it stays ${lo}-${hi}, ~${hi - lo + 1} outgoing connections per destination port`;
  }
}
