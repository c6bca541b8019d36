/**
 * Impaired paths of a room run: each path's label (the `path` tag its probes' figures are keyed by),
 * the checks that refuse a bad set of paths before any helper starts, and the routing of probes.
 */
import { describe, expect, it } from 'vitest';
import type { ProbeSpec } from '../../../media/probe/plan.ts';
import { pathLabel, resolvePaths, routeProbes } from '../../../scripts/run/media/impaired-probes.ts';

const specs: ProbeSpec[] = [
  { identity: 'r-0-probe-pub-0', room: 'r-0', role: 'publisher' },
  { identity: 'r-0-probe-sub-0', room: 'r-0', role: 'subscriber' },
  { identity: 'r-0-probe-sub-1', room: 'r-0', role: 'subscriber' },
  { identity: 'r-0-probe-sub-2', room: 'r-0', role: 'subscriber' },
];

describe('pathLabel', () => {
  it.each([
    [{ delayMs: 200 }, 'relay+200ms'],
    [{ delayMs: 200, jitterMs: 0, lossPct: 0 }, 'relay+200ms'],
    [{ delayMs: 60, jitterMs: 40 }, 'relay+60ms/jitter40ms'],
    [{ delayMs: 60, lossPct: 10 }, 'relay+60ms/10%loss'],
    [{ delayMs: 60, jitterMs: 40, lossPct: 2.5 }, 'relay+60ms/jitter40ms/2.5%loss'],
    [{ delayMs: 0, lossPct: 5 }, 'relay+0ms/5%loss'],
  ])('%j → %s', (impairment, label) => {
    expect(pathLabel(impairment)).toBe(label);
  });
});

describe('resolvePaths', () => {
  it('labels each path (its own label wins) and seeds each by its position unless given', () => {
    const paths = resolvePaths(specs, [
      { delayMs: 200, identities: ['r-0-probe-sub-1'] },
      { delayMs: 60, jitterMs: 40, identities: ['r-0-probe-sub-2'], label: 'wifi' },
      { delayMs: 60, lossPct: 10, identities: ['r-0-probe-pub-0'], seed: 99 },
    ]);
    expect(paths.map((p) => [p.label, p.seed])).toEqual([
      ['relay+200ms', 1],
      ['wifi', 2],
      ['relay+60ms/10%loss', 99],
    ]);
  });

  it.each([
    ['an impairment out of range', [{ delayMs: 60, lossPct: 120, identities: ['r-0-probe-sub-1'] }], /impaired path 1 \(relay\+60ms\/120%loss\): lossPct must be within 0\.\.100/],
    ['a negative jitter', [{ delayMs: 60, jitterMs: -5, identities: ['r-0-probe-sub-1'] }], /jitterMs must be within/],
    ['a path without probes', [{ delayMs: 60, identities: [] }], /no probe identity/],
    ['a probe the plan does not have', [{ delayMs: 60, identities: ['r-0-probe-sub-9'] }], /no probe r-0-probe-sub-9 in the plan/],
    ['a probe on two paths', [{ delayMs: 60, identities: ['r-0-probe-sub-1'] }, { delayMs: 90, identities: ['r-0-probe-sub-1'] }], /r-0-probe-sub-1 is already on relay\+60ms/],
    ['two paths with one label', [{ delayMs: 60, identities: ['r-0-probe-sub-1'] }, { delayMs: 60, identities: ['r-0-probe-sub-2'] }], /label relay\+60ms is already taken/],
    ['a path labelled direct', [{ delayMs: 60, identities: ['r-0-probe-sub-1'], label: 'direct' }], /already taken \(by the unimpaired probes\)/],
  ])('refuses %s', (_name, paths, message) => {
    expect(() => resolvePaths(specs, paths)).toThrow(message);
  });
});

describe('routeProbes', () => {
  it('sends each path’s probes to its URL with its label, and leaves the others direct', () => {
    const routed = routeProbes(specs, [
      { label: 'relay+200ms', identities: ['r-0-probe-sub-1'], livekitUrl: 'ws://127.0.0.1:40001' },
      { label: 'relay+60ms/10%loss', identities: ['r-0-probe-sub-2'], livekitUrl: 'ws://127.0.0.1:40002' },
    ]);
    expect(routed.map((s) => [s.identity, s.path ?? 'direct', s.livekitUrl ?? 'plan'])).toEqual([
      ['r-0-probe-pub-0', 'direct', 'plan'],
      ['r-0-probe-sub-0', 'direct', 'plan'],
      ['r-0-probe-sub-1', 'relay+200ms', 'ws://127.0.0.1:40001'],
      ['r-0-probe-sub-2', 'relay+60ms/10%loss', 'ws://127.0.0.1:40002'],
    ]);
  });
});
