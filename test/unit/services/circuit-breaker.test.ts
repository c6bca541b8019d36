import { describe, expect, it } from 'vitest';
import { type BreakerState, CircuitBreaker, CircuitOpenError } from '../../../stack/services/shared/circuit-breaker.ts';

class Boom extends Error {}

function harness(opts: { isFailure?: (e: unknown) => boolean } = {}) {
  let now = 0;
  const states: BreakerState[] = [];
  let failures = 0;
  const breaker = new CircuitBreaker('test', {
    failureThreshold: 3,
    openMs: 1000,
    now: () => now,
    onStateChange: (s) => states.push(s),
    onFailure: () => (failures += 1),
    ...opts,
  });
  const fail = () => breaker.run(() => Promise.reject(new Boom('down')));
  const ok = () => breaker.run(() => Promise.resolve('ok'));
  return { breaker, states, fail, ok, failures: () => failures, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and then fails fast without calling', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) await expect(h.fail()).rejects.toBeInstanceOf(Boom);
    expect(h.breaker.currentState).toBe('open');
    let called = false;
    await expect(h.breaker.run(async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    expect(h.failures()).toBe(3);
    expect(h.states).toEqual(['open']);
  });

  it('a success between failures resets the count', async () => {
    const h = harness();
    await expect(h.fail()).rejects.toThrow();
    await expect(h.fail()).rejects.toThrow();
    await h.ok();
    await expect(h.fail()).rejects.toThrow();
    await expect(h.fail()).rejects.toThrow();
    expect(h.breaker.currentState).toBe('closed');
  });

  it('after the open period lets one trial through: success closes, failure reopens', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) await expect(h.fail()).rejects.toThrow();
    h.advance(999);
    await expect(h.ok()).rejects.toBeInstanceOf(CircuitOpenError);
    h.advance(1);
    await expect(h.fail()).rejects.toBeInstanceOf(Boom); // the trial fails
    expect(h.breaker.currentState).toBe('open');
    h.advance(1000);
    await expect(h.ok()).resolves.toBe('ok');
    expect(h.breaker.currentState).toBe('closed');
    expect(h.states).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('while the trial is in flight, other calls fail fast', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) await expect(h.fail()).rejects.toThrow();
    h.advance(1000);
    let release!: () => void;
    const trial = h.breaker.run(() => new Promise<void>((r) => (release = r)));
    await expect(h.ok()).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await trial;
    await expect(h.ok()).resolves.toBe('ok');
  });

  it('errors that are answers from a healthy dependency do not count', async () => {
    const h = harness({ isFailure: (e) => !(e instanceof Boom) });
    for (let i = 0; i < 10; i++) await expect(h.fail()).rejects.toBeInstanceOf(Boom);
    expect(h.breaker.currentState).toBe('closed');
    expect(h.failures()).toBe(0);
  });
});
