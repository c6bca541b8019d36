// Hostile flag values, property-based (issue 7 item 4): `run` and `search` flags parse to options in
// their bounds or fail with a UsageError whose stderr line (usageLine) is one line — never a
// TypeError, never a NaN or an absurd number slipping through to the load.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES } from '../../../lib/profiles.ts';
import { UsageError, usageLine } from '../../../scripts/exit-codes.ts';
import { parseRunFlags, type RunFlags } from '../../../scripts/run/options.ts';
import { parseSearchFlags, type SearchFlags } from '../../../scripts/search/options.ts';

/** Strings an operator (or a broken script) might pass where a number is expected. */
const numberish = fc.oneof(
  fc.constantFrom('-1', '0', '-0', 'NaN', 'Infinity', '-Infinity', '1e3', '1e309', '0x10', '1.5', '', ' ', '99999999999999999999', '9007199254740993', '1_000', '+1', '٣', '1\n2', '\u0000'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** UsageError with a one-line stderr line, or the parsed value. */
function outcome<T>(fn: () => T): { ok: T } | { error: string } {
  try {
    return { ok: fn() };
  } catch (err) {
    if (!(err instanceof UsageError)) throw new Error(`expected UsageError, got ${String(err)}`);
    const line = usageLine(err);
    expect(line.split(/[\r\n\u2028\u2029]/)).toHaveLength(1);
    expect(line).toMatch(/^error: /);
    return { error: line };
  }
}

const RUNS = { numRuns: 400 };

describe('run flags', () => {
  it('--runners: an integer from 1 to 64 written in decimal digits, else UsageError', () => {
    fc.assert(
      fc.property(numberish, (s) => {
        const r = outcome(() => parseRunFlags({ runners: s } as RunFlags, '/tmp'));
        if ('ok' in r) {
          expect(s.trim()).toMatch(/^\d+$/);
          expect(Number.isInteger(r.ok.runners) && r.ok.runners! >= 1 && r.ok.runners! <= 64).toBe(true);
        } else expect(r.error).toContain('--runners');
      }),
      RUNS,
    );
    for (const s of ['-1', '0', 'NaN', '65', '1e9', '99999999999999999999']) expect(outcome(() => parseRunFlags({ runners: s }, '/tmp'))).toHaveProperty('error');
  });

  it('--profile and --gate: a known name or UsageError (one line even with control characters in the value)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), numberish, fc.constantFrom(...PROFILE_NAMES)), (s) => {
        const p = outcome(() => parseRunFlags({ profile: s }, '/tmp'));
        expect('ok' in p).toBe((PROFILE_NAMES as string[]).includes(s));
        const g = outcome(() => parseRunFlags({ gate: s }, '/tmp'));
        expect('ok' in g).toBe(s === 'normal' || s === 'strict');
      }),
      RUNS,
    );
  });
});

describe('search flags', () => {
  const countFlags = ['start', 'step', 'max', 'maxRuns', 'steadySec'] as const;

  it('counts (--start --step --max --max-runs --steady-sec): whole numbers within bounds, else UsageError naming the flag', () => {
    fc.assert(
      fc.property(fc.constantFrom(...countFlags), numberish, (flag, s) => {
        const r = outcome(() => parseSearchFlags({ dimension: 'connections', [flag]: s } as SearchFlags, '/tmp'));
        if ('ok' in r) {
          const n = Number(s);
          expect(Number.isSafeInteger(n) && n >= 1 && n <= 1_000_000).toBe(true);
        } else expect(r.error).toContain(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      }),
      RUNS,
    );
    for (const flag of countFlags) {
      for (const s of ['-1', '0', 'NaN', '1e3', '99999999999999999999', '1000001']) {
        expect(outcome(() => parseSearchFlags({ dimension: 'connections', [flag]: s } as SearchFlags, '/tmp')), `${flag} ${s}`).toHaveProperty('error');
      }
    }
  });

  it('--budget-min: minutes > 0 and ≤ 1440, else UsageError', () => {
    fc.assert(
      fc.property(numberish, (s) => {
        const r = outcome(() => parseSearchFlags({ dimension: 'api-rps', budgetMin: s }, '/tmp'));
        if ('ok' in r) expect(r.ok.plan.budgetSec > 0 && r.ok.plan.budgetSec <= 1440 * 60).toBe(true);
      }),
      RUNS,
    );
  });

  it('a step longer than the whole budget is refused (the budget cannot stop a running step)', () => {
    expect(outcome(() => parseSearchFlags({ dimension: 'connections', steadySec: '600', budgetMin: '5' }, '/tmp'))).toEqual({ error: expect.stringMatching(/--steady-sec 600 is longer than the whole budget/) });
    expect(outcome(() => parseSearchFlags({ dimension: 'connections', steadySec: '60', budgetMin: '5' }, '/tmp'))).toHaveProperty('ok');
  });
});
