/**
 * One pre-flight check: what it looked at, what it saw, what it expected, and how to fix it.
 * `run` refuses to send load while a required check fails (exit 2).
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  observed: string;
  expected: string;
  /** What an operator should do when it fails. */
  fix?: string;
  /** A failed required check blocks load; an optional one is reported only. */
  required: boolean;
}

export interface Check {
  name: string;
  required: boolean;
  run(signal: AbortSignal): Promise<Omit<CheckResult, 'name' | 'required'>>;
}

/** Bound every probe: a hung endpoint is a failed check, never a hung pre-flight. */
export const CHECK_TIMEOUT_MS = 5_000;

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
    if (err.name === 'AbortError' || err.name === 'TimeoutError') return `no answer within ${CHECK_TIMEOUT_MS / 1000} s`;
    return err.message;
  }
  return String(err);
}
