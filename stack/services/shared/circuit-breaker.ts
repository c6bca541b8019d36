/**
 * A three-state circuit breaker (closed → open → half-open → closed) for calls to one dependency.
 *
 * Hand-written (about fifty lines) rather than opossum: what we need is only "N consecutive
 * infrastructure failures open the circuit, one trial call after a pause closes it", with the state
 * exported as the guide's `circuit_breaker_state` gauge. opossum brings rolling-window statistics,
 * a timer per call and an event API we would mostly switch off, and adding it would change the
 * shared package.json for everyone mid-flight. The behaviour is pinned by unit tests.
 *
 * While open, calls fail at once with CircuitOpenError (the API answers 503) instead of queueing on
 * a dead database and dragging every request to its timeout.
 */

export type BreakerState = 'closed' | 'half_open' | 'open';

/** The gauge encoding the guide's dashboards expect. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export interface CircuitBreakerOptions {
  /** Consecutive counted failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Milliseconds the circuit stays open before one trial call is let through. Default 5000. */
  openMs?: number;
  /** Whether an error says the dependency is unhealthy (default: every error). Errors that are an
   *  answer from a healthy dependency (e.g. a unique-key violation) should not count. */
  isFailure?: (err: unknown) => boolean;
  onStateChange?: (state: BreakerState) => void;
  onFailure?: () => void;
  /** Clock in ms (tests pass a fake one). Default Date.now. */
  now?: () => number;
}

export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly opts: CircuitBreakerOptions = {},
  ) {
    this.threshold = opts.failureThreshold ?? 5;
    this.openMs = opts.openMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  get currentState(): BreakerState {
    return this.state;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.openMs) throw new CircuitOpenError(`${this.name} circuit is open`);
      this.transition('half_open');
    }
    const isTrial = this.state === 'half_open';
    if (isTrial) {
      // Exactly one trial call probes the dependency; everyone else keeps failing fast meanwhile.
      if (this.trialInFlight) throw new CircuitOpenError(`${this.name} circuit is half-open`);
      this.trialInFlight = true;
    }
    try {
      const result = await call();
      this.succeeded();
      return result;
    } catch (err) {
      if (this.opts.isFailure?.(err) ?? true) this.failed();
      else this.succeeded();
      throw err;
    } finally {
      if (isTrial) this.trialInFlight = false;
    }
  }

  private succeeded(): void {
    this.consecutiveFailures = 0;
    if (this.state !== 'closed') this.transition('closed');
  }

  private failed(): void {
    this.opts.onFailure?.();
    this.consecutiveFailures += 1;
    if (this.state === 'half_open' || this.consecutiveFailures >= this.threshold) {
      this.openedAt = this.now();
      if (this.state !== 'open') this.transition('open');
    }
  }

  private transition(next: BreakerState): void {
    this.state = next;
    this.opts.onStateChange?.(next);
  }
}
