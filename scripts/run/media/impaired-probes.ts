/**
 * Which probes get their media through which impaired path, and what each path is called.
 *
 * A room run may carry several impaired paths side by side (e.g. +200 ms, +60 ms with jitter,
 * +60 ms with loss), each its own impaired-path helper (media/impair) with its own relay, so the
 * paths share the room, the moment and the machine's load, and differ only in the impairment. A
 * path's label becomes the `path` tag of its probes' samples — what per-path figures are keyed by.
 *
 * Pure: run-room.ts starts and stops the helpers.
 */
import { checkImpairment } from '../../../media/impair/udp-delay-relay.ts';
import type { ProbeSpec } from '../../../media/probe/plan.ts';

export interface Impairment {
  /** Added to each packet in each direction, ms. */
  delayMs: number;
  /** Up to this much more per packet, uniform over 0..jitterMs, without reordering, ms (default 0). */
  jitterMs?: number;
  /** Chance each packet is lost, each direction, % (default 0). */
  lossPct?: number;
}

export interface ImpairedPathSpec extends Impairment {
  /** Identities of the probes whose media takes this path (publishers too: their uplink). */
  identities: string[];
  /** The `path` tag of these probes' samples (default pathLabel(this)). */
  label?: string;
  /** Seed of the relay's loss and jitter draws (default: the path's position in the list, from 1,
   *  so two lossy paths do not lose the very same packets). */
  seed?: number;
}

/** The impaired paths of a room run. */
export interface ImpairedProbes {
  /** livekit-server's HTTP and UDP ports inside the namespace: every path relays to them. */
  sfuHttpPort: number;
  sfuUdpPort: number;
  paths: ImpairedPathSpec[];
}

/** A path with its label and seed decided. */
export interface ResolvedPath extends ImpairedPathSpec {
  label: string;
  seed: number;
}

/**
 * The default label: `relay+<delay>ms`, then `/jitter<J>ms` and `/<L>%loss` when set —
 * `relay+200ms`, `relay+60ms/jitter40ms`, `relay+60ms/10%loss`, `relay+60ms/jitter40ms/10%loss`.
 * Jitter is named rather than written `±40ms`: the relay adds 0..40 ms on top of the delay (each
 * way 60–100 ms), and `±` would read as 20–100 ms. A delay-only path keeps the label it always had.
 */
export function pathLabel(i: Impairment): string {
  const jitter = i.jitterMs ? `/jitter${i.jitterMs}ms` : '';
  const loss = i.lossPct ? `/${i.lossPct}%loss` : '';
  return `relay+${i.delayMs}ms${jitter}${loss}`;
}

/**
 * Each path with its label and seed, checked against the probes planned: throws before any helper
 * starts on an impairment out of range, a path without probes, an identity the plan does not have
 * or that two paths claim, or two paths with one label (their figures would be pooled as one).
 */
export function resolvePaths(specs: readonly ProbeSpec[], paths: readonly ImpairedPathSpec[]): ResolvedPath[] {
  const planned = new Set(specs.map((s) => s.identity));
  const claimedBy = new Map<string, string>();
  const labels = new Set<string>(['direct']);
  return paths.map((p, i): ResolvedPath => {
    const label = p.label ?? pathLabel(p);
    const seed = p.seed ?? i + 1;
    const where = `impaired path ${i + 1} (${label})`;
    try {
      checkImpairment({ ...p, seed });
    } catch (err) {
      throw new RangeError(`${where}: ${(err as Error).message}`);
    }
    if (p.identities.length === 0) throw new Error(`${where}: no probe identity`);
    if (labels.has(label)) throw new Error(`${where}: label ${label} is already taken${label === 'direct' ? ' (by the unimpaired probes)' : ''}`);
    labels.add(label);
    for (const id of p.identities) {
      if (!planned.has(id)) throw new Error(`${where}: no probe ${id} in the plan (planned: ${[...planned].join(', ')})`);
      const other = claimedBy.get(id);
      if (other) throw new Error(`${where}: probe ${id} is already on ${other}`);
      claimedBy.set(id, label);
    }
    return { ...p, label, seed };
  });
}

/** The probe specs with each path's probes sent to its helper's LiveKit URL and tagged with its label. */
export function routeProbes(specs: readonly ProbeSpec[], routes: readonly { label: string; identities: readonly string[]; livekitUrl: string }[]): ProbeSpec[] {
  return specs.map((s) => {
    const r = routes.find((x) => x.identities.includes(s.identity));
    return r ? { ...s, livekitUrl: r.livekitUrl, path: r.label } : s;
  });
}
